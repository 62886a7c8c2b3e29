/**
 * Characters Postgres `text` refuses or that are never reader text: NUL (rejected with
 * "invalid byte sequence for encoding UTF8: 0x00"), the other C0 controls but tab, newline and
 * carriage return, and lone UTF-16 surrogates (which the driver would turn into U+FFFD silently).
 */
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text without the characters that cannot be stored; linear, and a no-op on clean text. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '');
}

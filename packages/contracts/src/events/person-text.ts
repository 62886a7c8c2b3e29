import { z } from 'zod';

/** The longest message an event carries: a sentence or two for a person; detail goes to the logs. */
export const MAX_MESSAGE_LENGTH = 500;

// NUL (Postgres `text` refuses it), other C0 controls but tab and newline, and UTF-16 surrogates
// that are not part of a pair (JSON and Postgres refuse those as well). Control characters are the
// point of this pattern.
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with every character that Postgres or JSON cannot hold removed. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '');
}

/**
 * A message written for a person: storable, whitespace folded, at most `max` characters (cut on a
 * word with an ellipsis). Applied when an event is parsed, so even a message written by an older or
 * broken publisher can never carry a driver dump, a document or a NUL into a status.
 */
export function personMessage(text: string, max = MAX_MESSAGE_LENGTH): string {
  const clean = storableText(text).replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${atWord > max / 2 ? cut.slice(0, atWord) : cut}…`;
}

/** A short text for a person, cleaned and capped on the way in (see personMessage). */
export const PersonMessageSchema = z
  .string()
  .transform((s) => personMessage(s))
  .pipe(z.string().min(1));

/** A name or label from EDGAR: storable, capped generously. */
export const StorableTextSchema = z
  .string()
  .transform((s) => storableText(s).slice(0, 1_000))
  .pipe(z.string());

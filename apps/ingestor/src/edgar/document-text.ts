/** Byte order marks, which outrank anything the document says of itself (as in HTML's sniffing). */
const BOMS: ReadonlyArray<[bytes: number[], encoding: string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** `<?xml ... encoding="x"?>`, `<meta charset="x">` or `<meta ... content="text/html; charset=x">`. */
const DECLARED = /<\?xml[^>]*?\bencoding\s*=\s*["']?([\w.:-]+)|<meta\b[^>]*?\bcharset\s*=\s*["']?([\w.:-]+)/i;

/**
 * A primary document's bytes as text. EDGAR's documents are UTF-8, ASCII, or (older ones and some
 * filing agents') ISO-8859-1 / windows-1252 with raw bytes such as 0xA0 (no-break space) and 0x92
 * (’). Read as UTF-8, each of those becomes U+FFFD: the text is spoiled, and "Item 1A." followed
 * by a raw no-break space is no heading any more. So: a BOM decides; else bytes that are valid
 * UTF-8 are UTF-8 (whatever the declaration: ASCII is both); else the charset the document declares
 * in its first 1,024 bytes; else windows-1252, HTML's fallback for legacy pages (every byte a character).
 */
export function documentText(bytes: Uint8Array): string {
  const bom = BOMS.find(([mark]) => mark.every((b, i) => bytes[i] === b));
  if (bom) return new TextDecoder(bom[1]).decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: decoded below as the document says, or as windows-1252.
  }
  const declared = declaredEncoding(bytes) ?? 'windows-1252';
  return declared === 'windows-1252' ? windows1252(bytes) : new TextDecoder(declared).decode(bytes);
}

/** What windows-1252 has at 0x80-0x9F (the rest is ISO-8859-1); 0x81, 0x8D, 0x8F, 0x90, 0x9D stay as they are. */
const CP1252_C1 =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

/**
 * windows-1252 by hand: Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1 (measured on
 * 20.20), so 0x92 comes out as the control U+0092, not ’. Correct whichever way a Node decodes it.
 */
function windows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}

/** The encoding the document declares near its start, when TextDecoder knows it. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const match = DECLARED.exec(head);
  const label = match?.[1] ?? match?.[2];
  if (!label) return undefined;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined; // an encoding WHATWG does not know
  }
}

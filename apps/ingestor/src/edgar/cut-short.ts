/** How far from either end the tags are looked for: a document's prolog, and its end (a comment may follow </html>). */
const EDGE_CHARS = 4_096;

/**
 * An HTML document that opens `<html>` and does not close it: cut short on the way (a partial
 * cache entry, a broken proxy) yet well framed, so no network error says so. EDGAR's HTML and
 * inline-XBRL documents end with `</html>`. What such a document lacks is not known to be absent
 * from the filing: a section not found in it may be in the part that did not come.
 */
export function looksCutShort(html: string): boolean {
  return /<html[\s>]/i.test(html.slice(0, EDGE_CHARS)) && !/<\/html\s*>/i.test(html.slice(-EDGE_CHARS));
}

/**
 * EDGAR's primaryDocument (a file name inside a filing's archive folder), as the ingestor fetches it
 * and the web links to it: one rule for both, so a link never points elsewhere than what was read.
 */

/** The longest primaryDocument an event carries (SelectedFilingSchema). */
export const MAX_PRIMARY_DOCUMENT_CHARS = 1_000;

/**
 * The primaryDocument of EDGAR's filing list if it can only name a file inside the filing's folder,
 * else null (as if EDGAR listed none). It may hold a sub-path (xslF345X05/form4.xml), but no empty,
 * `.` or `..` segment: those would leave the folder once a URL parser resolves them (another
 * company's document fetched and stored as this filing's text), and a leading `/` or `//host`
 * would replace the path or the host. Also refused: what cannot be encoded (a lone surrogate) and
 * what no event may carry (over MAX_PRIMARY_DOCUMENT_CHARS).
 */
export function usablePrimaryDocument(primaryDocument: string | null | undefined): string | null {
  if (!primaryDocument || primaryDocument.length > MAX_PRIMARY_DOCUMENT_CHARS) return null;
  const segments = primaryDocument.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) return null;
  return encodeSegments(segments) === undefined ? null : primaryDocument;
}

/**
 * The URL path of a usable primary document under its filing's folder: each segment encoded
 * (`?`, `#`, `%` and spaces stay part of the name), the slashes kept.
 */
export function primaryDocumentPath(primaryDocument: string): string {
  const usable = usablePrimaryDocument(primaryDocument);
  const path = usable === null ? undefined : encodeSegments(usable.split('/'));
  if (path === undefined) throw new RangeError(`not a usable primary document: ${JSON.stringify(primaryDocument)}`);
  return path;
}

function encodeSegments(segments: readonly string[]): string | undefined {
  try {
    return segments.map(encodeURIComponent).join('/');
  } catch {
    return undefined; // URIError: a lone surrogate
  }
}

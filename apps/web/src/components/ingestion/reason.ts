/** A piece of a reason: plain words, or a URL said by its file name (`text`) with the whole address kept. */
export type ReasonPiece = { text: string; url?: string };

// A URL runs to the next space; a closing bracket or sentence mark right after it is not part of it.
const URL_PATTERN = /https?:\/\/[^\s]*[^\s.,;:!?)\]'"]/g;

/** The last segment of a URL's path ("aapl-20250927.htm"), or its host when the path is empty. */
export function urlName(url: string): string {
  try {
    const { host, pathname } = new URL(url);
    return pathname.split('/').filter(Boolean).pop() ?? host;
  } catch {
    return url;
  }
}

/**
 * A reason from the ingestor cut into words and URLs. The ingestor names the document it could not
 * fetch by its whole address; on the page that address is long and only its file name tells one
 * filing from another, so each URL is shown by its name with the address behind it.
 */
export function reasonPieces(reason: string): ReasonPiece[] {
  const pieces: ReasonPiece[] = [];
  let from = 0;
  for (const match of reason.matchAll(URL_PATTERN)) {
    if (match.index > from) pieces.push({ text: reason.slice(from, match.index) });
    pieces.push({ text: urlName(match[0]), url: match[0] });
    from = match.index + match[0].length;
  }
  if (from < reason.length) pieces.push({ text: reason.slice(from) });
  return pieces;
}

/** The reason as one line with each URL shortened to its file name, for a tooltip. */
export function shortReason(reason: string): string {
  return reasonPieces(reason)
    .map((p) => p.text)
    .join('');
}

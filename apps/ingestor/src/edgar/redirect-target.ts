import { EdgarError } from './edgar-error';

/** Redirects one request may follow: SEC moves a path or a host once, not through a chain. */
export const MAX_REDIRECTS = 3;

/** The statuses that send the same GET elsewhere; 300 (a choice), 304 and 305 do not. */
const FOLLOWED_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export function isFollowedRedirect(status: number): boolean {
  return FOLLOWED_STATUSES.has(status);
}

/**
 * Where to ask next when the last URL of `chain` (the URLs asked so far, starting with the one
 * requested) answered `status` pointing to `location`; or the error that ends the attempt. Only a
 * target on the origin of a configured EDGAR base URL is followed: the next request carries the
 * User-Agent (the operator's email), and its answer is stored as EDGAR's. Every error is a
 * deliberate answer that asking again would bring back, so none is retryable.
 */
export function redirectTarget(
  chain: readonly string[],
  status: number,
  location: string,
  edgarOrigins: readonly string[],
): string | EdgarError {
  const from = chain[chain.length - 1] ?? '';
  const refuse = (message: string) => new EdgarError('upstream', message, { url: from, status, retryable: false });
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return refuse(
      `EDGAR redirected ${from} to ${JSON.stringify(location)} (HTTP ${status}), which is not a URL, so nothing was read`,
    );
  }
  if (!edgarOrigins.includes(target.origin)) {
    return refuse(
      `EDGAR redirected ${chain.join(' -> ')} to ${target.href} (HTTP ${status}); the ingestor does not follow redirects off the hosts of EDGAR_WWW_URL and EDGAR_DATA_URL (${edgarOrigins.join(', ')}), so nothing was read from there`,
    );
  }
  const path = [...chain, target.href].join(' -> ');
  if (chain.some((asked) => sameUrl(asked, target))) {
    return refuse(`EDGAR redirected in a loop (${path}), so nothing was read`);
  }
  if (chain.length > MAX_REDIRECTS) {
    return refuse(`EDGAR redirected ${chain[0]} more than ${MAX_REDIRECTS} times (${path}), so nothing was read`);
  }
  return target.href;
}

function sameUrl(asked: string, target: URL): boolean {
  try {
    return new URL(asked).href === target.href;
  } catch {
    return false;
  }
}

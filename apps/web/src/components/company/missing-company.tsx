'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { homeSearchHref } from '../search/home-search-href';
import { asTicker } from '../search/pick-match';

/** The ticker of `/companies/<ticker>`; undefined when the address holds none a search could take. */
function tickerOf(pathname: string): string | undefined {
  try {
    return asTicker(decodeURIComponent(pathname.split('/')[2] ?? ''));
  } catch {
    return undefined;
  }
}

/**
 * What a company page's 404 says. A link to a company not yet ingested (shared, or from before) names
 * the ticker and offers to look it up in one click, instead of sending the person to retype it. A
 * 404 page gets no params, so the ticker is read from the address.
 */
export function MissingCompany() {
  const ticker = tickerOf(usePathname() ?? '');
  const href = ticker && homeSearchHref(ticker);
  if (!ticker || !href) {
    return (
      <p>Symbology holds no company with this ticker. Search for it to ingest it from EDGAR, if it files there.</p>
    );
  }
  return (
    <p>
      Symbology holds no company with the ticker <strong>{ticker}</strong> yet.{' '}
      <Link href={href}>Look up {ticker}</Link> to ingest it from EDGAR, if it files there.
    </p>
  );
}

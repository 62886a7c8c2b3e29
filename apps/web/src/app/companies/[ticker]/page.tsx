import { TickerSchema } from '@symbology/contracts';
import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { z } from 'zod';
import { CompanyView } from '~/components/company/company-view';
import { defaultAccession, updateDeferredBecause, SectionKeySchema } from '~/components/company/selection';
import { dehydrated, getQueryClient, serverTrpc } from '~/trpc/server';

type Props = {
  params: Promise<{ ticker: string }>;
  searchParams: Promise<{
    filing?: string | string[];
    section?: string | string[];
    updating?: string | string[];
    update?: string | string[];
  }>;
};

/** The company a URL names, fetched once per request (metadata and page share it); 404 when none. */
const loadCompany = cache(async (raw: string) => {
  const ticker = TickerSchema.safeParse(decodeURIComponent(raw));
  if (!ticker.success) notFound();
  const company = await getQueryClient().fetchQuery(
    serverTrpc().company.byTicker.queryOptions({ ticker: ticker.data }),
  );
  if (!company) notFound();
  return { ticker: ticker.data, company };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { company } = await loadCompany((await params).ticker);
  return { title: `${company.profile.name} (${company.profile.tickers[0] ?? ''}) · Symbology` };
}

/**
 * Rendered on the server with the data in it: the profile, filings, charts, table and the chosen
 * filing's text are in the HTML (readable without JavaScript; the filing and section choices are
 * links), and the client components start from the same prefetched cache.
 */
export default async function CompanyPage({ params, searchParams }: Props) {
  const { ticker, company } = await loadCompany((await params).ticker);
  const query = await searchParams;
  const filing = typeof query.filing === 'string' ? query.filing : undefined;
  const accession = company.filings.some((f) => f.accession === filing) ? filing : defaultAccession(company);
  const section = SectionKeySchema.safeParse(query.section).data;
  const updating = z.uuid().safeParse(query.updating).data;
  const deferred = updateDeferredBecause(query.update);
  if (accession) await getQueryClient().prefetchQuery(serverTrpc().filing.sections.queryOptions({ accession }));
  return (
    <HydrationBoundary state={dehydrated()}>
      <CompanyView
        ticker={ticker}
        initialAccession={accession}
        initialSection={section}
        updating={updating}
        deferred={deferred}
      />
    </HydrationBoundary>
  );
}

'use client';

import type { DeferredBecause } from '@symbology/api';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { BackgroundTask } from './background-task';
import { FilingsTimeline } from './filings-timeline';
import { FinancialsChart } from './financials-chart';
import { FinancialsTable } from './financials-table';
import { Holdings } from './holdings';
import { NothingStored } from './nothing-stored';
import { ProfileCard } from './profile-card';
import { RetryButton } from '../retry-button';
import { SectionReader } from './section-reader';
import type { SectionKey } from './selection';
import { METRICS, type CompanyData, type KeyFactsYear } from './types';

/** Empty charts and a table of dashes say less than one sentence. */
function hasAnyFact(years: KeyFactsYear[]): boolean {
  return years.some((y) => METRICS.some((m) => y[m.key] !== null));
}

type Props = {
  ticker: string;
  initialAccession: string | undefined;
  initialSection: SectionKey | undefined;
  /** A refresh or retry running behind the page (`?updating=<taskId>`), shown as a live line. */
  updating: string | undefined;
  /** Why an update from EDGAR that is due was not started (`?update=deferred…`), if so. */
  deferred: DeferredBecause | null;
};

/** The task a retry should pick up: the one that last failed to store a part a retry may get. */
function retryFrom(company: CompanyData): string | undefined {
  if (!company.retryable) return undefined;
  const missing = company.filings.flatMap((f) => f.missing);
  return (missing.find((m) => m.retryable && m.taskId) ?? missing.find((m) => m.taskId))?.taskId ?? undefined;
}

/** The company page; the server prefetched `company.byTicker` (and the first filing's text) into the cache. */
export function CompanyView({ ticker, initialAccession, initialSection, updating: initialUpdating, deferred }: Props) {
  const trpc = useTRPC();
  const company = useQuery(trpc.company.byTicker.queryOptions({ ticker }));
  const [selected, setSelected] = useState(initialAccession);
  const [updating, setUpdating] = useState(initialUpdating);
  const follow = (taskId: string) => {
    setUpdating(taskId);
    window.history.replaceState(window.history.state, '', `?updating=${encodeURIComponent(taskId)}`);
  };
  if (company.isPending) return <p className="muted">Loading {ticker}…</p>;
  if (company.error)
    return (
      <p role="alert" className="error">
        {company.error.message}
      </p>
    );
  if (!company.data) {
    return (
      <section className="panel">
        <h1>{ticker}</h1>
        <p>
          Symbology does not hold this company. <Link href={`/?q=${encodeURIComponent(ticker)}`}>Look it up</Link> to
          ingest it from EDGAR.
        </p>
      </section>
    );
  }
  const { profile, filings, keyFacts } = company.data;
  const readerFiling = filings.find((f) => f.accession === selected) ?? filings[0];
  const accession = readerFiling?.accession;
  const retryTask = retryFrom(company.data);
  // Filings a task tried are listed even when nothing of them could be stored.
  const { storedAny } = company.data;
  return (
    <div className="company">
      <header className="company__head">
        <h1>{profile.name}</h1>
        <p className="muted">{profile.tickers.join(' · ')}</p>
        {updating ? (
          <BackgroundTask key={updating} taskId={updating} ticker={ticker} />
        ) : (
          deferred && (
            <p className="notice" role="status" data-testid="update-deferred">
              {deferred === 'peer_busy' ? (
                <>
                  An update from EDGAR is due, but the ingestions you asked for already fill your share of the queue, so
                  none was started: this is what was stored before. Look {ticker} up again once one of them has started
                  or finished.
                </>
              ) : (
                <>
                  An update from EDGAR is due, but Symbology&apos;s ingestion queue is full, so none was started: this
                  is what was stored before. Look {ticker} up again in a while.
                </>
              )}
            </p>
          )
        )}
      </header>
      <div className="company__grid">
        <ProfileCard profile={profile} />
        {storedAny ? (
          <FilingsTimeline filings={filings} selected={accession} onSelect={setSelected} />
        ) : (
          <NothingStored name={profile.name} ticker={ticker} tried={filings.length} />
        )}
      </div>
      {storedAny && (
        <section className="panel" aria-labelledby="fin-h">
          <h2 id="fin-h">Financials</h2>
          {hasAnyFact(keyFacts) ? (
            <>
              <FinancialsChart years={keyFacts} />
              <FinancialsTable years={keyFacts} />
            </>
          ) : (
            <p className="muted">No key financials are stored for these filings.</p>
          )}
        </section>
      )}
      {filings.length > 0 && (
        <Holdings filings={filings} retry={retryTask && <RetryButton taskId={retryTask} onTask={follow} />} />
      )}
      {storedAny && readerFiling && (
        <SectionReader key={readerFiling.accession} filing={readerFiling} initialSection={initialSection} />
      )}
    </div>
  );
}

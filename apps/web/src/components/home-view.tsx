'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { IngestionPanel } from './ingestion-panel';
import { SearchBox } from './search/search-box';

/** Search, and the ingestion it may start; the task id lives in the URL so a reload keeps it. */
export function HomeView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const taskId = params.get('task');
  return (
    <div className="stack">
      <section className="hero">
        <h1>Company filings, from EDGAR</h1>
        <p className="muted">
          Profile, five annual reports, key financials and the text that matters. Unknown companies are ingested while
          you watch.
        </p>
        <SearchBox
          initial={params.get('q') ?? ''}
          lookUpInitial
          onTask={(id) => router.replace(`${pathname}?task=${id}`)}
        />
      </section>
      {taskId && (
        <IngestionPanel key={taskId} taskId={taskId} onRetry={(id) => router.replace(`${pathname}?task=${id}`)} />
      )}
    </div>
  );
}

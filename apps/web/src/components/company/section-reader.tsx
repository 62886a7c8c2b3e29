'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';

const TABS = [
  { key: 'business', label: 'Business' },
  { key: 'risk_factors', label: 'Risk Factors' },
  { key: 'mdna', label: 'MD&A' },
] as const;

/** The section's paragraphs, without a first line that only repeats the heading shown above it. */
function paragraphs(text: string, title: string): string[] {
  const parts = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  const norm = (s: string) => s.replace(/\s+/g, ' ').toLowerCase();
  return parts[0] && norm(parts[0]) === norm(title) ? parts.slice(1) : parts;
}

/** Item 1, 1A and 7 of one annual report, as tabs. */
export function SectionReader({ accession, fiscalYear }: { accession: string; fiscalYear: number | undefined }) {
  const trpc = useTRPC();
  const [tab, setTab] = useState<(typeof TABS)[number]['key']>('business');
  const sections = useQuery(trpc.filing.sections.queryOptions({ accession }));
  const current = sections.data?.find((s) => s.section === tab);
  return (
    <section className="panel reader" aria-labelledby="reader-h">
      <h2 id="reader-h">Reader{fiscalYear ? ` · FY${fiscalYear}` : ''}</h2>
      <div role="tablist" aria-label="Sections" className="tabs">
        {TABS.map((t) => {
          const available = sections.data?.some((s) => s.section === t.key) ?? false;
          return (
            <button
              key={t.key}
              role="tab"
              type="button"
              id={`tab-${t.key}`}
              aria-selected={tab === t.key}
              aria-controls="reader-panel"
              className="tabs__tab"
              onClick={() => setTab(t.key)}
            >
              {t.label}
              {!available && sections.data ? ' (none)' : ''}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id="reader-panel" aria-labelledby={`tab-${tab}`} className="reader__text" tabIndex={0}>
        {sections.isPending ? (
          <p className="muted">Loading…</p>
        ) : current ? (
          <>
            <h3>{current.title}</h3>
            {paragraphs(current.text, current.title).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </>
        ) : (
          <p className="muted">This section was not found in the filing.</p>
        )}
      </div>
    </section>
  );
}

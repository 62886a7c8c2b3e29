'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { ReasonText } from '../ingestion/reason-text';
import { SECTION_TABS, selectInPlace, selectionHref, type SectionKey } from './selection';
import type { CompanyData } from './types';

type Filing = CompanyData['filings'][number];

/** The section's paragraphs, without a first line that only repeats the heading shown above it. */
function paragraphs(text: string, title: string): string[] {
  const parts = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  const norm = (s: string) => s.replace(/\s+/g, ' ').toLowerCase();
  return parts[0] && norm(parts[0]) === norm(title) ? parts.slice(1) : parts;
}

type Props = { filing: Filing; initialSection: SectionKey | undefined };

/** Why a section of `filing` is not there to read: the form's text is not cut, or the reason it is missing. */
function Absent({ filing, section }: { filing: Filing; section: SectionKey }) {
  const missing = filing.missing.find((m) => m.part === section);
  if (filing.parts.find((p) => p.part === section)?.status === 'not_offered') {
    return (
      <p className="muted">
        Symbology does not cut the text of a {filing.form} into sections.{' '}
        {filing.documentUrl && (
          <a href={filing.documentUrl} target="_blank" rel="noreferrer">
            Read the whole report on SEC ↗
          </a>
        )}
      </p>
    );
  }
  if (missing)
    return (
      <p className="muted">
        Not stored: <ReasonText reason={missing.message} />
      </p>
    );
  return <p className="muted">This section is not stored for this filing.</p>;
}

/** Item 1, 1A and 7 of one annual report (20-F: Items 4, 3.D and 5), as tabs that are also links. */
export function SectionReader({ filing, initialSection }: Props) {
  const { accession, fiscalYear } = filing;
  const trpc = useTRPC();
  const [tab, setTab] = useState<SectionKey>(initialSection ?? 'business');
  const sections = useQuery(trpc.filing.sections.queryOptions({ accession }));
  const current = sections.data?.find((s) => s.section === tab);
  return (
    <section className="panel reader" aria-labelledby="reader-h">
      <h2 id="reader-h">Reader{fiscalYear ? ` · FY${fiscalYear}` : ''}</h2>
      <div role="tablist" aria-label="Sections" className="tabs">
        {SECTION_TABS.map((t) => {
          const available = sections.data?.some((s) => s.section === t.key) ?? false;
          return (
            <a
              key={t.key}
              role="tab"
              href={selectionHref(accession, t.key)}
              id={`tab-${t.key}`}
              aria-selected={tab === t.key}
              aria-controls="reader-panel"
              className="tabs__tab"
              onClick={(e) => selectInPlace(e, () => setTab(t.key))}
            >
              {t.label}
              {!available && sections.data ? ' (none)' : ''}
            </a>
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
          <Absent filing={filing} section={tab} />
        )}
      </div>
    </section>
  );
}

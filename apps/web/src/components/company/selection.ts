import type { DeferredBecause } from '@symbology/api';
import { z } from 'zod';
import type { CompanyData } from './types';

/** The three text sections the reader shows, in item order. */
export const SECTION_TABS = [
  { key: 'business', label: 'Business' },
  { key: 'risk_factors', label: 'Risk Factors' },
  { key: 'mdna', label: 'MD&A' },
] as const;
export const SectionKeySchema = z.enum(['business', 'risk_factors', 'mdna']);
export type SectionKey = z.infer<typeof SectionKeySchema>;

/** The filing the reader opens on: the newest one with text stored, else the newest. */
export function defaultAccession(company: Pick<CompanyData, 'filings' | 'sections'>): string | undefined {
  const withText = new Set(company.sections.map((s) => s.accession));
  return (company.filings.find((f) => withText.has(f.accession)) ?? company.filings[0])?.accession;
}

/**
 * `?update=deferred` (the ingestion queue is full) or `?update=deferred-yours` (the ingestions this
 * client asked for fill its share): the search asked for the company, an update from EDGAR was
 * due, and none could start; the page says why above what is stored.
 */
const DEFERRED_PARAM: Record<DeferredBecause, string> = { queue_full: 'deferred', peer_busy: 'deferred-yours' };

export function updateDeferredBecause(update: unknown): DeferredBecause | null {
  const found = Object.entries(DEFERRED_PARAM).find(([, param]) => param === update);
  return found ? (found[0] as DeferredBecause) : null;
}

/**
 * Where `ingest.request`'s answer for a known company opens it: with the refresh or retry running
 * behind it (`?updating=<taskId>`), or the notice that one was due and could not start.
 */
export function knownCompanyHref(answer: {
  ticker: string;
  background: { taskId: string } | null;
  deferred: DeferredBecause | null;
}): string {
  const page = `/companies/${encodeURIComponent(answer.ticker)}`;
  if (answer.background) return `${page}?updating=${encodeURIComponent(answer.background.taskId)}`;
  return answer.deferred ? `${page}?update=${DEFERRED_PARAM[answer.deferred]}` : page;
}

/** The page's address for a choice of filing and section: links that work without JavaScript. */
export function selectionHref(accession: string, section?: SectionKey): string {
  const params = new URLSearchParams({ filing: accession });
  if (section) params.set('section', section);
  return `?${params.toString()}`;
}

/**
 * A plain click on a selection link updates the page in place and the address bar without a
 * navigation; a modified click (new tab) or no JavaScript follows the link.
 */
export function selectInPlace(event: React.MouseEvent<HTMLAnchorElement>, apply: () => void): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  apply();
  window.history.replaceState(window.history.state, '', event.currentTarget.href);
}

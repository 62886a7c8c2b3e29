import type { MessagePort } from 'node:worker_threads';
import type { CompanyFactsDownload } from '../edgar-client';
import { extractSections } from '../extract-sections';
import type { TextLimits } from '../html-to-text';
import { readCompanyFacts, type CompanyFactsRead } from '../read-company-facts';
import type { SectionExtraction } from '../extraction/section-extraction';

/**
 * The ingestor's worker threads (worker-pool.ts) run these exports, one per job, each within its
 * pool's budget. Each says when it starts (`started`), so the time budget does not count a
 * thread's start-up.
 */
type Started = {
  /** Told when the work starts. */
  started: MessagePort;
};

export type CutSectionsJob = Started & { html: string; form: string; limits: TextLimits };

/** A primary document's text sections (the extraction pool). */
export function cutSections({ html, form, limits, started }: CutSectionsJob): SectionExtraction {
  begin(started);
  return extractSections(html, form, limits);
}

export type ReadFactsJob = Started & { download: CompanyFactsDownload; accessions: string[] };

/** companyfacts, read whole and answered for the task's filings only (the facts pool). */
export function readFacts({ download, accessions, started }: ReadFactsJob): CompanyFactsRead {
  begin(started);
  return readCompanyFacts(download, accessions);
}

function begin(started: MessagePort): void {
  started.postMessage('started');
  started.close();
}

import type { MessagePort } from 'node:worker_threads';
import { extractSections } from '../extract-sections';
import type { TextLimits } from '../html-to-text';
import type { SectionExtraction } from './section-extraction';

export type ExtractionTask = {
  html: string;
  form: string;
  limits: TextLimits;
  /** Told when the work starts, so the time budget does not count a thread's start-up. */
  started: MessagePort;
};

/** Runs in a worker thread of the extraction pool (piscina calls the default export). */
export default function extractInWorker({ html, form, limits, started }: ExtractionTask): SectionExtraction {
  started.postMessage('started');
  started.close();
  return extractSections(html, form, limits);
}

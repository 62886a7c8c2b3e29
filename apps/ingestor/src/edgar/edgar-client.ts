import { CompanyTickerMapSchema, type CompanyTicker } from './company-tickers-schema';
import { httpGetBytes, httpGetText, type ByteCap, type EdgarLogger, type RequestObservation } from './http-get';
import { documentText } from './document-text';
import { padCik } from './identifiers';
import { EdgarError } from './edgar-error';
import { parseEdgarJson } from './parse-json';
import { usablePrimaryDocument } from '@symbology/contracts';
import type { RequestLimiter } from './request-limiter';
import { FilingColumnsSchema, SubmissionsSchema, type FilingColumns, type Submissions } from './submissions-schema';
import { archiveUrl } from './sec-archive-url';

export type EdgarClientOptions = {
  /** https://www.sec.gov, or a mirror's http://127.0.0.1:PORT/www.sec.gov */
  wwwUrl: string;
  /** https://data.sec.gov, or a mirror's http://127.0.0.1:PORT/data.sec.gov */
  dataUrl: string;
  userAgent: string;
  limiter: RequestLimiter;
  maxAttempts: number;
  timeoutMs: number;
  /** A primary document larger than this is not read (`document_too_large`); unset, not capped. */
  maxDocumentBytes?: number;
  /** companyfacts larger than this unpacked is not read; DEFAULT_MAX_JSON_BYTES when unset. */
  maxJsonBytes?: number;
  /** A ticker map, submissions or submissions page larger than this unpacked is not read; DEFAULT_MAX_LIST_BYTES when unset. */
  maxListBytes?: number;
  fetch?: typeof globalThis.fetch;
  logger?: EdgarLogger;
  onRequest?: (observation: RequestObservation) => void;
  /** Backoff tuning and seams for tests; the defaults suit SEC. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
};

/**
 * The longest EDGAR retry wait, Retry-After included: a longer Retry-After fails the request instead
 * of waiting, so no pause the ingestor shares through the limiter is longer than this.
 */
export const EDGAR_MAX_DELAY_MS = 30_000;

/**
 * EDGAR's JSON is read whole (and parsed whole), so its size must be bounded: the biggest real
 * companyfacts are tens of MB, and a small gzip can unpack to gigabytes. (companyfacts is parsed
 * in a worker thread with its own time and memory budget: COMPANYFACTS_TIMEOUT_MS, _MAX_MEMORY_MB.)
 */
export const DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * The ticker map and a company's filing lists are parsed on the event loop, so they have a cap of
 * their own: SEC's are under 2 MB (company_tickers.json 0.7 MB, a submissions file 0.1-0.3 MB), and
 * 256 MB of `{}` parsed there takes the process down (V8's heap, measured), every task in flight
 * with it, on each delivery of the request that fetched it. 16 MiB parses in well under a second.
 */
export const DEFAULT_MAX_LIST_BYTES = 16 * 1024 * 1024;

/** The caps on what is read whole: a JSON response, and a filing's primary document. */
const jsonCap = (bytes: number, setting: string): ByteCap => ({
  bytes,
  what: 'JSON response',
  setting,
  consequence: 'asking again would bring the same bytes',
});
const documentCap = (bytes: number): ByteCap => ({
  bytes,
  what: 'document',
  setting: 'EDGAR_MAX_DOCUMENT_BYTES',
  consequence: 'its text was not cut',
});

export type FilingDocument = { url: string; text: string };

/**
 * companyfacts as downloaded, not parsed: megabytes (up to EDGAR_MAX_JSON_BYTES) that are parsed,
 * validated and indexed in a worker thread (`readCompanyFacts`, through the facts pool), never on
 * the event loop. `bytes` owns its whole buffer, so it can be transferred there without a copy.
 */
export type CompanyFactsDownload = { url: string; bytes: Uint8Array };

export type EdgarClient = {
  tickers(): Promise<CompanyTicker[]>;
  submissions(cik: string | number): Promise<Submissions>;
  submissionsPage(fileName: string): Promise<FilingColumns>;
  companyFacts(cik: string | number): Promise<CompanyFactsDownload>;
  /** `deadline` (epoch ms): no retry begins past it (a task's time budget). */
  document(
    cik: string | number,
    accession: string,
    primaryDocument: string,
    options?: { deadline?: number },
  ): Promise<FilingDocument>;
  documentUrl(cik: string | number, accession: string, primaryDocument: string): string;
};

export function createEdgarClient(options: EdgarClientOptions): EdgarClient {
  const www = options.wwwUrl.replace(/\/+$/, '');
  const data = options.dataUrl.replace(/\/+$/, '');
  const http = {
    userAgent: options.userAgent,
    // SEC moves a path, or between its hosts, now and then: a redirect is followed only to these.
    edgarOrigins: [...new Set([new URL(www).origin, new URL(data).origin])],
    limiter: options.limiter,
    fetch: options.fetch ?? globalThis.fetch,
    maxAttempts: options.maxAttempts,
    timeoutMs: options.timeoutMs,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? EDGAR_MAX_DELAY_MS,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  };
  const jsonHttp = { ...http, cap: jsonCap(options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES, 'EDGAR_MAX_JSON_BYTES') };
  const listHttp = { ...http, cap: jsonCap(options.maxListBytes ?? DEFAULT_MAX_LIST_BYTES, 'EDGAR_MAX_LIST_BYTES') };
  // Parsed here, on the event loop: only what listHttp's cap lets through.
  const getJson = async <T>(url: string, parse: (url: string, text: string) => T): Promise<T> =>
    parse(url, await httpGetText(url, listHttp));

  // A name that would leave the filing's folder is never asked for: the folder stands in for it.
  const documentUrl = (cik: string | number, accession: string, primaryDocument: string | null) =>
    archiveUrl(www, cik, accession, primaryDocument);

  return {
    tickers: async () => {
      const url = `${www}/files/company_tickers.json`;
      const { entries, skipped } = await getJson(url, (u, text) => parseEdgarJson(u, text, CompanyTickerMapSchema));
      if (skipped.count > 0) {
        options.logger?.warn(
          { url, skipped: skipped.count, samples: skipped.samples },
          'company_tickers.json entries without a ticker or CIK were left out; the others are kept',
        );
      }
      return entries;
    },
    submissions: (cik) =>
      getJson(`${data}/submissions/CIK${padCik(cik)}.json`, (url, text) =>
        parseEdgarJson(url, text, SubmissionsSchema),
      ),
    submissionsPage: async (fileName) => {
      if (!/^CIK\d{10}-submissions-\d{3}\.json$/.test(fileName)) {
        throw new RangeError(`not a submissions page file name: ${JSON.stringify(fileName)}`);
      }
      return getJson(`${data}/submissions/${fileName}`, (url, text) => parseEdgarJson(url, text, FilingColumnsSchema));
    },
    companyFacts: async (cik) => {
      const url = `${data}/api/xbrl/companyfacts/CIK${padCik(cik)}.json`;
      return { url, bytes: await httpGetBytes(url, jsonHttp) };
    },
    document: async (cik, accession, primaryDocument, { deadline } = {}) => {
      if (usablePrimaryDocument(primaryDocument) === null) {
        throw new EdgarError(
          'not_found',
          `EDGAR's filing list names ${JSON.stringify(primaryDocument.slice(0, 200))} as the primary document, which is not a file inside the filing's folder, so it was not fetched`,
          { url: documentUrl(cik, accession, null), retryable: false },
        );
      }
      const url = documentUrl(cik, accession, primaryDocument);
      const capped =
        options.maxDocumentBytes === undefined ? http : { ...http, cap: documentCap(options.maxDocumentBytes) };
      // As bytes: their charset is read from them (documentText), not assumed to be UTF-8.
      const bytes = await httpGetBytes(url, deadline === undefined ? capped : { ...capped, deadline });
      const text = documentText(bytes);
      // Cut, an empty body would read as a document without its sections (section_not_found, for
      // good): it is EDGAR's answer that failed, and asking again may well get the document.
      if (text.trim() === '') {
        throw new EdgarError(
          'malformed',
          `EDGAR answered ${url} with an empty document, so its text could not be cut; a retry may get it`,
          {
            url,
            retryable: true,
          },
        );
      }
      return { url, text };
    },
    documentUrl,
  };
}

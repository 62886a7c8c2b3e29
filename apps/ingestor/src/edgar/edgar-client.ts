import { CompanyFactsSchema, type CompanyFacts } from './company-facts-schema';
import { CompanyTickersSchema, type CompanyTicker } from './company-tickers-schema';
import { httpGetText, type EdgarLogger, type RequestObservation } from './http-get';
import { accessionFolder, padCik, unpaddedCik } from './identifiers';
import { parseEdgarJson } from './parse-json';
import type { RequestLimiter } from './request-limiter';
import { FilingColumnsSchema, SubmissionsSchema, type FilingColumns, type Submissions } from './submissions-schema';

export type EdgarClientOptions = {
  /** https://www.sec.gov, or a mirror's http://127.0.0.1:PORT/www.sec.gov */
  wwwUrl: string;
  /** https://data.sec.gov, or a mirror's http://127.0.0.1:PORT/data.sec.gov */
  dataUrl: string;
  userAgent: string;
  limiter: RequestLimiter;
  maxAttempts: number;
  timeoutMs: number;
  /** A primary document larger than this is not read (`document_too_large`); other responses are not capped. */
  maxDocumentBytes?: number;
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

export type FilingDocument = { url: string; text: string };

export type EdgarClient = {
  tickers(): Promise<CompanyTicker[]>;
  submissions(cik: string | number): Promise<Submissions>;
  submissionsPage(fileName: string): Promise<FilingColumns>;
  companyFacts(cik: string | number): Promise<CompanyFacts>;
  document(cik: string | number, accession: string, primaryDocument: string): Promise<FilingDocument>;
  documentUrl(cik: string | number, accession: string, primaryDocument: string): string;
};

export function createEdgarClient(options: EdgarClientOptions): EdgarClient {
  const www = options.wwwUrl.replace(/\/+$/, '');
  const data = options.dataUrl.replace(/\/+$/, '');
  const http = {
    userAgent: options.userAgent,
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
  const getJson = async <T>(url: string, parse: (url: string, text: string) => T): Promise<T> =>
    parse(url, await httpGetText(url, http));

  const documentUrl = (cik: string | number, accession: string, primaryDocument: string) => {
    // primaryDocument may hold a sub-path (xslF345X05/form4.xml); encode each segment, keep the slashes.
    const path = primaryDocument.split('/').map(encodeURIComponent).join('/');
    return `${www}/Archives/edgar/data/${unpaddedCik(cik)}/${accessionFolder(accession)}/${path}`;
  };

  return {
    tickers: () =>
      getJson(`${www}/files/company_tickers.json`, (url, text) => parseEdgarJson(url, text, CompanyTickersSchema)),
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
    companyFacts: (cik) =>
      getJson(`${data}/api/xbrl/companyfacts/CIK${padCik(cik)}.json`, (url, text) =>
        parseEdgarJson(url, text, CompanyFactsSchema),
      ),
    document: async (cik, accession, primaryDocument) => {
      const url = documentUrl(cik, accession, primaryDocument);
      const capped = options.maxDocumentBytes === undefined ? http : { ...http, maxBytes: options.maxDocumentBytes };
      return { url, text: await httpGetText(url, capped) };
    },
    documentUrl,
  };
}

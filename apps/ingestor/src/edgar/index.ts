export { createEdgarClient, type EdgarClient, type EdgarClientOptions, type FilingDocument } from './edgar-client';
export { EdgarError, isEdgarError, type EdgarErrorCode } from './edgar-error';
export { unlimited, type RequestLimiter } from './request-limiter';
export type { EdgarLogger, RequestObservation } from './http-get';
export {
  EdgarConfigSchema,
  SecUserAgentSchema,
  edgarUserAgentRequired,
  MIRROR_USER_AGENT,
  SEC_DATA_URL,
  SEC_WWW_URL,
  type EdgarConfig,
} from './edgar-config';
export { createTickerDirectory, type TickerDirectory } from './ticker-directory';
export { CompanyTickersSchema, type CompanyTicker } from './company-tickers-schema';
export {
  SubmissionsSchema,
  FilingColumnsSchema,
  SubmissionsPageRefSchema,
  type Submissions,
  type FilingColumns,
  type SubmissionsPageRef,
} from './submissions-schema';
export { CompanyFactsSchema, type CompanyFacts, type CompanyFact, type CompanyConcept } from './company-facts-schema';
export { padCik, unpaddedCik, accessionFolder } from './identifiers';
export { selectAnnualFilings, annualFilings, type AnnualFiling } from './select-annual-filings';
export { pagesNeeded } from './pages-needed';
export { fiscalYearOf, estimateReportDate } from './fiscal-year';
export { annualFormOf } from './annual-forms';
export { indexFactsByAccession, factsForAccession, type FilingFact } from './facts-by-accession';
export { extractSections, type FilingSection, type SectionKind } from './extract-sections';
export { htmlToText } from './html-to-text';

import { primaryDocumentPath, usablePrimaryDocument } from '@symbology/contracts';

/**
 * Where a filing's primary document lives on SEC's own site, whatever address it was fetched from,
 * encoded as the ingestor's secArchiveUrl encodes it (one helper); null for a name that would leave
 * the filing's folder (`..`, `//host`), which the ingestor never fetches either.
 */
export function secDocumentUrl(cik: string, accession: string, primaryDocument: string): string | null {
  if (usablePrimaryDocument(primaryDocument) === null) return null;
  const folder = accession.replace(/-/g, '');
  return `https://www.sec.gov/Archives/edgar/data/${Number(cik)}/${folder}/${primaryDocumentPath(primaryDocument)}`;
}

export type DocumentLinks = {
  /** SEC's canonical address of the primary document; null where EDGAR lists no primary document. */
  documentUrl: string | null;
  /** The copy the ingestor read, when that was not SEC itself (the EDGAR mirror when offline). */
  localCopyUrl: string | null;
};

/**
 * The links a page shows for a filing: always SEC's own address, and the address the document was
 * fetched from only as an extra, when it differs (a local mirror's `http://127.0.0.1:8500/...`).
 */
export function documentLinks(filing: {
  cik: string;
  accession: string;
  primaryDocument: string | null;
  primaryDocumentUrl: string;
}): DocumentLinks {
  const documentUrl = filing.primaryDocument
    ? secDocumentUrl(filing.cik, filing.accession, filing.primaryDocument)
    : null;
  const fetchedFrom = filing.primaryDocumentUrl;
  const isSec = /^https:\/\/www\.sec\.gov\//.test(fetchedFrom);
  return { documentUrl, localCopyUrl: fetchedFrom && !isSec && fetchedFrom !== documentUrl ? fetchedFrom : null };
}

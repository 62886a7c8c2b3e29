import { SEC_WWW_URL } from './edgar-config';
import { accessionFolder, unpaddedCik } from './identifiers';
import { primaryDocumentPath, usablePrimaryDocument } from '@symbology/contracts';

/**
 * A filing's primary document under `www` (SEC's site, or the mirror the ingestor reads), or the
 * filing's folder where EDGAR lists no usable primary document: a name that would leave the folder
 * (`..`, `//host`) is not a document of this filing.
 */
export function archiveUrl(
  www: string,
  cik: string | number,
  accession: string,
  primaryDocument: string | null,
): string {
  const folder = `${www}/Archives/edgar/data/${unpaddedCik(cik)}/${accessionFolder(accession)}/`;
  const usable = usablePrimaryDocument(primaryDocument);
  return usable === null ? folder : folder + primaryDocumentPath(usable);
}

/**
 * A filing's address on SEC's own site, whatever EDGAR (or mirror) the ingestor reads from. This is
 * what events and rows carry, so a link a person follows never points at a test mirror.
 */
export function secArchiveUrl(cik: string, accession: string, primaryDocument: string | null): string {
  return archiveUrl(SEC_WWW_URL, cik, accession, primaryDocument);
}

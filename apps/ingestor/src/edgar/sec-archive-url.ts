import { SEC_WWW_URL } from './edgar-config';
import { accessionFolder, unpaddedCik } from './identifiers';
import { primaryDocumentPath, usablePrimaryDocument } from '@symbology/contracts';

/**
 * A filing's address on SEC's own site, whatever EDGAR (or mirror) the ingestor reads from: its
 * primary document, or the filing's folder where EDGAR lists no usable primary document. This is what
 * events and rows carry, so a link a person follows never points at a test mirror.
 */
export function secArchiveUrl(cik: string, accession: string, primaryDocument: string | null): string {
  const folder = `${SEC_WWW_URL}/Archives/edgar/data/${unpaddedCik(cik)}/${accessionFolder(accession)}/`;
  // A name that would leave the folder (`..`, `//host`) is not a document of this filing.
  const usable = usablePrimaryDocument(primaryDocument);
  return usable === null ? folder : folder + primaryDocumentPath(usable);
}

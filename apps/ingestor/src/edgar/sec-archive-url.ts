import { SEC_WWW_URL } from './edgar-config';
import { accessionFolder, unpaddedCik } from './identifiers';

/**
 * A filing's address on SEC's own site, whatever EDGAR (or mirror) the ingestor reads from: its
 * primary document, or the filing's folder where EDGAR lists no primary document. This is what
 * events and rows carry, so a link a person follows never points at a test mirror.
 */
export function secArchiveUrl(cik: string, accession: string, primaryDocument: string | null): string {
  const folder = `${SEC_WWW_URL}/Archives/edgar/data/${unpaddedCik(cik)}/${accessionFolder(accession)}/`;
  if (!primaryDocument) return folder;
  return folder + primaryDocument.split('/').map(encodeURIComponent).join('/');
}

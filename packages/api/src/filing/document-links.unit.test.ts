import { describe, expect, it } from 'vitest';
import { documentLinks, secDocumentUrl } from './document-links';

const filing = { cik: '0000320193', accession: '0000320193-24-000123', primaryDocument: 'aapl-20240928.htm' };
const SEC = 'https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/aapl-20240928.htm';

describe('document links', () => {
  it("builds SEC's canonical address: unpadded CIK, accession without dashes", () => {
    expect(secDocumentUrl(filing.cik, filing.accession, filing.primaryDocument)).toBe(SEC);
  });

  it('shows the mirror copy only as an extra link, never in place of SEC', () => {
    const mirror = 'http://127.0.0.1:8500/Archives/edgar/data/320193/000032019324000123/aapl-20240928.htm';
    expect(documentLinks({ ...filing, primaryDocumentUrl: mirror })).toEqual({
      documentUrl: SEC,
      localCopyUrl: mirror,
    });
    expect(documentLinks({ ...filing, primaryDocumentUrl: SEC })).toEqual({ documentUrl: SEC, localCopyUrl: null });
  });

  it('has no document link where EDGAR lists no primary document', () => {
    expect(documentLinks({ ...filing, primaryDocument: null, primaryDocumentUrl: '' })).toEqual({
      documentUrl: null,
      localCopyUrl: null,
    });
  });
});

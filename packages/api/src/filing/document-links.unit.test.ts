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

  // The same cases as the ingestor's sec-archive-url.unit.test.ts: the page links what was fetched.
  const FOLDER = 'https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/';
  it.each([
    ['aapl-20240928.htm', 'aapl-20240928.htm'],
    ['xslF345X05/form4.xml', 'xslF345X05/form4.xml'],
    ['a?b#c.htm', 'a%3Fb%23c.htm'],
    ['10-K 2024.htm', '10-K%202024.htm'],
  ])('encodes each segment of %j as the ingestor does: %s', (doc, path) => {
    const url = secDocumentUrl(filing.cik, filing.accession, doc);
    expect(url).toBe(FOLDER + path);
    expect(new URL(url ?? '').href).toBe(FOLDER + path);
  });

  it.each(['../../1318605/000162828025003063/tsla-20241231.htm', '//evil.example/x', 'a/./b.htm'])(
    'has no document link for %j, a name leaving the filing folder',
    (doc) => {
      expect(secDocumentUrl(filing.cik, filing.accession, doc)).toBeNull();
      expect(documentLinks({ ...filing, primaryDocument: doc, primaryDocumentUrl: FOLDER }).documentUrl).toBeNull();
    },
  );
});

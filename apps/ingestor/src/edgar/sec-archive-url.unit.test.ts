import { describe, expect, it } from 'vitest';
import { secArchiveUrl } from './sec-archive-url';

// The same cases as packages/api's document-links.unit.test.ts: the stored link and the page's agree.
const FOLDER = 'https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/';
const link = (doc: string | null) => secArchiveUrl('0000320193', '0000320193-24-000123', doc);

describe('secArchiveUrl', () => {
  it.each([
    ['aapl-20240928.htm', 'aapl-20240928.htm'],
    ['xslF345X05/form4.xml', 'xslF345X05/form4.xml'],
    ['a?b#c.htm', 'a%3Fb%23c.htm'],
    ['10-K 2024.htm', '10-K%202024.htm'],
  ])('given %j, then the folder and %s', (doc, path) => {
    expect(link(doc)).toBe(FOLDER + path);
  });

  it.each([null, '../../1318605/000162828025003063/tsla-20241231.htm', '//evil.example/x', 'a/./b.htm'])(
    'given %j, then the filing folder: a name leaving it is not a document of this filing',
    (doc) => {
      expect(link(doc)).toBe(FOLDER);
      expect(new URL(link(doc)).href).toBe(FOLDER);
    },
  );
});

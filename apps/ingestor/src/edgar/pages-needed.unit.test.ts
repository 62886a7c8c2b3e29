import { describe, expect, it } from 'vitest';
import { pagesNeeded } from './pages-needed';
import { SubmissionsSchema } from './submissions-schema';
import { FIXTURES_DIR, SHARED_DIR, hasShared, readJson } from './test-data';

const load = (root: string, cik: string) =>
  SubmissionsSchema.parse(readJson(root, `data.sec.gov/submissions/CIK${cik}.json`));

describe.skipIf(!hasShared)('pagesNeeded, given real submissions', () => {
  it('when recent already holds five annual reports (Apple, Tesla), then no page', () => {
    expect(pagesNeeded(load(SHARED_DIR, '0000320193'), 5)).toEqual([]);
    expect(pagesNeeded(load(SHARED_DIR, '0001318605'), 5)).toEqual([]);
  });

  it('when Tesla is asked for ten years, then its one page', () => {
    expect(pagesNeeded(load(SHARED_DIR, '0001318605'), 10)).toEqual(['CIK0001318605-submissions-001.json']);
  });

  it('when Fannie Mae has three 10-Ks in recent, then only the page reaching back to FY2021, not the older two', () => {
    expect(pagesNeeded(load(SHARED_DIR, '0000310522'), 5)).toEqual(['CIK0000310522-submissions-001.json']);
  });

  it('when the filer has no pages (Buffett), then none', () => {
    expect(pagesNeeded(load(SHARED_DIR, '0000315090'), 5)).toEqual([]);
  });
});

describe('pagesNeeded, given a filer without annual reports in recent', () => {
  it('when it has pages, then all of them, since there is no year to count back from', () => {
    const noar = load(FIXTURES_DIR, '0009999997');
    const files = [
      { name: 'CIK0009999997-submissions-001.json', filingCount: 10, filingFrom: '2015-01-01', filingTo: '2020-01-01' },
      { name: 'CIK0009999997-submissions-002.json', filingCount: 10, filingFrom: '2001-01-01', filingTo: '2014-12-31' },
    ];
    expect(pagesNeeded({ ...noar, filings: { ...noar.filings, files } }, 5)).toEqual(files.map((f) => f.name));
  });
});

import { describe, expect, it } from 'vitest';
import { missingLines } from './outcome';
import { reasonPieces, shortReason, urlName } from './reason';

const url = 'http://127.0.0.1:50375/www.sec.gov/Archives/edgar/data/320193/000032019325000079/aapl-20250927.htm';
const notFound = `EDGAR has no document at ${url} (HTTP 404)`;

describe('reasons on the page: a URL said by its file name', () => {
  it('shortens a URL inside a reason to the last segment of its path', () => {
    expect(shortReason(notFound)).toBe('EDGAR has no document at aapl-20250927.htm (HTTP 404)');
  });

  it('keeps the whole address beside the name, for the tooltip', () => {
    expect(reasonPieces(notFound)).toEqual([
      { text: 'EDGAR has no document at ' },
      { text: 'aapl-20250927.htm', url },
      { text: ' (HTTP 404)' },
    ]);
  });

  it('leaves a sentence mark after the URL outside it, and a reason without a URL as it is', () => {
    expect(shortReason('Could not read https://www.sec.gov/a/b/x.htm.')).toBe('Could not read x.htm.');
    expect(shortReason('https://www.sec.gov/a/b/x.htm, then gave up')).toBe('x.htm, then gave up');
    expect(reasonPieces('Section not found')).toEqual([{ text: 'Section not found' }]);
  });

  it('names a URL with no path by its host', () => {
    expect(urlName('https://www.sec.gov/')).toBe('www.sec.gov');
  });

  it('says a reason shared by several parts of a filing once, shortened', () => {
    const missing = (['business', 'risk_factors', 'mdna'] as const).map((part) => ({ part, message: notFound }));
    expect(missingLines(missing).map(shortReason)).toEqual([
      'Business, Risk factors, MD&A missing: EDGAR has no document at aapl-20250927.htm (HTTP 404)',
    ]);
  });
});

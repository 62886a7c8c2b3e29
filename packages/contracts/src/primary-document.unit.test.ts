import { describe, expect, it } from 'vitest';
import { primaryDocumentPath, usablePrimaryDocument } from './primary-document';

describe("usablePrimaryDocument: a name that stays inside the filing's folder", () => {
  it.each([
    ['aapl-20240928.htm', 'aapl-20240928.htm'],
    ['xslF345X05/form4.xml', 'xslF345X05/form4.xml'],
    ['a?b#c.htm', 'a%3Fb%23c.htm'],
    ['10-K 2024.htm', '10-K%202024.htm'],
    ['..%2f..%2fx', '..%252f..%252fx'],
    ['...htm', '...htm'],
  ])('given %j, then it is kept and its path is %s', (name, path) => {
    expect(usablePrimaryDocument(name)).toBe(name);
    expect(primaryDocumentPath(name)).toBe(path);
  });

  it.each([
    '../../1318605/000162828025003063/tsla-20241231.htm',
    '../../../../files/company_tickers.json',
    './a.htm',
    'a/./b.htm',
    'a//b.htm',
    'a/',
    '/etc/passwd',
    '//evil.example/x',
    'https://evil.example/x',
    '.\\..\\x',
    '\uD800.htm',
    `${'a'.repeat(997)}.htm`,
    '',
  ])('given %j, then it counts as no primary document', (name) => {
    expect(usablePrimaryDocument(name)).toBeNull();
    expect(() => primaryDocumentPath(name)).toThrow(RangeError);
  });
});

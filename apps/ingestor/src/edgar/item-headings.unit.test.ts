import { describe, expect, it } from 'vitest';
import { findItemHeadings, parseItemHeading, parseSubItemHeading } from './item-headings';

const keys = (paragraphs: string[], subItems: boolean) =>
  findItemHeadings(paragraphs, { subItems }).map((h) => [h.item, h.level]);

describe('parseItemHeading', () => {
  it.each([
    ['Item 1. Business', '1'],
    ['ITEM 1A: RISK FACTORS', '1A'],
    ['Item 7 \u2014 Management\u2019s Discussion', '7'],
    ['Item 4A. Unresolved Staff Comments', '4A'],
    ['Item 1.', '1'],
  ])('given %j, then it is item %s', (paragraph, item) => {
    expect(parseItemHeading(paragraph)?.item).toBe(item);
  });

  it('given a cross-reference in running text or a long paragraph, then it is no heading', () => {
    expect(parseItemHeading('Item 7 of this report discusses results')).toBeUndefined();
    expect(parseItemHeading(`Item 1. ${'Business '.repeat(30)}`)).toBeUndefined();
  });

  it('given items and 20-F sub-items, then they sort 1 < 1A < 2 and 3 < 3.D < 4 < 4.A < 4A < 5', () => {
    const order = (p: string, current?: number) => (parseSubItemHeading(p, current) ?? parseItemHeading(p))?.order;
    const sorted = ['Item 3.', '3.D. Risk Factors', 'Item 4.', 'A. History', 'Item 4A.', 'Item 5.'].map((p) =>
      order(p, 4),
    );
    expect(sorted).toEqual([...sorted].sort((a = 0, b = 0) => a - b));
    expect(order('Item 1.')).toBeLessThan(order('Item 1A.') ?? 0);
    expect(order('Item 1A.')).toBeLessThan(order('Item 2.') ?? 0);
  });
});

describe('findItemHeadings', () => {
  const TWENTY_F = [
    'Item 3. Key Information',
    'A. [Reserved]',
    'D. Risk Factors',
    'a. the first of our lettered prose points',
    'Item 3.D. Risk Factors',
    '3.D Risk Factors',
    'Item 4. Information on the Company',
    'B. Business Overview',
    'Item 4A. Unresolved Staff Comments',
  ];

  it('given a 20-F, when sub-items are read, then bare letters belong to the last item and numbered ones to theirs', () => {
    expect(keys(TWENTY_F, true)).toEqual([
      ['3', 'item'],
      ['3.A', 'subitem'],
      ['3.D', 'subitem'],
      ['3.D', 'subitem'],
      ['3.D', 'subitem'],
      ['4', 'item'],
      ['4.B', 'subitem'],
      ['4A', 'item'],
    ]);
  });

  it('given a 10-K, when sub-items are not read, then "Item 3.D" is Item 3 as before and letters are nothing', () => {
    expect(keys(TWENTY_F, false)).toEqual([
      ['3', 'item'],
      ['3', 'item'],
      ['4', 'item'],
      ['4A', 'item'],
    ]);
  });

  it('given a lettered heading before any item, then it is no sub-item', () => {
    expect(keys(['D. Risk Factors', 'Item 1. Business'], true)).toEqual([['1', 'item']]);
  });
});

/** A line of a 10-K that looks like an item heading ("Item 1A. Risk Factors"), in the TOC or the body. */
export type ItemHeading = {
  /** Normalised item key: "1", "1A", "7A", ... */
  item: string;
  /** Sort position of the item in a 10-K: 1 < 1A < 1B < 2 < ... < 7 < 7A < 8. */
  order: number;
  /** Index of the paragraph that holds the heading. */
  paragraph: number;
  title: string;
};

// "Item", "ITEM", "Items 1 and 2", then the number, an optional letter, optional punctuation.
const HEADING = /^items?\s*(\d{1,2})\s*([a-d])?(?![a-z0-9])\s*[.:\-\u2013\u2014]?\s*/i;
// What may follow the item number in a heading: nothing, or a capitalised title. Cross-references
// in running text ("Item 7 of this report") continue in lower case and are not headings.
const TITLE_START = /^(?:$|[A-Z[\u201c"'(]|and\s+\d)/;
/** Headings are short; a long paragraph that starts with "Item 7" is prose. */
const MAX_HEADING_LENGTH = 200;

export function parseItemHeading(paragraph: string): Pick<ItemHeading, 'item' | 'order' | 'title'> | undefined {
  if (paragraph.length > MAX_HEADING_LENGTH) return undefined;
  const match = HEADING.exec(paragraph);
  if (!match?.[1]) return undefined;
  const rest = paragraph.slice(match[0].length);
  if (!TITLE_START.test(rest)) return undefined;
  const letter = (match[2] ?? '').toUpperCase();
  const number = Number(match[1]);
  return {
    item: `${number}${letter}`,
    order: number * 10 + (letter ? letter.charCodeAt(0) - 64 : 0),
    title: paragraph,
  };
}

/** Every item heading among the paragraphs, in document order. */
export function findItemHeadings(paragraphs: readonly string[]): ItemHeading[] {
  const headings: ItemHeading[] = [];
  paragraphs.forEach((text, paragraph) => {
    const heading = parseItemHeading(text);
    if (heading) headings.push({ ...heading, paragraph });
  });
  return headings;
}

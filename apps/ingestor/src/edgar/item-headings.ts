/** A line of an annual report that looks like an item heading ("Item 1A. Risk Factors"), in the TOC or the body. */
export type ItemHeading = {
  /** Normalised key: "1", "1A", "7A" for items; "3.D" for a 20-F sub-item. */
  item: string;
  /** Sort position: 1 < 1A < 1B < 2, and 3 < 3.A < 3.D < 3A < 4 (a 20-F's Item 4A follows 4.A-4.D). */
  order: number;
  /** Items end sections; sub-items ("D. Risk Factors" inside Item 3) only start them. */
  level: 'item' | 'subitem';
  /** Index of the paragraph that holds the heading. */
  paragraph: number;
  title: string;
};

export type HeadingOptions = {
  /** Recognise 20-F sub-items: "3.D Risk Factors", "Item 3.D.", or "D. Risk Factors" under Item 3. */
  subItems: boolean;
};

// "Item", "ITEM", "Items 1 and 2", then the number, an optional letter, optional punctuation.
const HEADING = /^items?\s*(\d{1,2})\s*([a-d])?(?![a-z0-9])\s*[.:\-\u2013\u2014]?\s*/i;
// "3.D", "Item 3.D.", "3.D:" (a 20-F sub-item with its item's number).
const NUMBERED_SUBITEM = /^(?:items?\s*)?(\d{1,2})\s*\.\s*([a-h])(?![a-z0-9])\s*[.:\-\u2013\u2014]?\s*/i;
// "D. Risk Factors": upper case only, so a lettered list in prose ("a. the Company") is not one.
const LETTERED_SUBITEM = /^([A-H])\s*[.:\u2013\u2014]\s*/;
// What may follow the item number in a heading: nothing, or a capitalised title. Cross-references
// in running text ("Item 7 of this report") continue in lower case and are not headings.
const TITLE_START = /^(?:$|[A-Z[\u201c"'(]|and\s+\d)/;
/** Headings are short; a long paragraph that starts with "Item 7" is prose. */
const MAX_HEADING_LENGTH = 200;

const letterIndex = (letter: string) => letter.toUpperCase().charCodeAt(0) - 64;

type ParsedHeading = Omit<ItemHeading, 'paragraph'>;

export function parseItemHeading(paragraph: string): ParsedHeading | undefined {
  if (paragraph.length > MAX_HEADING_LENGTH) return undefined;
  const match = HEADING.exec(paragraph);
  if (!match?.[1] || !TITLE_START.test(paragraph.slice(match[0].length))) return undefined;
  const letter = (match[2] ?? '').toUpperCase();
  const number = Number(match[1]);
  return {
    item: `${number}${letter}`,
    order: number * 100 + (letter ? 50 + letterIndex(letter) : 0),
    level: 'item',
    title: paragraph,
  };
}

/** A 20-F sub-item heading; a bare letter belongs to the item whose heading came last. */
export function parseSubItemHeading(paragraph: string, currentItem: number | undefined): ParsedHeading | undefined {
  if (paragraph.length > MAX_HEADING_LENGTH) return undefined;
  const numbered = NUMBERED_SUBITEM.exec(paragraph);
  const lettered = numbered ? undefined : LETTERED_SUBITEM.exec(paragraph);
  const match = numbered ?? lettered;
  if (!match || !TITLE_START.test(paragraph.slice(match[0].length))) return undefined;
  const number = numbered ? Number(numbered[1]) : currentItem;
  const letter = (numbered ? numbered[2] : lettered?.[1])?.toUpperCase();
  if (number === undefined || !letter) return undefined;
  return { item: `${number}.${letter}`, order: number * 100 + letterIndex(letter), level: 'subitem', title: paragraph };
}

/** Every item heading among the paragraphs, in document order; one pass. */
export function findItemHeadings(
  paragraphs: readonly string[],
  options: HeadingOptions = { subItems: false },
): ItemHeading[] {
  const headings: ItemHeading[] = [];
  let currentItem: number | undefined;
  paragraphs.forEach((text, paragraph) => {
    const heading = (options.subItems ? parseSubItemHeading(text, currentItem) : undefined) ?? parseItemHeading(text);
    if (!heading) return;
    if (heading.level === 'item') currentItem = Math.floor(heading.order / 100);
    headings.push({ ...heading, paragraph });
  });
  return headings;
}

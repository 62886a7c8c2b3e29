import { htmlToText } from './html-to-text';
import { findItemHeadings, type ItemHeading } from './item-headings';

export type SectionKind = 'business' | 'risk_factors' | 'mdna';
export type FilingSection = { section: SectionKind; title: string; text: string };

/** The 10-K items cut out, in the order they appear in the document. */
const SECTION_ITEMS: ReadonlyArray<{ section: SectionKind; item: string }> = [
  { section: 'business', item: '1' },
  { section: 'risk_factors', item: '1A' },
  { section: 'mdna', item: '7' },
];

/** Page furniture between paragraphs: "Apple Inc. | 2024 Form 10-K | 5", a bare page number, "PART II". */
const FURNITURE = [
  /^\d{1,3}$/,
  /^.{0,100}\|\s*\d{4}\s+form\s+10-k\s*\|\s*\d{1,3}$/i,
  /^part\s+[ivx]+\.?$/i,
  /^table of contents$/i,
];

/**
 * Cuts Item 1 (Business), Item 1A (Risk Factors) and Item 7 (MD&A) out of a 10-K primary document
 * as plain text. Sections the document does not have (a 10-K that incorporates MD&A by reference
 * to an exhibit, say) are left out rather than guessed. Forms other than 10-K number their items
 * differently (20-F: Item 3.D, 4, 5), so they yield nothing rather than the wrong text.
 */
export function extractSections(html: string, form = '10-K'): FilingSection[] {
  if (!/^10-K/.test(form)) return [];
  const paragraphs = htmlToText(html).split('\n\n');
  const headings = findItemHeadings(paragraphs);
  const sections: FilingSection[] = [];
  for (const { section, item } of SECTION_ITEMS) {
    const span = longestSpan(headings, item);
    if (!span) continue;
    const body = paragraphs.slice(span.start.paragraph, span.end).filter((p) => !FURNITURE.some((re) => re.test(p)));
    sections.push({ section, title: headingTitle(paragraphs, span.start), text: body.join('\n\n') });
  }
  return sections;
}

/** Some documents set "Item 1." and "Business" as two blocks; the title is both. */
function headingTitle(paragraphs: readonly string[], heading: ItemHeading): string {
  const next = paragraphs[heading.paragraph + 1];
  const bare = /^items?\s*\d{1,2}\s*[a-d]?\s*[.:\-\u2013\u2014]?$/i.test(heading.title);
  return bare && next && next.length <= 150 ? `${heading.title} ${next}` : heading.title;
}

type Span = { start: ItemHeading; end: number; length: number };

/**
 * The table of contents names every item too, so each heading of the wanted item is tried as the
 * start; it runs to the next heading of a later item. The TOC entry ends a line later, the body
 * heading pages later: the longest span is the section. A heading of an earlier item inside the
 * section (a cross-reference set as its own line) does not end it.
 */
function longestSpan(headings: readonly ItemHeading[], item: string): Span | undefined {
  let best: Span | undefined;
  headings.forEach((start, i) => {
    if (start.item !== item) return;
    const next = headings.slice(i + 1).find((h) => h.order > start.order);
    if (!next) return;
    const length = next.paragraph - start.paragraph;
    if (!best || length > best.length) best = { start, end: next.paragraph, length };
  });
  return best;
}

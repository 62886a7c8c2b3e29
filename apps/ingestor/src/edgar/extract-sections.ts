import { formSections, type SectionItem } from './extraction/form-sections';
import { tooShortReason } from './extraction/section-length';
import type { SectionExtraction, SectionOutcome } from './extraction/section-extraction';
import { DEFAULT_TEXT_LIMITS, htmlToParagraphs, type TextLimits } from './html-to-text';
import { findItemHeadings, type ItemHeading } from './item-headings';

export type { FilingSection, SectionExtraction, SectionKind } from './extraction/section-extraction';

/** Page furniture between paragraphs: "Apple Inc. | 2024 Form 10-K | 5", a bare page number, "PART II". */
const FURNITURE = [
  /^\d{1,3}$/,
  /^.{0,100}\|\s*\d{4}\s+form\s+(?:10-k|20-f)\s*\|\s*\d{1,3}$/i,
  /^part\s+[ivx]+\.?$/i,
  /^table of contents$/i,
];

/**
 * Cuts the business, risk factors and MD&A sections out of an annual report's primary document as
 * plain text: 10-K Items 1, 1A and 7; 20-F Items 4, 3.D and 5. A section the document does not
 * have (incorporated by reference, say), or whose text is implausibly short, is reported missing
 * with a reason rather than guessed. Linear in the document: one tokenizer pass, one pass over
 * the paragraphs for headings, one over the headings per section.
 */
export function extractSections(
  html: string,
  form = '10-K',
  limits: TextLimits = DEFAULT_TEXT_LIMITS,
): SectionExtraction {
  const scheme = formSections(form);
  if (scheme.kind === 'not_cut') return { kind: 'not_cut', form, code: 'form_not_cut', message: scheme.message };
  const { paragraphs, truncated } = htmlToParagraphs(html, limits);
  const headings = findItemHeadings(paragraphs, scheme.headings);
  const cut = (item: SectionItem) => cutSection(paragraphs, headings, item, truncated ? limits.maxTextChars : 0);
  return { kind: 'cut', form, sections: scheme.items.map(cut) };
}

function cutSection(
  paragraphs: readonly string[],
  headings: readonly ItemHeading[],
  item: SectionItem,
  truncatedAt: number,
): SectionOutcome {
  const { span, unended } = longestSpan(headings, item.item);
  const outcome = span ? cutSpan(paragraphs, span, item) : undefined;
  if (outcome?.status === 'found' && !(truncatedAt > 0 && unended)) return outcome;
  // Past the text limit, a section not found, too short or never ended may lie in the unread rest.
  if (truncatedAt > 0) {
    return {
      status: 'missing',
      section: item.section,
      code: 'text_limit_reached',
      message: `${item.label} was not read whole: the document holds more than ${truncatedAt.toLocaleString('en-US')} characters of text (EXTRACT_MAX_TEXT_CHARS), and the rest was not read`,
    };
  }
  return (
    outcome ?? {
      status: 'missing',
      section: item.section,
      code: 'section_not_found',
      message: `The document has no ${item.label} heading followed by a later item; the item may be incorporated by reference to another document`,
    }
  );
}

function cutSpan(paragraphs: readonly string[], span: Span, { section, label }: SectionItem): SectionOutcome {
  const titled = titleOf(paragraphs, span.start);
  const all = paragraphs.slice(span.start.paragraph, span.end);
  const tooShort = tooShortReason(label, withoutFurniture(all.slice(titled.paragraphs)));
  if (tooShort) return { status: 'missing', section, code: 'section_too_short', message: tooShort };
  return { status: 'found', section, title: titled.title, text: withoutFurniture(all) };
}

const withoutFurniture = (paragraphs: readonly string[]) =>
  paragraphs.filter((p) => !FURNITURE.some((re) => re.test(p))).join('\n\n');

const BARE_HEADING = /^(?:items?\s*\d{1,2}\s*[a-d]?|(?:items?\s*)?\d{1,2}\s*\.\s*[a-h]|[A-H])\s*[.:\-\u2013\u2014]?$/i;

/** Some documents set "Item 1." and "Business" as two blocks; the title is both. */
function titleOf(paragraphs: readonly string[], heading: ItemHeading): { title: string; paragraphs: number } {
  const next = paragraphs[heading.paragraph + 1];
  return BARE_HEADING.test(heading.title) && next && next.length <= 150
    ? { title: `${heading.title} ${next}`, paragraphs: 2 }
    : { title: heading.title, paragraphs: 1 };
}

type Span = { start: ItemHeading; end: number };

/**
 * The table of contents names every item too, so each heading of the wanted item is a candidate
 * start; it runs to the next item heading of a later item. The TOC entry ends a line later, the
 * body heading pages later: the longest span is the section. A heading of an earlier item inside
 * the section (a cross-reference set as its own line) does not end it, nor does a sub-item.
 * One pass: every start of the item shares one order, so the first later item ends all waiting
 * starts at once, and the earliest of them is the longest. `unended`: a start no later item ended.
 */
function longestSpan(headings: readonly ItemHeading[], item: string): { span?: Span; unended: boolean } {
  let span: Span | undefined;
  let waiting: ItemHeading | undefined;
  for (const heading of headings) {
    if (waiting && heading.level === 'item' && heading.order > waiting.order) {
      const length = heading.paragraph - waiting.paragraph;
      if (!span || length > span.end - span.start.paragraph) span = { start: waiting, end: heading.paragraph };
      waiting = undefined;
    }
    if (heading.item === item) waiting ??= heading;
  }
  return span ? { span, unended: waiting !== undefined } : { unended: waiting !== undefined };
}

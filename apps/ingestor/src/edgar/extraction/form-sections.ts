import type { HeadingOptions } from '../item-headings';
import type { SectionKind } from './section-extraction';

export type SectionItem = { section: SectionKind; item: string; label: string };

/** How a form's text is cut: which heading shapes to read and which item holds each section. */
export type FormSections =
  { kind: 'cut'; headings: HeadingOptions; items: readonly SectionItem[] } | { kind: 'not_cut'; message: string };

const cutBy = (subItems: boolean, items: ReadonlyArray<[SectionKind, string, string]>): FormSections => ({
  kind: 'cut',
  headings: { subItems },
  items: items.map(([section, item, title]) => ({ section, item, label: `Item ${item} (${title})` })),
});

const TEN_K = cutBy(false, [
  ['business', '1', 'Business'],
  ['risk_factors', '1A', 'Risk Factors'],
  ['mdna', '7', 'Management\u2019s Discussion and Analysis'],
]);

const TWENTY_F = cutBy(true, [
  ['business', '4', 'Information on the Company'],
  ['risk_factors', '3.D', 'Risk Factors'],
  ['mdna', '5', 'Operating and Financial Review and Prospects'],
]);

const FORTY_F: FormSections = {
  kind: 'not_cut',
  message:
    'Text sections are not cut from a 40-F: it wraps the annual information form and the MD&A as exhibits, ' +
    'not in its primary document, so only its XBRL facts are stored',
};

/** 10-K (and 10-K/A, 10-KT, 10-K405), 20-F (and 20-F/A); 40-F and anything else are not cut. */
export function formSections(form: string): FormSections {
  if (/^10-K/i.test(form)) return TEN_K;
  if (/^20-F/i.test(form)) return TWENTY_F;
  if (/^40-F/i.test(form)) return FORTY_F;
  return {
    kind: 'not_cut',
    message: `Text sections are cut only from 10-K and 20-F annual reports, not from a ${form.slice(0, 20)}`,
  };
}

/** The text parts of a filing, named as the filing's parts are (see docs/events.md). */
export const SECTION_KINDS = ['business', 'risk_factors', 'mdna'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** A section cut out of a document, ready to store: its strings are valid Postgres text. */
export type FilingSection = { section: SectionKind; title: string; text: string };

/** Why a section the form offers was not cut; each has a message a person can act on. */
export type MissingSectionCode =
  /** No heading of the item followed by a later item: left out, or incorporated by reference. */
  | 'section_not_found'
  /** The heading is there, but only a few hundred characters follow it ("Not applicable.", a truncated document). */
  | 'section_too_short'
  /** The document's text passed EXTRACT_MAX_TEXT_CHARS before the section ended. */
  | 'text_limit_reached';

export type SectionOutcome =
  | ({ status: 'found' } & FilingSection)
  | { status: 'missing'; section: SectionKind; code: MissingSectionCode; message: string };

/**
 * What extraction made of one primary document. `cut`: one outcome per section the form offers,
 * in SECTION_KINDS order. `not_cut`: the form's text is not cut at all (a 40-F, whose annual
 * information form is an exhibit), said once for the form rather than as three missing sections.
 */
export type SectionExtraction =
  | { kind: 'cut'; form: string; sections: SectionOutcome[] }
  | { kind: 'not_cut'; form: string; code: 'form_not_cut'; message: string };

/** The sections to store. */
export function foundSections(extraction: SectionExtraction): FilingSection[] {
  if (extraction.kind === 'not_cut') return [];
  return extraction.sections.flatMap((s) =>
    s.status === 'found' ? [{ section: s.section, title: s.title, text: s.text }] : [],
  );
}

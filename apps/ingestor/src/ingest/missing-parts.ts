import type { MissingPart } from '@symbology/contracts';
import type { SectionExtraction } from '../edgar/extraction/section-extraction';

/** The text sections a document's extraction could not cut, as missing parts of the filing. */
export function missingSections(extraction: SectionExtraction): MissingPart[] {
  if (extraction.kind === 'not_cut') return [];
  return extraction.sections.flatMap((s) =>
    s.status === 'missing' ? [{ part: s.section, code: s.code, message: s.message, retryable: false }] : [],
  );
}

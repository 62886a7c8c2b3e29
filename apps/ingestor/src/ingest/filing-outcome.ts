import {
  FilingPartSchema,
  type ErrorInfo,
  type FilingCompleted,
  type FilingFailed,
  type MissingPart,
} from '@symbology/contracts';
import type { PartRecord } from '../storage/filing-parts';

/** What one filing holds after its parts were worked on, as the event that reports it. */
export type FilingResult =
  | {
      outcome: 'completed' | 'partial';
      factsStored: number;
      sectionsStored: number;
      primaryDocumentUrl: string;
      missing: MissingPart[];
    }
  | { outcome: 'failed'; error: ErrorInfo; retryable: boolean; primaryDocumentUrl: string; missing: MissingPart[] };

const PART_ORDER = FilingPartSchema.options;

/** A reason as a sentence of its own (most are written without a full stop), so that several read as prose. */
const asSentence = (text: string) => (/[.!?…]$/.test(text) ? text : `${text}.`);

/**
 * The filing's outcome from what its parts hold now (whichever task stored them): `completed` when
 * every part its form offers is stored, `partial` when some are, `failed` when none is. A part the
 * form does not offer (the text of a 40-F) is neither stored nor missing.
 */
export function filingResult(parts: readonly PartRecord[], primaryDocumentUrl: string): FilingResult {
  const ordered = [...parts].sort((a, b) => PART_ORDER.indexOf(a.part) - PART_ORDER.indexOf(b.part));
  const stored = ordered.filter((p) => p.status === 'stored');
  const missing = ordered.flatMap((p): MissingPart[] =>
    p.status === 'missing'
      ? [{ part: p.part, code: p.code ?? 'missing', message: p.message ?? 'Not stored', retryable: p.retryable }]
      : [],
  );
  if (stored.length === 0) {
    // Each distinct reason once: the facts' and the document's reasons usually differ.
    const reasons = [...new Set(missing.map((m) => m.message))];
    return {
      outcome: 'failed',
      error: {
        code: missing[0]?.code ?? 'nothing_stored',
        message:
          reasons.length > 0
            ? `Nothing of this filing could be stored. ${reasons.map(asSentence).join(' ')}`
            : 'Nothing of this filing could be stored.',
      },
      retryable: missing.some((m) => m.retryable),
      primaryDocumentUrl,
      missing,
    };
  }
  return {
    outcome: missing.length === 0 ? 'completed' : 'partial',
    factsStored: stored.find((p) => p.part === 'facts')?.size ?? 0,
    sectionsStored: stored.filter((p) => p.part !== 'facts').length,
    primaryDocumentUrl,
    missing,
  };
}

/** The event that reports a filing's outcome. */
export function filingEvent(
  accession: string,
  result: FilingResult,
): { type: 'FilingCompleted'; data: FilingCompleted['data'] } | { type: 'FilingFailed'; data: FilingFailed['data'] } {
  if (result.outcome === 'failed') {
    const { error, retryable, missing } = result;
    return { type: 'FilingFailed', data: { accession, error, retryable, missing } };
  }
  const { outcome, factsStored, sectionsStored, primaryDocumentUrl, missing } = result;
  return {
    type: 'FilingCompleted',
    data: { accession, outcome, factsStored, sectionsStored, primaryDocumentUrl, missing },
  };
}

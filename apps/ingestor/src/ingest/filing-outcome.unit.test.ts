import { describe, expect, it } from 'vitest';
import { storedPart, type PartRecord } from '../storage/filing-parts';
import { filingResult } from './filing-outcome';

const URL = 'https://www.sec.gov/Archives/edgar/data/1/000000000125000001/x.htm';
const stored = storedPart;
const missing = (part: PartRecord['part'], code: string, message: string, retryable = false): PartRecord => ({
  part,
  status: 'missing',
  code,
  message,
  retryable,
  size: 0,
});
const notOffered = (part: PartRecord['part']): PartRecord => ({
  part,
  status: 'not_offered',
  code: 'form_not_cut',
  message: 'Text sections are not cut from a 40-F',
  retryable: false,
  size: 0,
});

describe('filingResult: a filing’s outcome from what its parts hold', () => {
  it('given every part stored, then completed with the counts', () => {
    const r = filingResult(
      [stored('mdna', 900), stored('facts', 120), stored('business', 800), stored('risk_factors', 700)],
      URL,
    );
    expect(r).toEqual({
      outcome: 'completed',
      factsStored: 120,
      sectionsStored: 3,
      primaryDocumentUrl: URL,
      missing: [],
    });
  });

  it('given a 40-F whose facts are stored and whose text the form does not offer, then completed', () => {
    const r = filingResult(
      [stored('facts', 80), notOffered('business'), notOffered('risk_factors'), notOffered('mdna')],
      URL,
    );
    expect(r).toMatchObject({ outcome: 'completed', factsStored: 80, sectionsStored: 0, missing: [] });
  });

  it('given facts stored and the text missing, then partial with each missing part in part order', () => {
    const r = filingResult(
      [missing('mdna', 'not_found', '404'), stored('facts', 5), missing('business', 'not_found', '404')],
      URL,
    );
    expect(r).toMatchObject({ outcome: 'partial', factsStored: 5, sectionsStored: 0 });
    expect(r.outcome === 'partial' && r.missing.map((m) => m.part)).toEqual(['business', 'mdna']);
  });

  it('given nothing stored, then failed with each distinct reason once, retryable when any part is', () => {
    const r = filingResult(
      [
        missing('facts', 'no_xbrl_facts', 'No facts.'),
        missing('business', 'upstream', 'EDGAR failed.', true),
        missing('mdna', 'upstream', 'EDGAR failed.', true),
      ],
      URL,
    );
    expect(r).toEqual({
      outcome: 'failed',
      error: { code: 'no_xbrl_facts', message: 'Nothing of this filing could be stored. No facts. EDGAR failed.' },
      retryable: true,
      primaryDocumentUrl: URL,
      missing: [
        { part: 'facts', code: 'no_xbrl_facts', message: 'No facts.', retryable: false },
        { part: 'business', code: 'upstream', message: 'EDGAR failed.', retryable: true },
        { part: 'mdna', code: 'upstream', message: 'EDGAR failed.', retryable: true },
      ],
    });
  });

  it('given reasons written without a full stop, then each still reads as its own sentence', () => {
    const r = filingResult(
      [
        missing('facts', 'no_xbrl_facts', 'EDGAR has no XBRL financial data (companyfacts) for this company'),
        missing('business', 'not_found', `EDGAR has no document at ${URL} (HTTP 404)`),
      ],
      URL,
    );
    expect(r.outcome === 'failed' && r.error.message).toBe(
      'Nothing of this filing could be stored. EDGAR has no XBRL financial data (companyfacts) for this company. ' +
        `EDGAR has no document at ${URL} (HTTP 404).`,
    );
  });
});

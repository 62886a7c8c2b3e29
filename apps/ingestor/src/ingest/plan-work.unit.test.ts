import type { FilingPart } from '@symbology/contracts';
import type { PartHolding } from '@symbology/db';
import { describe, expect, it } from 'vitest';
import type { AnnualFiling } from '../edgar/select-annual-filings';
import { planWork, resumePlan } from './plan-work';

const filing = (fiscalYear: number): AnnualFiling => ({
  accession: `0000000001-${String(fiscalYear + 1).slice(2)}-000001`,
  form: '10-K',
  fiscalYear,
  reportDate: `${fiscalYear}-12-31`,
  filingDate: `${fiscalYear + 1}-02-01`,
  primaryDocument: `a-${fiscalYear}.htm`,
});
const newest = [2025, 2024, 2023, 2022, 2021].map(filing);

function held(over: Partial<Record<FilingPart, Partial<PartHolding>>> = {}) {
  return {
    parts: (['facts', 'business', 'risk_factors', 'mdna'] as const).map((part) => ({
      part,
      status: 'stored' as const,
      code: null,
      message: null,
      retryable: false,
      size: 1,
      taskId: null,
      ...over[part],
    })),
  };
}

describe('planWork', () => {
  it('given a new company, then every part of the five newest', () => {
    const plan = planWork({ mode: 'initial', candidates: newest, holdings: new Map() });
    expect(plan.alreadyStored).toBe(0);
    expect(plan.filings.map((p) => [p.filing.fiscalYear, p.parts])).toEqual(
      newest.map((f) => [f.fiscalYear, ['facts', 'business', 'risk_factors', 'mdna']]),
    );
  });

  it('given a refresh where EDGAR lists one new annual report, then that one alone', () => {
    const holdings = new Map(newest.slice(1).map((f) => [f.accession, held()]));
    const plan = planWork({ mode: 'refresh', candidates: newest, holdings });
    expect(plan.filings.map((p) => p.filing.fiscalYear)).toEqual([2025]);
    expect(plan.alreadyStored).toBe(4);
  });

  it('given a part one of our own limits refused, then a refresh fetches it again and a retry does not', () => {
    const holdings = new Map([
      [newest[0]!.accession, held({ facts: { status: 'missing', retryable: false, code: 'facts_too_large' } })],
      [newest[1]!.accession, held({ facts: { status: 'missing', retryable: false, code: 'no_xbrl_facts' } })],
      ...newest.slice(2).map((f) => [f.accession, held()] as const),
    ]);
    const refresh = planWork({ mode: 'refresh', candidates: newest, holdings });
    expect(refresh.filings.map((p) => [p.filing.fiscalYear, p.parts])).toEqual([[2025, ['facts']]]);
    expect(refresh).toMatchObject({ alreadyStored: 3, heldInPart: 1, heldNothing: 0 });
    const settled = { alreadyStored: 3, heldInPart: 2, heldNothing: 0 };
    expect(planWork({ mode: 'retry', candidates: newest.slice(0, 2), holdings, settled }).filings).toEqual([]);
  });

  it('given parts missing, then only those that may now be had; never a part missing for good or not offered', () => {
    const holdings = new Map([
      [
        newest[0]!.accession,
        held({ business: { status: 'missing', retryable: true }, mdna: { status: 'missing', retryable: true } }),
      ],
      [
        newest[1]!.accession,
        held({ business: { status: 'missing', retryable: false }, facts: { status: 'not_offered' } }),
      ],
    ]);
    const settled = { alreadyStored: 3, heldInPart: 0, heldNothing: 0 };
    const plan = planWork({ mode: 'retry', candidates: newest.slice(0, 2), holdings, settled });
    expect(plan.filings.map((p) => [p.filing.fiscalYear, p.parts])).toEqual([[2025, ['business', 'mdna']]]);
    expect(plan.alreadyStored).toBe(3);
  });

  it('given a redelivery, then the filings chosen before stay chosen with the parts still to fetch', () => {
    const holdings = new Map([[newest[0]!.accession, held({ mdna: { status: 'missing', retryable: true } })]]);
    const plan = resumePlan(newest.slice(0, 2), holdings, { alreadyStored: 3, heldInPart: 1, heldNothing: 0 });
    expect(plan).toEqual({
      filings: [
        { filing: newest[0], parts: ['mdna'] },
        { filing: newest[1], parts: ['facts', 'business', 'risk_factors', 'mdna'] },
      ],
      alreadyStored: 3,
      heldInPart: 1,
      heldNothing: 0,
    });
  });

  it('given filings with parts missing for good, then they are not counted as stored: in part, or holding nothing', () => {
    const forGood = { status: 'missing', retryable: false, code: 'no_xbrl_facts' } as const;
    const none = { status: 'not_offered' } as const;
    const holdings = new Map([
      [newest[0]!.accession, held()],
      [newest[1]!.accession, held({ business: forGood })],
      [newest[2]!.accession, held({ facts: forGood, business: none, risk_factors: none, mdna: none })],
      [newest[3]!.accession, held({ facts: forGood, business: forGood, risk_factors: forGood, mdna: forGood })],
      [newest[4]!.accession, held({ facts: none, business: forGood })],
    ]);
    const plan = planWork({ mode: 'refresh', candidates: newest, holdings });
    expect(plan).toEqual({ filings: [], alreadyStored: 1, heldInPart: 2, heldNothing: 2 });
  });
});

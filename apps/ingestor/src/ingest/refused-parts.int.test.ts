import { byType } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';

describe('a part one of our own limits refused', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const factsStored = async () => (await h.sql<{ n: number }[]>`select count(*)::int n from financial_facts`)[0]!.n;

  it('is missing with a message that holds true: a retry would not get it, the refresh after the limit is raised does', async () => {
    // companyfacts over EDGAR_MAX_JSON_BYTES: every filing keeps its text, none gets its facts.
    const small = await h.start({ edgar: { ...h.config().edgar, maxJsonBytes: 4_096 } });
    const first = await h.waitForTerminal(await h.request('SYMB'));
    await small.stop();
    const refused = byType(first, 'FilingCompleted');
    expect(refused.map((e) => e.data.outcome)).toEqual(refused.map(() => 'partial'));
    const missing = refused.flatMap((e) => e.data.missing);
    expect(new Set(missing.map((m) => [m.part, m.code, m.retryable].join(' ')))).toEqual(
      new Set(['facts facts_too_large false']),
    );
    expect(missing[0]!.message).toMatch(/until that limit is raised; the company’s next refresh/);
    expect(await factsStored()).toBe(0);

    // The operator raises the limit; the company's next refresh reads companyfacts again.
    const raised = await h.start();
    const refresh = await h.waitForTerminal(await h.request('SYMB', { mode: 'refresh' }));
    await raised.stop();
    expect(byType(refresh, 'IngestCompleted')[0]!.data).toMatchObject({ outcome: 'completed' });
    const refetched = byType(refresh, 'FilingCompleted');
    expect(refetched).toHaveLength(refused.length);
    expect(refetched.every((e) => e.data.factsStored > 0)).toBe(true);
    expect(await factsStored()).toBeGreaterThan(0);
  }, 120_000);
});

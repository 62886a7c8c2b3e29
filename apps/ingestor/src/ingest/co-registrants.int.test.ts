import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, readFilingHoldings, type Database } from '@symbology/db';
import { byType, completion } from '@symbology/contracts/testing';
import { FIXTURES_DIR } from '@symbology/edgar-mirror/test-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { listSymbAs, mirrorRoot, putTickerMap, serveSymbAs, type MirrorRoot } from '../testing/mirror-root';

const PARENT_CIK = '0009999999';
const SUB_CIK = '0009999990';

type Facts = { facts: Record<string, Record<string, { units: Record<string, Array<{ val: number }>> }>> };

/**
 * SUBS, a subsidiary that files its annual reports jointly with SYMB: EDGAR lists the very same
 * accessions under its own CIK, and its companyfacts report its own figures (a tenth of SYMB's)
 * under those accessions.
 */
function coRegistrantRoot(): MirrorRoot {
  const root = mirrorRoot('co-registrant');
  const subsidiary = { cik: Number(SUB_CIK), name: 'Symbology Subsidiary Co' };
  putTickerMap(root, [{ cik: subsidiary.cik, ticker: 'SUBS', title: subsidiary.name }]);
  listSymbAs(root, subsidiary, ['SUBS']);
  serveSymbAs(root, subsidiary);
  const factsPath = `data.sec.gov/api/xbrl/companyfacts/CIK${SUB_CIK}.json`;
  const facts = JSON.parse(readFileSync(join(root.dir, factsPath), 'utf8')) as Facts;
  for (const concepts of Object.values(facts.facts))
    for (const concept of Object.values(concepts))
      for (const rows of Object.values(concept.units)) for (const row of rows) row.val = row.val / 10;
  root.put(factsPath, JSON.stringify(facts));
  return root;
}

describe('a report filed jointly by a parent and its subsidiary (one accession, two registrants)', () => {
  let h: Harness;
  let db: Database;
  let root: MirrorRoot;
  const revenues = (cik: string) =>
    h.sql<{ accession: string; period: string; value: string }[]>`
      select accession, period, value::text from financial_facts
      where cik = ${cik} and concept = 'Revenues' order by accession, period`;
  beforeAll(async () => {
    root = coRegistrantRoot();
    h = await startHarness({ roots: [root.dir, FIXTURES_DIR] });
    db = createDb(h.database.url, { max: 1 });
    await h.start();
  });
  afterAll(async () => {
    await db?.$client.end();
    await h?.close();
    root?.remove();
  });

  it('is ingested whole for each, with each company’s own facts, neither overwriting the other', async () => {
    const parent = await h.waitForTerminal(await h.request('SYMB'));
    expect(completion(parent)).toMatchObject({ outcome: 'completed', failed: 0 });
    const parentRevenues = await revenues(PARENT_CIK);
    expect(parentRevenues.length).toBeGreaterThan(0);

    const sub = await h.waitForTerminal(await h.request('SUBS'));
    const resolved = byType(sub, 'CompanyResolved')[0]!.data;
    // The subsidiary holds none of the reports yet, though the parent holds every one of them.
    expect(resolved).toMatchObject({ cik: SUB_CIK, alreadyStored: 0, heldInPart: 0, heldNothing: 0 });
    expect(resolved.filings.map((f) => f.accession)).toEqual(
      byType(parent, 'CompanyResolved')[0]!.data.filings.map((f) => f.accession),
    );
    expect(completion(sub)).toEqual(completion(parent));

    const held = await readFilingHoldings(db, { cik: SUB_CIK });
    expect(held.map((f) => f.accession)).toEqual(resolved.filings.map((f) => f.accession));
    expect(held.every((f) => f.cik === SUB_CIK && f.parts.some((p) => p.status === 'stored'))).toBe(true);
    // The subsidiary's figures are its own, and the parent's are as they were.
    const subRevenues = await revenues(SUB_CIK);
    expect(subRevenues.map((r) => [r.accession, r.period, Number(r.value)])).toEqual(
      parentRevenues.map((r) => [r.accession, r.period, Number(r.value) / 10]),
    );
    expect(await revenues(PARENT_CIK)).toEqual(parentRevenues);
    // Each holds the document's sections; either's copy is the one document.
    const [sections] = await h.sql<{ ciks: number }[]>`
      select count(distinct cik)::int as ciks from filing_sections where accession = ${held[0]!.accession}`;
    expect(sections?.ciks).toBe(2);
  });

  it('a refresh of the subsidiary finds every report held and fetches nothing', async () => {
    const refresh = await h.waitForTerminal(await h.request('SUBS', { mode: 'refresh' }));
    expect(byType(refresh, 'CompanyResolved')[0]!.data.alreadyStored).toBe(5);
    expect(byType(refresh, 'FilingStarted')).toEqual([]);
  });
});

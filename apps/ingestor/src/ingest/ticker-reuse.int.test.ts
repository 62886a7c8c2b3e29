import { byType, completion } from '@symbology/contracts/testing';
import { createDb, readCompanyByTicker, type Database } from '@symbology/db';
import { FIXTURES_DIR } from '@symbology/edgar-mirror/test-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { listSymbAs, mirrorRoot, putTickerMap, serveSymbAs, type MirrorRoot } from '../testing/mirror-root';

const OLD = { cik: 9999989, name: 'Old Reuse Corp' };
const NEW = { cik: 9999988, name: 'New Reuse Inc' };
const padded = (cik: number) => String(cik).padStart(10, '0');

/** SEC's ticker map giving REUS to `owner`. */
const tickerMap = (root: MirrorRoot, owner: { cik: number; name: string }) =>
  putTickerMap(root, [{ cik: owner.cik, ticker: 'REUS', title: owner.name }]);

describe('a ticker SEC gives to another company', () => {
  let h: Harness;
  let db: Database;
  let root: MirrorRoot;
  beforeAll(async () => {
    root = mirrorRoot('ticker-reuse');
    tickerMap(root, OLD);
    listSymbAs(root, OLD, ['REUS']);
    serveSymbAs(root, OLD, ['000999999925000002']);
    h = await startHarness({ roots: [root.dir, FIXTURES_DIR] });
    db = createDb(h.database.url, { max: 1 });
  });
  afterAll(async () => {
    await db?.$client.end();
    await h?.close();
    root?.remove();
  });

  it('names the new holder once SEC’s map says so, although the old one’s row still lists it', async () => {
    const first = await h.start();
    const old = await h.waitForTerminal(await h.request('REUS'));
    expect(byType(old, 'CompanyResolved')[0]!.data.cik).toBe(padded(OLD.cik));
    await first.stop();

    // SEC delists OLD and gives REUS to NEW; an ingestor started now loads that map.
    tickerMap(root, NEW);
    listSymbAs(root, OLD, []);
    listSymbAs(root, NEW, ['REUS']);
    serveSymbAs(root, NEW, ['000999999925000002']);
    await h.start();
    await expect
      .poll(async () => (await h.sql`select cik from edgar_tickers where ticker = 'REUS'`)[0]?.cik, { timeout: 10_000 })
      .toBe(padded(NEW.cik));
    // OLD keeps the ticker it was found by (a delisted company stays findable), yet REUS names NEW.
    expect((await h.sql`select tickers from companies where cik = ${padded(OLD.cik)}`)[0]?.tickers).toEqual(['REUS']);
    expect(await readCompanyByTicker(db, 'REUS')).toBeUndefined();

    const reassigned = await h.waitForTerminal(await h.request('REUS'));
    expect(byType(reassigned, 'CompanyResolved')[0]!.data).toMatchObject({ cik: padded(NEW.cik), name: NEW.name });
    expect(completion(reassigned)?.outcome).not.toBe('failed');
    expect((await readCompanyByTicker(db, 'REUS'))?.cik).toBe(padded(NEW.cik));
  });
});

import { createTestDatabase, type TestDatabase } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../client';
import { runMigrations } from '../migrate';
import { companies, edgarTickers } from '../schema/index';
import { readCompanyByTicker } from './company-by-ticker';

describe('readCompanyByTicker: the stored company a ticker names now', () => {
  let database: TestDatabase;
  let db: Database;
  const cikOf = async (ticker: string) => (await readCompanyByTicker(db, ticker))?.cik;
  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = createDb(database.url, { max: 1 });
    await db.insert(companies).values([
      // OLD held REUS until SEC gave it to NEW; its row still lists it.
      { cik: '0000000001', name: 'Old Reuse Corp', tickers: ['REUS', 'OLDB'] },
      { cik: '0000000002', name: 'New Reuse Inc', tickers: ['NEWR'] },
      // Delisted: SEC's map has none of its tickers.
      { cik: '0000000003', name: 'Gone Ltd', tickers: ['GONE'] },
    ]);
    await db.insert(edgarTickers).values([
      { ticker: 'REUS', cik: '0000000002', title: 'New Reuse Inc', secOrder: 0 },
      { ticker: 'NEWR', cik: '0000000002', title: 'New Reuse Inc', secOrder: 1 },
      { ticker: 'FRSH', cik: '0000000004', title: 'Fresh Listing Co', secOrder: 2 },
    ]);
  });
  afterAll(async () => {
    await db?.$client.end();
    await database?.drop();
  });

  it('follows SEC’s map where it lists the ticker, whatever stored rows still list it', async () => {
    expect(await cikOf('REUS')).toBe('0000000002');
    expect(await cikOf('NEWR')).toBe('0000000002');
  });

  it('finds no company for a ticker the map gives to a company not stored yet', async () => {
    expect(await cikOf('FRSH')).toBeUndefined();
    await db.delete(edgarTickers);
    // Without a map row, the stored company listing it answers again.
    expect(await cikOf('FRSH')).toBeUndefined();
    expect(await cikOf('REUS')).toBe('0000000001');
  });

  it('finds the stored company listing a ticker the map leaves out (delisted, a share class)', async () => {
    expect(await cikOf('GONE')).toBe('0000000003');
    expect(await cikOf('OLDB')).toBe('0000000001');
    expect(await cikOf('NONE')).toBeUndefined();
  });
});

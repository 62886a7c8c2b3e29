import { sql } from 'drizzle-orm';
import { edgarTickers, type Database } from '@symbology/db';
import { upsertOnChange } from './excluded';
import type { TickerMapRow } from './ticker-map-rows';

/** 5 columns a row: far below Postgres' 65,535 parameters per statement. */
const ROWS_PER_STATEMENT = 1_000;

/** Serialises replicas that load the map at the same moment, so they neither deadlock nor interleave. */
const WRITER_LOCK = sql`select pg_advisory_xact_lock(hashtext('symbology.edgar_tickers'))`;

const TICKER_UPSERT = upsertOnChange(
  'edgar_tickers',
  { cik: 'cik', title: 'title', secOrder: 'sec_order' },
  { refreshedAt: sql`now()` },
);

export type TickerMapWrite = { upserted: number; deleted: number };

/**
 * Makes `edgar_tickers` equal to the given map in one transaction: readers see the old map or the
 * new one, never half of each. Rows whose content is unchanged are not rewritten.
 */
export async function storeTickerMap(db: Database, rows: readonly TickerMapRow[]): Promise<TickerMapWrite> {
  return db.transaction(async (tx) => {
    await tx.execute(WRITER_LOCK);
    let upserted = 0;
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const written = await tx
        .insert(edgarTickers)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoUpdate({ target: edgarTickers.ticker, ...TICKER_UPSERT })
        .returning({ ticker: edgarTickers.ticker });
      upserted += written.length;
    }
    // One array parameter rather than a NOT IN list: the map has ~10,000 tickers.
    const tickers = sql.param(rows.map((r) => r.ticker));
    const deleted = await tx
      .delete(edgarTickers)
      .where(sql`${edgarTickers.ticker} <> all(${tickers}::text[])`)
      .returning({ ticker: edgarTickers.ticker });
    return { upserted, deleted: deleted.length };
  });
}

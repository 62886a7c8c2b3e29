import type { TaskStatus } from '@symbology/contracts';
import { FILING_SOURCES, TASK_SOURCES, type ColumnSource, type FilingWrite } from './columns';

// Also a subpath of its own (`@symbology/db/encode-statuses`): a rebuild's worker threads load it
// without the driver and drizzle, which would cost each thread a few hundred ms at start.

/**
 * Statuses as `writeEncodedStatuses` sends them: each table's rows as one JSON text, a row an
 * array of its column values. Plain strings, so a worker thread that builds them hands them
 * over for the cost of a copy.
 */
export type EncodedStatuses = { tasks: string; taskCount: number; filings: string; filingCount: number };

/**
 * The CPU half of `writeStatuses`: pure, no connection. JSON.stringify is native, where typed
 * array parameters are escaped value by value in JS: a rebuild writes hundreds of thousands of
 * values, and this is the writer's share of the projector's CPU (a rebuild does it in its workers).
 */
export function encodeStatuses(statuses: Iterable<TaskStatus>): EncodedStatuses {
  const list = [...statuses];
  const filings = list.flatMap((s) =>
    s.filings.map<FilingWrite>((f, position) => ({ taskId: s.taskId, position, ...f })),
  );
  return {
    tasks: encodeRows(TASK_SOURCES, list),
    taskCount: list.length,
    filings: encodeRows(FILING_SOURCES, filings),
    filingCount: filings.length,
  };
}

function encodeRows<R>(sources: Record<string, ColumnSource<R>>, rows: readonly R[]): string {
  const columns = Object.values(sources);
  return JSON.stringify(rows.map((row) => columns.map((s) => s.pick(row))));
}

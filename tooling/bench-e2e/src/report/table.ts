import type { Stat } from './percentiles';
import type { RunResult } from './run-result';

type Column = { header: string; cell(r: RunResult): string; left?: boolean };

const ms = (s: Stat, keys: Array<'p50' | 'p90' | 'p99' | 'max'>) => (s ? keys.map((k) => s[k]).join(' / ') : '-');

const COLUMNS: Column[] = [
  { header: 'system', cell: (r) => r.system, left: true },
  { header: 'subs', cell: (r) => String(r.subscribers) },
  { header: 'gap ms', cell: (r) => String(r.shape.intervalMs) },
  { header: 'run', cell: (r) => String(r.run) },
  { header: 'ack p50/p99', cell: (r) => ms(r.stages.ack, ['p50', 'p99']) },
  { header: 'bus p50/p99', cell: (r) => ms(r.stages.bus, ['p50', 'p99']) },
  { header: 'client p50/p90/p99/max', cell: (r) => ms(r.stages.client, ['p50', 'p90', 'p99', 'max']) },
  { header: 'delivered', cell: (r) => `${r.updates.deliveredPct} %` },
  { header: 'final missed', cell: (r) => String(r.terminal.missed) },
  { header: 'KiB/conn', cell: (r) => String(r.edge.rssPerConnectionKiB) },
  { header: 'edge µs/update', cell: (r) => String(r.edge.cpuPerUpdateUs) },
  { header: 'client lag p99', cell: (r) => String(r.clientLoopDelayMs.p99) },
  { header: 'load', cell: (r) => String(r.loadAvg.start[0]) },
  { header: 'ok', cell: (r) => (r.ok ? 'ok' : 'FAIL'), left: true },
];

/** The runs as a table a person reads: latencies in ms from the publish of each event. */
export function formatTable(results: RunResult[]): string {
  const rows = [COLUMNS.map((c) => c.header), ...results.map((r) => COLUMNS.map((c) => c.cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (COLUMNS[i]!.left ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const failures = results.flatMap((r) =>
    r.failures.map((f) => `FAIL ${r.system} ${r.subscribers} subs run ${r.run}: ${f}`),
  );
  return [line(rows[0]!), ...rows.slice(1).map(line), ...failures].join('\n');
}

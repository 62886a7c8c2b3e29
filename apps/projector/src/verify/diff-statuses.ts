import type { TaskStatus } from '@symbology/contracts';

export type Difference = { taskId: string; field: string; expected: unknown; found: unknown };

const TIMESTAMPS = new Set(['createdAt', 'updatedAt']);

/**
 * Every field where the stored statuses differ from the folded ones. Timestamps are compared as
 * instants (Postgres gives them back in its own spelling); a missing or extra task is one line.
 */
export function diffStatuses(
  expected: ReadonlyMap<string, TaskStatus>,
  found: ReadonlyMap<string, TaskStatus>,
): Difference[] {
  const out: Difference[] = [];
  for (const [taskId, want] of expected) {
    const got = found.get(taskId);
    if (!got) out.push({ taskId, field: '(row)', expected: `version ${want.version}`, found: 'missing' });
    else diffOne(taskId, want, got, out);
  }
  for (const [taskId, got] of found) {
    if (!expected.has(taskId))
      out.push({ taskId, field: '(row)', expected: 'no such task in the stream', found: `version ${got.version}` });
  }
  return out;
}

function diffOne(taskId: string, want: TaskStatus, got: TaskStatus, out: Difference[]): void {
  for (const key of Object.keys(want) as Array<keyof TaskStatus>) {
    if (key === 'filings') continue;
    if (!same(key, want[key], got[key])) out.push({ taskId, field: key, expected: want[key], found: got[key] });
  }
  const n = Math.max(want.filings.length, got.filings.length);
  for (let i = 0; i < n; i++) {
    const w = want.filings[i];
    const g = got.filings[i];
    if (!same('filing', w, g)) out.push({ taskId, field: `filings[${i}]`, expected: w ?? 'none', found: g ?? 'none' });
  }
}

function same(key: string, a: unknown, b: unknown): boolean {
  if (TIMESTAMPS.has(key) && typeof a === 'string' && typeof b === 'string') return Date.parse(a) === Date.parse(b);
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** Key order and undefined-valued keys must not count as differences. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

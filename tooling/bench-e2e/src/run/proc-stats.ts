import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat's CPU times (100 on Linux almost everywhere). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export type ProcessSample = { cpuMs: number; rssBytes: number };

/**
 * CPU time (user + system) and resident memory of any process on the machine, read from /proc as
 * `ps` would: the same measure for the Symbology web server, the BullMQ reference server and the
 * brokers, none of which has to cooperate.
 */
export async function sampleProcess(pid: number): Promise<ProcessSample> {
  const [stat, status] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
  ]);
  // The fields after "(command)" start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return { cpuMs: (ticks / TICKS_PER_SECOND) * 1_000, rssBytes: rssKiB * 1_024 };
}

/** CPU milliseconds of each named process; a process that has gone is left out. */
export async function sampleCpu(pids: Record<string, number>): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(pids).map(async ([name, pid]) =>
      sampleProcess(pid).then(
        (s) => [[name, s.cpuMs] as const],
        () => [],
      ),
    ),
  );
  return Object.fromEntries(entries.flat());
}

/** Every process whose argv matches, e.g. the Postgres backends of one database. */
export async function findPids(matches: (argv: string[]) => boolean): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').then(
      (text) => text.split('\0').filter(Boolean),
      () => [],
    );
    if (argv.length > 0 && matches(argv)) found.push(Number(entry));
  }
  return found;
}

/** CPU milliseconds of each process of a group, by pid (one that has gone is left out). */
export async function sampleGroupCpu(pids: number[]): Promise<Map<number, number>> {
  const samples = await Promise.all(
    pids.map((pid) =>
      sampleProcess(pid).then(
        (s): Array<[number, number]> => [[pid, s.cpuMs]],
        () => [],
      ),
    ),
  );
  return new Map(samples.flat());
}

/**
 * The CPU a group spent between two samples: a process that appeared in between (a pool opened a
 * connection) counts from zero; one that left is not counted.
 */
export function groupCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpuMs] of after) total += cpuMs - (before.get(pid) ?? 0);
  return total;
}

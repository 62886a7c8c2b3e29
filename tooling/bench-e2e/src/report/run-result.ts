import type { LoadShape } from '../load/load-shape';
import type { SystemName } from '../run/edge';
import type { RawRun } from '../run/run-load';
import { analyse, type Analysis } from './analyse';
import { round } from './percentiles';

/** One run's figures: printed as one JSON line, so runs (and commits) can be compared. */
export type RunResult = {
  bench: 'e2e';
  system: SystemName;
  /** The system's version where it has one apart from this repo (BullMQ's package version). */
  systemVersion: string | null;
  run: number;
  startedAt: string;
  subscribers: number;
  clientProcesses: number;
  clientLoopDelayMs: { p99: number; max: number };
  shape: LoadShape;
  /** os.loadavg() when the run started and ended: the machine is shared, read the figures with it. */
  loadAvg: { start: number[]; end: number[] };
  ok: boolean;
  settled: boolean;
  edge: {
    rssIdleMiB: number;
    rssConnectedMiB: number;
    rssDeliveredMiB: number;
    rssPerConnectionKiB: number;
    cpuMs: number;
    cpuPerUpdateUs: number;
  };
  /** CPU milliseconds of the other processes during delivery (brokers, projector, publisher). */
  cpuMs: Record<string, number>;
  connectMs: number;
  deliveryMs: number;
} & Analysis;

export type RunContext = {
  system: SystemName;
  systemVersion: string | null;
  run: number;
  startedAt: string;
  subscribers: number;
  shape: LoadShape;
  loadAvg: { start: number[]; end: number[] };
};

const MiB = 1024 * 1024;

export function toRunResult(context: RunContext, raw: RawRun): RunResult {
  const analysis = analyse(raw);
  const { edge } = raw;
  const { edge: edgeCpuMs = 0, ...others } = raw.cpuMs;
  const failures = raw.settled
    ? analysis.failures
    : [...analysis.failures, 'not every subscriber ended before the deadline'];
  return {
    bench: 'e2e',
    ...context,
    loadAvg: { start: context.loadAvg.start.map((l) => round(l, 2)), end: context.loadAvg.end.map((l) => round(l, 2)) },
    clientProcesses: raw.clientProcesses,
    clientLoopDelayMs: raw.clientLoopDelayMs,
    ok: failures.length === 0,
    settled: raw.settled,
    ...analysis,
    failures,
    edge: {
      rssIdleMiB: round(edge.idle.rssBytes / MiB),
      rssConnectedMiB: round(edge.connected.rssBytes / MiB),
      rssDeliveredMiB: round(edge.delivered.rssBytes / MiB),
      rssPerConnectionKiB: round((edge.connected.rssBytes - edge.idle.rssBytes) / 1024 / context.subscribers),
      cpuMs: round(edgeCpuMs),
      cpuPerUpdateUs: analysis.updates.delivered === 0 ? 0 : round((edgeCpuMs * 1000) / analysis.updates.delivered),
    },
    cpuMs: Object.fromEntries(Object.entries(others).map(([k, v]) => [k, round(v)])),
    connectMs: round(raw.connectMs, 0),
    deliveryMs: round(raw.deliveryMs, 0),
  };
}

import type { LoadShape } from '../load/load-shape';
import type { SystemName } from '../run/edge';
import type { RawRun } from '../run/run-load';
import { analyse, type Analysis } from './analyse';
import { round } from './percentiles';

/** What the orchestrator knows of a run before it starts. */
export type RunContext = {
  /** --label, to tell a series of runs from another (before / after a change). */
  label: string | null;
  /** The repository's commit (with "-dirty" when the tree had changes). */
  commit: string | null;
  system: SystemName;
  /** The system's version where it has one apart from this repo (BullMQ's package version). */
  systemVersion: string | null;
  run: number;
  startedAt: string;
  subscribers: number;
  shape: LoadShape;
  /** os.loadavg() when the run started and ended: the machine is shared, read the figures with it. */
  loadAvg: { start: number[]; end: number[] };
  /** How long subscribers had, after the last publish, to reach the final state. */
  settleMs: number;
  /** An unmeasured round with the same subscribers warmed every process first (false: --cold). */
  warmUp: boolean;
  /** Extra environment given to the Symbology apps (--web-env, --projector-env); null for BullMQ. */
  appEnv: { web: Record<string, string>; projector: Record<string, string> } | null;
  /** JetStream's sync_interval for the Symbology run (`always`: fsync before each PubAck); null for BullMQ. */
  natsSync: string | null;
  /** Nodes of the Symbology run's NATS (3: an R3 cluster); null for BullMQ. */
  natsNodes: number | null;
};

/** One run's figures: printed as one JSON line, so runs (and commits) can be compared. */
export type RunResult = { bench: 'e2e' } & RunContext & {
    clientProcesses: number;
    /** The worst client process's event-loop delay while receiving (ms). */
    clientLoopDelayMs: { p99: number; max: number };
    ok: boolean;
    settled: boolean;
    /** The process holding the WebSockets: Symbology's web server or the BullMQ reference server. */
    edge: {
      rssIdleMiB: number;
      rssConnectedMiB: number;
      rssDeliveredMiB: number;
      rssPerConnectionKiB: number;
      cpuMs: number;
      cpuPerUpdateUs: number;
    };
    /** CPU milliseconds of the other processes during delivery (brokers, projector, publisher, clients). */
    cpuMs: Record<string, number>;
    connectMs: number;
    deliveryMs: number;
  } & Analysis;

const MiB = 1024 * 1024;

export function toRunResult(context: RunContext, raw: RawRun): RunResult {
  const analysis = analyse(raw);
  const { edge } = raw;
  const { edge: edgeCpuMs = 0, ...others } = raw.cpuMs;
  const failures = raw.settled
    ? analysis.failures
    : [...analysis.failures, `not every subscriber ended within ${context.settleMs} ms of the last publish`];
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

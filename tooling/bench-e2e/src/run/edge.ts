import type { LoadShape } from '../load/load-shape';
import type { BenchChild } from '../ipc/fork-child';

/** The process that holds the subscribers' WebSockets: Symbology's web server, or the BullMQ reference's. */
export type Edge = { pid: number; httpUrl: string; wsUrl: string };

export type SystemName = 'symbology' | 'bullmq';

/** A system under test, started and ready: its edge, its publisher (not yet creating tasks), other processes to sample. */
export type StartedSystem = {
  edge: Edge;
  publisher: BenchChild;
  /** Processes whose CPU is sampled during delivery (the brokers, the projector, the publisher). */
  pids: Record<string, number>;
  /**
   * Processes looked up again at each sample, their CPU reported as one figure: the Postgres
   * backends of the run's database, which the pools open as they need them.
   */
  processGroups?: Record<string, () => Promise<number[]>>;
  stop(): Promise<void>;
};

export type StartSystem = (options: { subscribers: number; shape: LoadShape }) => Promise<StartedSystem>;

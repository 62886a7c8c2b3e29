import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `pnpm bench:e2e [-- options]

  --subscribers 100,1000      subscriber counts, one case each             (default 1000)
  --interval 20,200           ms a task works between two events           (default 20)
  --preset issue-13           the issue's matrix: 100 / 1,000 / 10,000 at 20 ms, 1,000 at 200 ms
  --tasks 50                  tasks (jobs), 13 events each                  (default 50)
  --start-spread <ms>         task i starts at i * spread / tasks           (default: the interval)
  --runs 1                    runs per case and system; systems alternate  (default 1)
  --systems symbology,bullmq  which systems, in the first run's order      (default both)
  --clients-per-process 2500  subscribers per client process               (default 2500)
  --connect-concurrency 200   subscriptions a client process opens at once (default 200)
  --settle-ms 30000           wait after the last publish for final states (default 30000)
  --cold                      measure the first round: no warm-up round (each process's code cold)
  --redis-url <url>           Redis of the BullMQ reference   (default redis://127.0.0.1:6379)
  --out <file>                also append each run's JSON line to this file
  --label <text>              recorded in every JSON line (e.g. before, after)
  --web-env KEY=VALUE         extra environment of the web process (repeatable)
  --projector-env KEY=VALUE   extra environment of the projector process (repeatable)
  --nats-sync always          JetStream sync_interval of the bench's nats-server: always (nats.conf:
                              fsync before each PubAck) or an interval such as 2m (nats-server's default)
  --nats-nodes 1              1: one nats-server (nats.conf); 3: a three-node cluster (nats-cluster.conf)
                              with the streams at R3, the PubAck then waiting for a quorum
`;

const positive = z.coerce.number().int().positive();
/** A comma-separated list of `item`. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((s) => String(s).split(',').filter(Boolean), z.array(item).min(1));

/** KEY=VALUE, for trying a setting of an app without editing it. */
const EnvPair = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*=/, 'expected KEY=VALUE')
  .transform((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const);

const OptionsSchema = z.object({
  subscribers: list(positive),
  interval: list(z.coerce.number().nonnegative()),
  preset: z.enum(['issue-13']).optional(),
  tasks: positive,
  'start-spread': z.coerce.number().nonnegative().optional(),
  runs: positive,
  systems: list(z.enum(['symbology', 'bullmq'])),
  'clients-per-process': positive,
  'connect-concurrency': positive,
  'settle-ms': positive,
  cold: z.boolean().optional(),
  'redis-url': z.url(),
  out: z.string().optional(),
  label: z.string().optional(),
  'web-env': z.array(EnvPair).default([]),
  'projector-env': z.array(EnvPair).default([]),
  'nats-sync': z.string().regex(/^(always|\d+(ms|s|m|h))$/, 'always, or an interval such as 2m'),
  'nats-nodes': z.enum(['1', '3']).transform(Number),
  help: z.boolean().optional(),
});

export type Case = { subscribers: number; intervalMs: number };

export type BenchOptions = {
  cases: Case[];
  tasks: number;
  /** null: spread the tasks' starts over one interval. */
  startSpreadMs: number | null;
  runs: number;
  systems: Array<'symbology' | 'bullmq'>;
  clientsPerProcess: number;
  connectConcurrency: number;
  settleMs: number;
  /** An unmeasured round first, so that the measured one runs on warm processes (not with --cold). */
  warmUp: boolean;
  redisUrl: string;
  out: string | undefined;
  label: string | null;
  /** Extra environment of the Symbology web and projector processes. */
  appEnv: { web: Record<string, string>; projector: Record<string, string> };
  /** JetStream sync_interval of the Symbology runs' nats-server(s). */
  natsSync: string;
  /** 1: one nats-server; 3: an R3 cluster. */
  natsNodes: number;
  help: boolean;
};

/** The issue 13 matrix: the three subscriber counts at 20 ms, and 1,000 at the realistic 200 ms. */
const ISSUE_13: Case[] = [
  { subscribers: 100, intervalMs: 20 },
  { subscribers: 1_000, intervalMs: 20 },
  { subscribers: 10_000, intervalMs: 20 },
  { subscribers: 1_000, intervalMs: 200 },
];

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    // pnpm passes a literal "--" through to the script.
    args: argv.filter((a) => a !== '--'),
    options: {
      subscribers: { type: 'string', default: '1000' },
      interval: { type: 'string', default: '20' },
      preset: { type: 'string' },
      tasks: { type: 'string', default: '50' },
      'start-spread': { type: 'string' },
      runs: { type: 'string', default: '1' },
      systems: { type: 'string', default: 'symbology,bullmq' },
      'clients-per-process': { type: 'string', default: '2500' },
      'connect-concurrency': { type: 'string', default: '200' },
      'settle-ms': { type: 'string', default: '30000' },
      cold: { type: 'boolean' },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
      out: { type: 'string' },
      label: { type: 'string' },
      'web-env': { type: 'string', multiple: true },
      'projector-env': { type: 'string', multiple: true },
      'nats-sync': { type: 'string', default: 'always' },
      'nats-nodes': { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const o = OptionsSchema.parse(values);
  const cases =
    o.preset === 'issue-13'
      ? ISSUE_13
      : o.subscribers.flatMap((subscribers) => o.interval.map((intervalMs) => ({ subscribers, intervalMs })));
  return {
    cases,
    tasks: o.tasks,
    startSpreadMs: o['start-spread'] ?? null,
    runs: o.runs,
    systems: [...new Set(o.systems)],
    clientsPerProcess: o['clients-per-process'],
    connectConcurrency: o['connect-concurrency'],
    settleMs: o['settle-ms'],
    warmUp: !o.cold,
    redisUrl: o['redis-url'],
    out: o.out,
    label: o.label ?? null,
    appEnv: { web: Object.fromEntries(o['web-env']), projector: Object.fromEntries(o['projector-env']) },
    natsSync: o['nats-sync'],
    natsNodes: o['nats-nodes'],
    help: o.help ?? false,
  };
}

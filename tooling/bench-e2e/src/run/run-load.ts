import type { ClientConfig } from '../clients/client-config';
import { now, sleep } from '../clock';
import { forkChild, type BenchChild } from '../ipc/fork-child';
import type { CreatedTask, ObservedRecord, PublishedRecord, SubscriberRecord } from '../ipc/messages';
import type { Edge, StartedSystem, SystemName } from './edge';
import { groupCpuDelta, sampleCpu, sampleGroupCpu, sampleProcess, type ProcessSample } from './proc-stats';

export type LoadOptions = {
  system: SystemName;
  subscribers: number;
  clientsPerProcess: number;
  connectConcurrency: number;
  /** How long after the last publish the subscribers get to reach the final state. */
  settleMs: number;
  /** Measure a second round, on processes the first one warmed. */
  warmUp: boolean;
};

/** What one run produced, before any arithmetic: the records of every process and the samples. */
export type RawRun = {
  created: CreatedTask[];
  published: PublishedRecord[];
  observed: ObservedRecord[];
  subscribers: SubscriberRecord[];
  clientProcesses: number;
  /** The worst client process's event-loop delay while receiving. */
  clientLoopDelayMs: { p99: number; max: number };
  edge: { idle: ProcessSample; connected: ProcessSample; delivered: ProcessSample };
  /** CPU milliseconds each sampled process spent from "go" until every subscriber had ended. */
  cpuMs: Record<string, number>;
  connectMs: number;
  deliveryMs: number;
  /** Every client process reported all its subscribers ended before the settle deadline. */
  settled: boolean;
};

const CLIENT_ENTRY = new URL('../clients/client-process.ts', import.meta.url);
/** Lets the edge finish what it was doing (GC, first projections) before a memory sample. */
const QUIET_MS = 1_000;
/** Subscribers that connect and leave before the idle memory sample. */
const CONNECT_ONLY_WARM_UP = 50;

/**
 * One run against a started system, its client processes started once: create the tasks (step
 * 1), connect the subscribers (the memory figures: idle, then connected), then publish steps
 * 2..13 and wait until every subscriber has the final state. With `warmUp`, that first round is
 * not measured: the same subscribers close, connect to a second round's tasks, and the second
 * round's delivery is, so that every process, the clients included, runs warm code as long-lived
 * processes do.
 */
export async function runLoad(system: StartedSystem, options: LoadOptions): Promise<RawRun> {
  const clients = splitEvenly(options.subscribers, options.clientsPerProcess).map(([offset, count], k) =>
    startClients(`${options.system}-clients-${k}`, system.edge, { ...options, offset, count }),
  );
  try {
    await Promise.all(clients.map((c) => c.next('ready', 120_000)));
    return await measure(system, clients, options);
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
  }
}

async function measure(system: StartedSystem, clients: BenchChild[], options: LoadOptions): Promise<RawRun> {
  const { edge, publisher } = system;
  let created = await createTasks(publisher);
  // So that the per-connection figure is not the code the first request loads (JIT, pools, routers).
  await subscribeAll(clients.slice(0, 1), created, Math.min(CONNECT_ONLY_WARM_UP, options.subscribers));
  await closeAll(clients.slice(0, 1));
  await sleep(QUIET_MS);
  const idle = await sampleProcess(edge.pid);

  const connectStart = now();
  await subscribeAll(clients, created);
  const connectMs = now() - connectStart;
  await sleep(QUIET_MS);
  const connected = await sampleProcess(edge.pid);
  if (options.warmUp) created = await secondRound(system.publisher, clients, options.settleMs);
  const pids = { ...system.pids, edge: edge.pid, ...Object.fromEntries(clients.map((c) => [c.name, c.pid])) };
  const cpuBefore = await sampleCpu(pids);
  const groupsBefore = await sampleGroups(system);

  const goAt = now();
  publisher.send({ kind: 'go' });
  await publisher.next('published', 600_000);
  const settled = await allFinished(clients, options.settleMs);
  const deliveryMs = now() - goAt;
  const cpuAfter = await sampleCpu(pids);
  const groupsAfter = await sampleGroups(system);
  const delivered = await sampleProcess(edge.pid);

  publisher.send({ kind: 'report' });
  for (const c of clients) c.send({ kind: 'report' });
  const [publisherReport, ...clientReports] = await Promise.all([
    publisher.next('publisher-report', 60_000),
    ...clients.map((c) => c.next('client-report', 120_000)),
  ]);
  return {
    created,
    published: publisherReport.published,
    observed: publisherReport.observed,
    subscribers: clientReports.flatMap((r) => r.subscribers),
    clientProcesses: clients.length,
    clientLoopDelayMs: {
      p99: Math.max(...clientReports.map((r) => r.loopDelayMs.p99)),
      max: Math.max(...clientReports.map((r) => r.loopDelayMs.max)),
    },
    edge: { idle, connected, delivered },
    cpuMs: {
      ...Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - (cpuBefore[k] ?? v)])),
      ...Object.fromEntries(
        Object.entries(groupsAfter).map(([k, after]) => [k, groupCpuDelta(groupsBefore[k] ?? new Map(), after)]),
      ),
    },
    connectMs,
    deliveryMs,
    settled,
  };
}

/** Delivers the first round unmeasured, then connects the same subscribers to a new round's tasks. */
async function secondRound(publisher: BenchChild, clients: BenchChild[], settleMs: number): Promise<CreatedTask[]> {
  publisher.send({ kind: 'go' });
  await publisher.next('published', 600_000);
  if (!(await allFinished(clients, settleMs)))
    throw new Error(`the warm-up round did not end within ${settleMs} ms of its last publish`);
  await closeAll(clients);
  const created = await createTasks(publisher);
  await subscribeAll(clients, created);
  await sleep(QUIET_MS);
  return created;
}

function startClients(name: string, edge: Edge, options: LoadOptions & { offset: number; count: number }): BenchChild {
  const config: ClientConfig = {
    system: options.system,
    httpUrl: edge.httpUrl,
    wsUrl: edge.wsUrl,
    offset: options.offset,
    count: options.count,
    connectConcurrency: options.connectConcurrency,
  };
  return forkChild(name, CLIENT_ENTRY, config);
}

async function createTasks(publisher: BenchChild): Promise<CreatedTask[]> {
  publisher.send({ kind: 'create' });
  return (await publisher.next('created', 60_000)).tasks;
}

/** Each client process opens its subscribers (at most `perProcess` of them) and has every first state. */
async function subscribeAll(clients: BenchChild[], created: CreatedTask[], perProcess?: number): Promise<void> {
  const tasks = created.map((t) => t.task);
  for (const c of clients)
    c.send({ kind: 'subscribe', tasks, ...(perProcess === undefined ? {} : { count: perProcess }) });
  await Promise.all(clients.map((c) => c.next('ready', 600_000)));
}

async function closeAll(clients: BenchChild[]): Promise<void> {
  for (const c of clients) c.send({ kind: 'close' });
  await Promise.all(clients.map((c) => c.next('closed', 120_000)));
}

async function sampleGroups(system: StartedSystem): Promise<Record<string, Map<number, number>>> {
  const groups = Object.entries(system.processGroups ?? {});
  const samples = await Promise.all(
    groups.map(async ([name, find]) => [name, await sampleGroupCpu(await find())] as const),
  );
  return Object.fromEntries(samples);
}

async function allFinished(clients: BenchChild[], settleMs: number): Promise<boolean> {
  const results = await Promise.all(
    clients.map((c) =>
      c.next('finished', settleMs).then(
        () => true,
        () => false,
      ),
    ),
  );
  return results.every(Boolean);
}

/** [offset, count] slices of `total`, as even as possible, none larger than `perSlice`. */
export function splitEvenly(total: number, perSlice: number): Array<[number, number]> {
  const slices = Math.max(1, Math.ceil(total / perSlice));
  return Array.from({ length: slices }, (_, k) => {
    const offset = Math.floor((total * k) / slices);
    return [offset, Math.floor((total * (k + 1)) / slices) - offset];
  });
}

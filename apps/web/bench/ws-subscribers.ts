// pnpm bench:web [-- --clients 1000 --tasks 100 --rounds 20 --interval 50]
// N WebSocket subscribers (the real tRPC client) watch tasks on a web server running as its own
// process while status updates flow as the projector publishes them. Prints the latency from the
// NATS publish to receipt in the client, and the server's memory per connection.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evolve, newTaskId, subjects, type TaskStatus } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { createSymbologyClient, watchTaskStatus } from '@symbology/client';
import { createDb, LIVE_TASK_TABLES, writeStatuses } from '@symbology/db';
import { freePort, MACHINE_POSTGRES_URL } from '@symbology/dev-services';
import { startTestSystem } from '@symbology/test-system';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    clients: { type: 'string', default: '1000' },
    tasks: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '20' },
    interval: { type: 'string', default: '50' },
  },
});
const N = Number(values.clients);
const TASKS = Number(values.tasks);
const ROUNDS = Number(values.rounds);
const INTERVAL_MS = Number(values.interval);

process.env.SYMBOLOGY_TEST_PG_URL ??= process.env.DATABASE_URL ?? MACHINE_POSTGRES_URL;
const system = await startTestSystem();
const { nats, database } = system;
const db = createDb(database.url, { max: 4 });
const projector = await nats.connect('projector');

// A task's status as the fold starts it, then moved along by hand one round at a time.
const blank = new Map<string, TaskStatus>();
const status = (taskId: string, version: number, terminal: boolean): TaskStatus => {
  let start = blank.get(taskId);
  if (!start) {
    start = evolve(undefined, taskEvents(taskId, { ticker: 'BENCH' }).requested(), 0);
    blank.set(taskId, start);
  }
  return {
    ...start,
    status: terminal ? 'completed' : 'processing',
    progress: terminal ? 100 : Math.min(99, version),
    message: `round ${version}`,
    version,
  };
};
// Rows through the read model's writer, in one transaction as a projector commit.
const writeRows = (statuses: TaskStatus[]) => db.$client.begin((tx) => writeStatuses(tx, LIVE_TASK_TABLES, statuses));
const taskIds = Array.from({ length: TASKS }, () => newTaskId());
await writeRows(taskIds.map((id) => status(id, 1, false)));

// The server under test, alone in its process so its memory is its own.
const port = await freePort();
const web = nats.credentials('web');
const server = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('../src/server/main.ts', import.meta.url))],
  {
    env: {
      ...process.env,
      PORT: String(port),
      NATS_URL: web.servers,
      NATS_PASSWORD: web.pass,
      DATABASE_URL: database.url,
      WEB_NEXT_MODE: 'off',
      LOG_LEVEL: 'warn',
      WS_MAX_CONNECTIONS: String(N + 10),
      // Every subscriber connects from this machine: one peer, as far as the per-peer caps can tell.
      WS_MAX_CONNECTIONS_PER_PEER: String(N + 10),
      WS_MAX_SUBSCRIPTIONS_PER_PEER: String(N + 10),
      TRPC_RATE_LIMIT_BURST: '1000000',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const url = `http://127.0.0.1:${port}`;
while (
  !(await fetch(`${url}/readyz`).then(
    (r) => r.ok,
    () => false,
  ))
)
  await new Promise((r) => setTimeout(r, 100));

async function serverMemory(): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes') };
}
const gcPause = () => new Promise((r) => setTimeout(r, 1_000));

await gcPause();
const before = await serverMemory();
const published = new Map<string, number>();
const latencies: number[] = [];
const clients = Array.from({ length: N }, (_, i) =>
  createSymbologyClient({ url, wsUrl: `${url.replace('http', 'ws')}/api/trpc-ws`, clientId: `bench-${i}` }),
);
let started = 0;
const completed = Promise.all(
  clients.map(
    (c, i) =>
      new Promise<void>((resolve, reject) => {
        let first = true;
        watchTaskStatus(c.api, taskIds[i % TASKS]!, {
          onStatus: (data) => {
            if (first) {
              first = false;
              started++;
              return;
            }
            const sent = published.get(`${data.taskId}:${data.version}`);
            if (sent !== undefined) latencies.push(performance.now() - sent);
          },
          onComplete: () => resolve(),
          onError: reject,
        });
      }),
  ),
);
while (started < N) await new Promise((r) => setTimeout(r, 50));
await gcPause();
const connected = await serverMemory();

const t0 = performance.now();
for (let round = 2; round <= ROUNDS + 1; round++) {
  const terminal = round === ROUNDS + 1;
  for (const id of taskIds) {
    const s = status(id, round, terminal);
    // Rows first, as the projector commits before it announces: a resync then reads the same.
    if (terminal) await writeRows([s]);
    published.set(`${id}:${round}`, performance.now());
    projector.publish(subjects.status(id), JSON.stringify(s));
  }
  await projector.flush();
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
}
await completed;
const seconds = (performance.now() - t0) / 1000;

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
const expected = N * ROUNDS;
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
console.log(
  `\nweb WebSocket fan-out: ${N} subscribers on ${TASKS} tasks, ${ROUNDS} status rounds (${TASKS * ROUNDS} NATS messages)`,
);
console.log(
  `delivered ${latencies.length}/${expected} updates in ${seconds.toFixed(1)} s (${Math.round(latencies.length / seconds)}/s); a subscriber may skip a superseded version by design`,
);
console.log(`latency publish -> client: p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`);
console.log(
  `server memory: rss ${mib(before.rss)} -> ${mib(connected.rss)} MiB, heap ${mib(before.heap)} -> ${mib(connected.heap)} MiB`,
);
console.log(
  `per connection (with one subscription): rss ${((connected.rss - before.rss) / N / 1024).toFixed(1)} KiB, heap ${((connected.heap - before.heap) / N / 1024).toFixed(1)} KiB`,
);

await Promise.all(clients.map((c) => c.close()));
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
await projector.close();
await db.$client.end();
await system.stop();

/**
 * pnpm bench:projector [N]: publishes N events (default 200,000; 13 per task) to a fresh
 * nats-server and database, then measures over the same stream: live projection (the durable
 * consumer working off the backlog), then BENCH_ROUNDS (default 3) rounds of the raw read rate of
 * an ordered consumer followed by a full rebuild.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, newTaskId } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { startTestSystem } from '@symbology/test-system';
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { createLogger } from '../src/logger';
import { rebuild, type RebuildReport } from '../src/rebuild/rebuild';
import { startProjector } from '../src/start-projector';
import { readRange } from '../src/stream/read-range';
import { publishAll } from '../src/testing/publish-all';
import { verify } from '../src/verify/verify';

const N = Number(process.argv[2] ?? process.env.BENCH_EVENTS ?? 200_000);
const BATCH = Number(process.env.PROJECTOR_BATCH_SIZE ?? 2_000);
const WORKERS = process.env.PROJECTOR_REBUILD_WORKERS ? Number(process.env.PROJECTOR_REBUILD_WORKERS) : undefined;
/** Rounds of (raw read, rebuild); the median ratio is the figure. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const say = (text: string) => process.stderr.write(`${text}\n`);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1_000));
/** CPU this process spent (ms) since `from`: on a shared machine, steadier than the wall clock. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1_000;
};
const load = () => loadavg()[0]!.toFixed(1);

type Round = {
  raw: number;
  rawMs: number;
  rawCpuMs: number;
  report: RebuildReport;
  rebuildMs: number;
  rebuildCpuMs: number;
};
const ratio = (r: Round) => rate(r.report.read, r.rebuildMs) / rate(r.raw, r.rawMs);

const system = await startTestSystem();
const { nats, database: db, operator } = system;
const sql = postgres(db.url, { max: 2, onnotice: () => {} });
try {
  const pub = { web: jetstream(await nats.connect('web')), ingestor: jetstream(await nats.connect('ingestor')) };
  const tasks = Math.ceil(N / 13);
  const events = Array.from({ length: tasks }, () => taskWithOneFailure(newTaskId()))
    .flat()
    .slice(0, N);
  say(`publishing ${events.length} events of ${tasks} tasks (sync_interval: always, 2,000 in flight)...`);
  let t = performance.now();
  await publishAll(pub, events, 2_000);
  const publishMs = performance.now() - t;
  const head = (await (await jetstreamManager(operator)).streams.info(INGEST_STREAM)).state.last_seq;
  say(`published ${head} in ${(publishMs / 1_000).toFixed(1)} s (${rate(head, publishMs)} events/s)`);

  const creds = nats.credentials('projector');
  const projectorNc = await nats.connect('projector');
  const js = jetstream(projectorNc);
  const jsm = await jetstreamManager(projectorNc);
  const loadBefore = load();

  const logger = createLogger('warn');
  t = performance.now();
  const projector = await startProjector({
    natsUrl: nats.url,
    natsUser: creds.user,
    natsPassword: creds.pass,
    databaseUrl: db.url,
    batchSize: BATCH,
    logger,
  });
  for (;;) {
    const [row] = await sql<{ last_seq: string }[]>`select last_seq from projection_checkpoints`;
    if (Number(row?.last_seq ?? 0) >= head) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const liveMs = performance.now() - t;

  // The raw read and the rebuild alternate, so that both meet the machine's load of the moment;
  // the ratio is taken within each round and the median printed. The live projector stays up,
  // idle, as an operator's rebuild would find it.
  const rounds: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let cpu = process.cpuUsage();
    t = performance.now();
    let raw = 0;
    for await (const chunk of readRange(js, { fromSeq: 1, toSeq: head })) raw += chunk.length;
    const rawMs = performance.now() - t;
    const rawCpuMs = cpuMs(cpu);
    cpu = process.cpuUsage();
    t = performance.now();
    const report = await rebuild({ nc: projectorNc, js, jsm, sql, logger, scope: { kind: 'all' }, workers: WORKERS });
    const rebuildMs = performance.now() - t;
    rounds.push({ raw, rawMs, rawCpuMs, report, rebuildMs, rebuildCpuMs: cpuMs(cpu) });
    say(`round ${round}: rebuild / raw read ${ratio(rounds.at(-1)!).toFixed(2)}`);
  }
  await projector.stop();
  const check = await verify({ js, jsm, sql });

  const median = [...rounds].sort((a, b) => ratio(a) - ratio(b))[Math.floor(rounds.length / 2)]!;
  const { report } = median;
  const rows = [
    ['raw ordered-consumer read', median.raw, median.rawMs],
    ['live projection (backlog, batch ' + BATCH + ')', head, liveMs],
    [`rebuild (replay + shadow + swap, workers: ${report.workers})`, report.read, median.rebuildMs],
  ] as const;
  console.log(`\nprojector bench: ${head} events, ${tasks} tasks (load average ${loadBefore} -> ${load()})`);
  console.log(`raw read and rebuild: the median round of ${rounds.length} by their ratio`);
  for (const [name, n, ms] of rows)
    console.log(`${name.padEnd(42)} ${String(rate(n, ms)).padStart(8)} events/s  (${(ms / 1_000).toFixed(2)} s)`);
  console.log(`${'  of which swap transaction'.padEnd(42)} ${report.swapSeconds.toFixed(2)} s`);
  console.log(`${'rebuild / raw read'.padEnd(42)} ${ratio(median).toFixed(2)}`);
  console.log(`${'  every round'.padEnd(42)} ${rounds.map((r) => ratio(r).toFixed(2)).join(', ')}`);
  // The projector's process only (the live projector in it is idle by then): nats-server and
  // Postgres work in their own. The share of the machine other work takes does not change it.
  console.log(
    `${'  CPU time: raw read / rebuild'.padEnd(42)} ${(median.rawCpuMs / 1_000).toFixed(2)} s / ${(median.rebuildCpuMs / 1_000).toFixed(2)} s = ${(median.rawCpuMs / median.rebuildCpuMs).toFixed(2)}`,
  );
  console.log(
    `${'verify'.padEnd(42)} ${check.differences.length === 0 && check.problems.length === 0 ? 'OK' : `${check.differences.length} differences`}`,
  );
  await projectorNc.close();
} finally {
  await sql.end();
  await system.stop();
}
process.exit(0);

// pnpm bench:ingestor — ingests tickers from the EDGAR mirror with a real nats-server and Postgres
// (started here via dev-services) and prints requests per ticker, wall time per ticker at SEC's
// 10 req/s limit, and task throughput with the limiter raised.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePostgresServer, TEST_PG_ENV } from '@symbology/dev-services';
import { FIXTURES_DIR, hasShared, SHARED_DIR } from '../src/edgar/test-data';
import { maxInAnyWindow } from '@symbology/edgar-mirror';
import { startHarness } from '../src/testing/harness';

const SHARED_TICKERS = ['AAPL', 'TSLA', 'TSM'];
const tickers = ['SYMB', 'FLKY', 'NOAR', ...(hasShared ? SHARED_TICKERS : [])];
const THROUGHPUT_TASKS = Number(process.env.BENCH_TASKS ?? 40);

const pg = await resolvePostgresServer(join(tmpdir(), 'symbology-bench-postgres'));
process.env[TEST_PG_ENV] = pg.adminUrl;
const h = await startHarness({ roots: hasShared ? [FIXTURES_DIR, SHARED_DIR] : [FIXTURES_DIR] });
console.log(
  `EDGAR mirror roots: fixtures${hasShared ? ' + shared recordings' : ' only (shared recordings absent)'}; Postgres: ${pg.source}`,
);

try {
  // 1. SEC's limit: one replica at 10 requests per second (100 ms safety margin), as in production.
  const limited = await h.start({ maxRps: 10, limiterMarginMs: 100, concurrency: 2 });
  console.log('\nAt the 10 req/s limit, one task at a time:');
  console.log('ticker  requests  wall ms  outcome');
  for (const ticker of tickers) {
    h.mirror.clearRequests();
    const started = performance.now();
    const events = await h.waitForTerminal(await h.request(ticker), 120_000);
    const ms = Math.round(performance.now() - started);
    const requests = h.mirror.requests().length;
    const end = events.at(-1);
    const outcome =
      end?.type === 'IngestCompleted'
        ? `completed ${end.data.completed}, failed ${end.data.failed}`
        : end?.type === 'IngestFailed'
          ? `failed: ${end.data.error.code}`
          : '?';
    console.log(`${ticker.padEnd(6)}  ${String(requests).padStart(8)}  ${String(ms).padStart(7)}  ${outcome}`);
  }
  // The same tickers all at once: the limiter, not EDGAR, sets the pace.
  h.mirror.clearRequests();
  const burstStart = performance.now();
  await Promise.all((await Promise.all(tickers.map((t) => h.request(t)))).map((id) => h.waitForTerminal(id, 120_000)));
  const burstSeconds = (performance.now() - burstStart) / 1000;
  const burstRequests = h.mirror.requests();
  console.log(
    `All ${tickers.length} at once: ${burstRequests.length} requests in ${burstSeconds.toFixed(1)} s ` +
      `(${(burstRequests.length / burstSeconds).toFixed(1)} req/s; busiest 1 s window: ${maxInAnyWindow(
        burstRequests.map((r) => r.time),
        1000,
      )})`,
  );
  await limited.stop();

  // 2. Limiter raised (a mirror has no one to be fair to): the ingestor's own throughput.
  const fast = await h.start({ maxRps: 1_000, limiterMarginMs: 0, concurrency: 4 });
  h.mirror.clearRequests();
  const started = performance.now();
  const ids = [];
  for (let i = 0; i < THROUGHPUT_TASKS; i++) ids.push(await h.request(tickers[i % tickers.length]!));
  await Promise.all(ids.map((id) => h.waitForTerminal(id, 300_000)));
  const seconds = (performance.now() - started) / 1000;
  const requests = h.mirror.requests().length;
  console.log(
    `\nLimiter raised to 1000 req/s, concurrency 4, one replica: ${THROUGHPUT_TASKS} tasks in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `= ${(THROUGHPUT_TASKS / seconds).toFixed(2)} tasks/s, ${(requests / seconds).toFixed(0)} EDGAR requests/s`,
  );
  await fast.stop();
} finally {
  await h.close();
  await pg.stop();
}

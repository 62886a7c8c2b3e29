// pnpm bench:startup [-- --runs 5]: start-up time (spawn to the first /readyz 200) and resident
// memory of each service, run as `npm start` ran them before (node --import tsx src/...) and as it
// runs them now (the compiled dist/). Each start is alone on the machine's infrastructure: one
// nats-server, one migrated database, the EDGAR mirror; the runs alternate between the two modes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort, passwordOf, REPO_ROOT, retryOnPortClash } from '@symbology/dev-services';
import { startEdgarMirror } from '@symbology/edgar-mirror';
import { startTestSystem } from '@symbology/test-system';
import { buildTargets } from '../src/build/build';
import { spawnChild } from '../src/process/child';
import { startWatchdog } from '../src/process/watchdog';
import { waitUntilReady } from '../src/readiness';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { runs: { type: 'string', default: '5' } },
});
const RUNS = Number(values.runs);

type Mode = 'tsx' | 'compiled';
type Service = {
  name: string;
  dir: string;
  source: string;
  compiled: string;
  env(port: number): Record<string, string>;
};

await buildTargets(['launcher', 'ingestor', 'projector', 'web-server', 'web']);
const system = await startTestSystem();
const mirror = await startEdgarMirror({});
const watchdog = startWatchdog();
const connection = (role: 'web' | 'ingestor' | 'projector') => ({
  NATS_URL: system.nats.url,
  NATS_USER: role,
  NATS_PASSWORD: passwordOf(role),
  DATABASE_URL: system.database.url,
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
});
const SERVICES: Service[] = [
  {
    name: 'projector',
    dir: 'apps/projector',
    source: 'src/main.ts',
    compiled: 'dist/main.js',
    env: (port) => ({ ...connection('projector'), HTTP_PORT: String(port) }),
  },
  {
    name: 'ingestor',
    dir: 'apps/ingestor',
    source: 'src/main.ts',
    compiled: 'dist/main.js',
    env: (port) => ({
      ...connection('ingestor'),
      HTTP_PORT: String(port),
      EDGAR_WWW_URL: mirror.wwwUrl,
      EDGAR_DATA_URL: mirror.dataUrl,
      SEC_USER_AGENT: 'Symbology bench bench@example.com',
    }),
  },
  {
    name: 'web',
    dir: 'apps/web',
    source: 'src/server/main.ts',
    compiled: 'dist/server.js',
    env: (port) => ({ ...connection('web'), PORT: String(port), WEB_NEXT_MODE: 'prod' }),
  },
];

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
}

type Measured = { ms: number; rss: number; idleRss: number };

/**
 * One start: ms from spawn to /readyz 200, and RSS right then and after 3 s idle. The service is told
 * its port: a start that lost it to another process before binding it is measured again on another.
 */
function measure(service: Service, mode: Mode): Promise<Measured> {
  return retryOnPortClash(async () => measureOn(await freePort(), service, mode));
}

async function measureOn(port: number, service: Service, mode: Mode): Promise<Measured> {
  const args = mode === 'tsx' ? ['--import', 'tsx', service.source] : ['--enable-source-maps', service.compiled];
  const started = performance.now();
  const child = spawnChild(
    {
      name: service.name,
      command: process.execPath,
      args,
      cwd: join(REPO_ROOT, service.dir),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...service.env(port) },
      onLine: () => {},
    },
    watchdog,
  );
  await waitUntilReady(child, `http://127.0.0.1:${port}/readyz`);
  const ms = performance.now() - started;
  const rss = await rssMiB(child.pid);
  await sleep(3_000);
  const idleRss = await rssMiB(child.pid);
  await child.stop();
  return { ms, rss, idleRss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
try {
  console.log(`service    mode      start ms (median of ${RUNS}, min-max)   RSS at ready MiB   RSS idle 3 s MiB`);
  for (const service of SERVICES) {
    const results: Record<Mode, Array<{ ms: number; rss: number; idleRss: number }>> = { tsx: [], compiled: [] };
    await measure(service, 'compiled'); // warm the file cache once, for both modes alike
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['tsx', 'compiled'] as const) results[mode].push(await measure(service, mode));
    }
    for (const mode of ['tsx', 'compiled'] as const) {
      const ms = results[mode].map((r) => r.ms);
      const line = [
        service.name.padEnd(10),
        mode.padEnd(9),
        `${median(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}-${Math.max(...ms).toFixed(0)})`.padEnd(37),
        median(results[mode].map((r) => r.rss))
          .toFixed(0)
          .padEnd(18),
        median(results[mode].map((r) => r.idleRss)).toFixed(0),
      ];
      console.log(line.join(' '));
    }
  }
} finally {
  watchdog.close();
  await mirror.close();
  await system.stop();
}

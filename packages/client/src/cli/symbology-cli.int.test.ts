import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestSystem, type TestSystem } from '@symbology/api/testing';
import { newTaskId, type IngestEvent } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS, taskEvents } from '@symbology/contracts/testing';
import { freePort } from '@symbology/dev-services';
import { startOpsServer, postgresCheck, type OpsServer } from '@symbology/service';
import type { InstanceState } from '@symbology/service/instance-state';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('./run.ts', import.meta.url));
const CLIENT_DIR = fileURLToPath(new URL('../../', import.meta.url));
const WEB_MAIN = fileURLToPath(new URL('../../../../apps/web/src/server/main.ts', import.meta.url));
const WEB_DIR = fileURLToPath(new URL('../../../../apps/web/', import.meta.url));

let system: TestSystem;
let web: { url: string; port: number; child: ChildProcess };
let dataDir: string;
let emptyDataDir: string;
let deadPort: number;
let brokenOps: OpsServer;
let brokenSql: postgres.Sql;

type Run = { code: number | null; stdout: string; stderr: string };

/** The CLI as a person runs it: its own process, with only the environment given here. */
function cli(args: string[], env: Record<string, string> = {}, onStderr?: (text: string) => void): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', RUN, ...args], {
    cwd: CLIENT_DIR,
    // Nothing of the test's own environment that would point the CLI somewhere.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SYMBOLOGY_DATA_DIR: emptyDataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    onStderr?.(stderr);
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The web server as its own process, the way the launcher runs it (API and WebSocket only). */
async function spawnWeb() {
  const port = await freePort();
  const creds = system.nats.credentials('web');
  const child = spawn(process.execPath, ['--import', 'tsx', WEB_MAIN], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NATS_URL: creds.servers,
      NATS_PASSWORD: creds.pass,
      DATABASE_URL: system.database.url,
      PORT: String(port),
      WEB_NEXT_MODE: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`web process on ${port} never ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, child };
}

/** The state file `npm start` writes, naming this test's live process as the launcher. */
function instanceState(overrides: Partial<InstanceState> = {}): InstanceState {
  const sub = system.nats.credentials('subscriber');
  return {
    pid: process.pid,
    startedAt: '2026-11-29T18:03:17.276Z',
    webUrl: web.url,
    wsUrl: `${web.url.replace('http', 'ws')}/api/trpc-ws`,
    natsUrl: system.nats.url,
    services: {
      projector: { url: brokenOps.url, pid: process.pid, instanceId: 'projector-id' },
      ingestor: { url: `http://127.0.0.1:${deadPort}`, pid: process.pid, instanceId: 'ingestor-id' },
      web: { url: web.url, pid: web.child.pid!, instanceId: 'web-id' },
    },
    subscriber: { user: sub.user, pass: sub.pass },
    ...overrides,
  };
}

const project = async (events: IngestEvent[]) => {
  for (const e of events) await system.project(e);
  return events[0]!.taskId;
};

beforeAll(async () => {
  system = await startTestSystem();
  [web, deadPort] = await Promise.all([spawnWeb(), freePort()]);
  // A service whose Postgres is gone: the kit's real ops handler, with a real check that fails.
  brokenSql = postgres(`postgres://nobody@127.0.0.1:${deadPort}/nothing`, { connect_timeout: 2, max: 1 });
  brokenOps = await startOpsServer({
    port: 0,
    instanceId: 'projector-id',
    checks: [postgresCheck(brokenSql, { timeoutMs: 2_500 })],
    metrics: { contentType: 'text/plain', metrics: async () => '' },
  });
  dataDir = await mkdtemp(join(tmpdir(), 'symbology-cli-'));
  emptyDataDir = await mkdtemp(join(tmpdir(), 'symbology-cli-empty-'));
  await writeFile(join(dataDir, 'instance.json'), JSON.stringify(instanceState()));
}, 120_000);
afterAll(async () => {
  web?.child.kill('SIGTERM');
  if (web && web.child.exitCode === null) await new Promise((r) => web.child.once('exit', r));
  await brokenOps?.close();
  await brokenSql?.end({ timeout: 1 });
  await system?.stop();
  for (const dir of [dataDir, emptyDataDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('symbology exits with the outcome of the task it reads', () => {
  it('status <taskId>: 0 completed, 5 completed with errors (naming what is missing), 1 failed, 6 cancelled', async () => {
    const [f1, f2] = SAMPLE_FILINGS as [(typeof SAMPLE_FILINGS)[0], (typeof SAMPLE_FILINGS)[0]];
    const partial = taskEvents(newTaskId());
    const failed = taskEvents(newTaskId());
    const cancelled = taskEvents(newTaskId());
    const tasks = {
      completed: await project(happyTask(newTaskId(), [f1, f2])),
      withErrors: await project([
        partial.requested(),
        partial.resolved([f1, f2]),
        partial.started(f1),
        partial.partial(f1),
        partial.started(f2),
        partial.failed(f2, 'EDGAR answered HTTP 503: try again later'),
        partial.ingestCompleted(0, 1, 1),
      ]),
      failed: await project([failed.requested(), failed.ingestFailed()]),
      cancelled: await project([
        cancelled.requested(),
        cancelled.resolved([f1, f2]),
        cancelled.started(f1),
        cancelled.completed(f1),
        cancelled.cancelled({ completed: 1, notAttempted: 1 }),
      ]),
    };
    const env = { SYMBOLOGY_URL: web.url };
    const [completed, withErrors, failedRun, cancelledRun] = await Promise.all([
      cli(['status', tasks.completed], env),
      cli(['status', tasks.withErrors], env),
      cli(['status', tasks.failed], env),
      cli(['status', tasks.cancelled], env),
    ]);
    expect(completed).toMatchObject({ code: 0, stdout: expect.stringMatching(/^SYMB completed\n/) });
    expect(withErrors.code).toBe(5);
    expect(withErrors.stdout).toContain('SYMB completed with errors');
    expect(withErrors.stdout).toContain(
      `FY${f1.fiscalYear} 10-K ${f1.accession} partial: business, risk_factors, mdna: EDGAR has no document at that URL (HTTP 404)`,
    );
    expect(withErrors.stdout).toContain(`${f2.accession} failed: EDGAR answered HTTP 503: try again later`);
    expect(failedRun.code).toBe(1);
    expect(failedRun.stdout).toContain('No company with ticker ZZZZ is registered with the SEC');
    expect(cancelledRun.code).toBe(6);
    expect(cancelledRun.stdout).toContain(`${f2.accession} not attempted`);
  }, 60_000);

  it('ingest --follow: draws the task live and exits 5 when it ends with errors', async () => {
    let taskId: string | undefined;
    const running = cli(['ingest', 'CLIF', '--follow'], { SYMBOLOGY_URL: web.url }, (text) => {
      taskId ??= /^task (\S+)$/m.exec(text)?.[1];
    });
    await expect.poll(() => taskId, { timeout: 30_000 }).toBeDefined();
    const e = taskEvents(taskId!, { ticker: 'CLIF' });
    const [f1, f2] = SAMPLE_FILINGS;
    // The CLI published IngestRequested itself: the rest is what the ingestor would publish.
    for (const event of [
      e.resolved([f1!, f2!]),
      e.started(f1!),
      e.completed(f1!),
      e.started(f2!),
      e.partial(f2!),
      e.ingestCompleted(1, 0, 1),
    ])
      await system.project(event);
    const run = await running;
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/█{30} 100%/);
    expect(run.stdout).toContain(`${f2!.accession} partial: business, risk_factors, mdna`);
  }, 60_000);
});

describe('symbology finds the instance npm start runs, and says where it connects', () => {
  it('reads the web URL from <data dir>/instance.json when nothing else names one', async () => {
    const id = await project(happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1)));
    const run = await cli(['status', id], { SYMBOLOGY_DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `symbology: web app ${web.url} (running instance: ${join(dataDir, 'instance.json')}, launcher pid ${process.pid})`,
    );
  }, 30_000);

  it('ignores a state file whose launcher is gone, and says it uses the default', async () => {
    const stale = await mkdtemp(join(tmpdir(), 'symbology-cli-stale-'));
    try {
      // A pid that cannot be alive: the file a machine crash left behind.
      await writeFile(join(stale, 'instance.json'), JSON.stringify(instanceState({ pid: 2 ** 22 + 1 })));
      const run = await cli(['status', newTaskId()], {
        SYMBOLOGY_DATA_DIR: stale,
        SYMBOLOGY_WEB_PORT: String(deadPort),
      });
      expect(run.stderr).toContain(`symbology: web app http://127.0.0.1:${deadPort} (from SYMBOLOGY_WEB_PORT)`);
      expect(run.code).toBe(3);
      const bare = await cli(['company', 'ZZZZ'], {
        SYMBOLOGY_DATA_DIR: stale,
        SYMBOLOGY_URL: `http://127.0.0.1:${deadPort}`,
      });
      expect(bare.stderr).toContain(`cannot reach the Symbology web app at http://127.0.0.1:${deadPort}`);
    } finally {
      await rm(stale, { recursive: true, force: true });
    }
  }, 30_000);

  it('honours SYMBOLOGY_WEB_PORT, and SYMBOLOGY_URL and --url over the state file', async () => {
    const id = await project(happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1)));
    const byPort = await cli(['status', id], { SYMBOLOGY_WEB_PORT: String(web.port) });
    expect(byPort.code).toBe(0);
    expect(byPort.stderr).toContain(`symbology: web app http://127.0.0.1:${web.port} (from SYMBOLOGY_WEB_PORT)`);
    // The state file names a web app that is gone; the environment and the flag win over it.
    const elsewhere = await mkdtemp(join(tmpdir(), 'symbology-cli-gone-'));
    try {
      const gone = `http://127.0.0.1:${deadPort}`;
      await writeFile(join(elsewhere, 'instance.json'), JSON.stringify(instanceState({ webUrl: gone, wsUrl: gone })));
      const viaEnv = await cli(['status', id], { SYMBOLOGY_DATA_DIR: elsewhere, SYMBOLOGY_URL: web.url });
      expect(viaEnv.code).toBe(0);
      expect(viaEnv.stderr).toContain(`(from SYMBOLOGY_URL)`);
      const viaFlag = await cli(['status', id, '--url', web.url, '--data-dir', elsewhere]);
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stderr).toContain(`symbology: web app ${web.url} (from --url)`);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  }, 30_000);

  it('events: tails NATS as the subscriber with the URL and credentials of the state file, no NATS_URL', async () => {
    const id = await project(happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 2)));
    const run = await cli(['events', '--task', id], { SYMBOLOGY_DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`symbology: NATS ${system.nats.url} as subscriber (running instance:`);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[3]),
    ).toEqual([
      'IngestRequested',
      'CompanyResolved',
      'FilingStarted',
      'FilingCompleted',
      'FilingStarted',
      'FilingCompleted',
      'IngestCompleted',
    ]);
  }, 30_000);
});

describe('symbology status: each service, each check, and why it fails', () => {
  it("reads every service's /readyz: the reasons of the failing checks, and who does not answer; exit 3", async () => {
    const run = await cli(['status'], { SYMBOLOGY_DATA_DIR: dataDir });
    expect(run.code).toBe(3);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toContain(`services (running instance: ${join(dataDir, 'instance.json')}`);
    expect(run.stdout).toMatch(new RegExp(`^✗ projector +${brokenOps.url}  not ready: postgres failing$`, 'm'));
    expect(run.stdout).toMatch(/^ {4}✗ postgres {2}.*ECONNREFUSED/m);
    expect(run.stdout).toMatch(
      new RegExp(
        `^✗ ingestor +http://127.0.0.1:${deadPort}  unreachable: nothing listens there \\(connection refused\\)$`,
        'm',
      ),
    );
    expect(run.stdout).toMatch(new RegExp(`^✓ web +${web.url}  ready$`, 'm'));
    expect(run.stdout).toMatch(/^ {4}✓ nats {6}127\.0\.0\.1:\d+ rtt \d+ ms$/m);
    expect(lines.filter(Boolean).at(-1)).toBe('NOT READY');
  }, 30_000);

  it('exits 0 when every service is ready', async () => {
    const run = await cli(['status', '--json'], { SYMBOLOGY_URL: web.url, SYMBOLOGY_DATA_DIR: emptyDataDir });
    // Without the state file, only the web app is where it was said to be; ingestor and projector
    // are looked for on their default ports.
    const report = JSON.parse(run.stdout) as { services: Array<{ service: string; ready: boolean }> };
    expect(report.services.find((s) => s.service === 'web')?.ready).toBe(true);
    const healthy = await mkdtemp(join(tmpdir(), 'symbology-cli-healthy-'));
    try {
      await writeFile(
        join(healthy, 'instance.json'),
        JSON.stringify(instanceState({ services: { web: { url: web.url, pid: web.child.pid!, instanceId: 'w' } } })),
      );
      const ok = await cli(['status'], { SYMBOLOGY_DATA_DIR: healthy });
      expect(ok.code).toBe(0);
      expect(ok.stdout.trim().split('\n').at(-1)).toBe('all ready');
    } finally {
      await rm(healthy, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('symbology company', () => {
  it('says plainly when nothing is stored for a known company', async () => {
    await system.db
      .$client`insert into companies (cik, name, tickers, exchanges) values ('0001234567', 'Empty Shell Corp', '{EMTY}', '{NYSE}')`;
    const run = await cli(['company', 'EMTY'], { SYMBOLOGY_URL: web.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Nothing is stored for Empty Shell Corp: no annual report (10-K, 20-F or 40-F) was ingested.',
    );
    expect(run.stdout).not.toContain('fiscal year  form');
  }, 30_000);

  it('exits 4 for a company not ingested', async () => {
    const run = await cli(['company', 'ZZZQ'], { SYMBOLOGY_URL: web.url });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('ZZZQ is not ingested yet');
  }, 30_000);
});

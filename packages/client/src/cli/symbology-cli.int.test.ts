import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestSystem, type TestSystem } from '@symbology/api/testing';
import { newTaskId, type IngestEvent } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS, taskEvents } from '@symbology/contracts/testing';
import { freePort, retryOnPortClash } from '@symbology/dev-services';
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

/**
 * The web server as its own process, the way the launcher runs it (API and WebSocket only), on a
 * port picked for it: picked again when another process takes it before the web server binds it.
 */
function spawnWeb() {
  return retryOnPortClash(async () => spawnWebOn(await freePort()));
}

async function spawnWebOn(port: number) {
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
      // Every command here comes from this machine, one peer: its ingestion bucket (requests,
      // retries and cancels alike) must not run dry partway through the file.
      INGEST_RATE_LIMIT_PER_MINUTE: '600',
      INGEST_RATE_LIMIT_BURST: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Shown as before; kept, so a start that lost its port says EADDRINUSE.
  let said = '';
  const keep = (to: NodeJS.WriteStream) => (b: Buffer) => {
    to.write(b);
    said = (said + b.toString()).slice(-4_000);
  };
  child.stdout.on('data', keep(process.stdout));
  child.stderr.on('data', keep(process.stderr));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`web process on ${port} never ready:\n${said}`);
    }
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
    expect(run.stdout).toMatch(
      /^ {4}✓ nats {6}127\.0\.0\.1:\d+ rtt \d+ ms; stream INGEST (leader \S+|on this server)$/m,
    );
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
    expect(run.code).toBe(4);
    expect(run.stdout).toContain(
      'Nothing is stored for Empty Shell Corp: no annual report (10-K, 20-F or 40-F) holds anything.',
    );
    expect(run.stdout).not.toContain('fiscal year  form');
    // Asked to ingest it again with nothing due: not "stored and up to date", and not exit 0.
    await system.db.$client`update companies set checked_at = now() where cik = '0001234567'`;
    const again = await cli(['ingest', 'EMTY'], { SYMBOLOGY_URL: web.url });
    expect(again.code).toBe(4);
    expect(again.stdout).toMatch(
      /^EMTY is known, but no annual report of it is stored, and EDGAR was read for it recently/,
    );
    expect(again.stdout).not.toContain('up to date');
  }, 30_000);

  it('says so too when its filings were tried and hold nothing: rows, every part missing', async () => {
    const parts = ['facts', 'business', 'risk_factors', 'mdna'].map((part) => ({
      part,
      status: 'missing' as const,
      taskId: newTaskId(),
    }));
    const { fiscalYear } = await storeCompany('TRYD', '0001234568', parts);
    const run = await cli(['company', 'TRYD'], { SYMBOLOGY_URL: web.url });
    expect(run.code).toBe(4);
    expect(run.stdout).toContain(
      'Nothing is stored for TRYD Corp: no annual report (10-K, 20-F or 40-F) holds anything.',
    );
    expect(run.stdout).toContain(
      `Its ingestion tried 1 annual report and could store nothing of them: FY${fiscalYear} 10-K: EDGAR answered HTTP 503`,
    );
    const again = await cli(['ingest', 'TRYD'], { SYMBOLOGY_URL: web.url });
    expect(again.stdout).not.toContain('up to date');
    expect(again.stdout).toMatch(/^TRYD is known, but no annual report of it is stored/);
  }, 30_000);

  it('exits 4 for a company not ingested', async () => {
    const run = await cli(['company', 'ZZZQ'], { SYMBOLOGY_URL: web.url });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('ZZZQ is not ingested yet');
  }, 30_000);
});

/** A stored company with one filing whose parts are as given, as the ingestor leaves them. */
async function storeCompany(
  ticker: string,
  cik: string,
  parts: Array<{ part: string; status: 'stored' | 'missing'; retryable?: boolean; taskId: string }>,
) {
  const sql = system.db.$client;
  const [f] = SAMPLE_FILINGS;
  const accession = `${cik}-25-000001`;
  await sql`insert into companies (cik, name, tickers, exchanges, checked_at) values (${cik}, ${`${ticker} Corp`}, ${[ticker]}, '{Nasdaq}', now())`;
  await sql`insert into filings (accession, cik, form, fiscal_year, report_date, filing_date, primary_document, primary_document_url)
    values (${accession}, ${cik}, '10-K', ${f!.fiscalYear}, ${f!.reportDate}, ${f!.filingDate}, 'a.htm', 'https://www.sec.gov/a.htm')`;
  for (const p of parts) {
    const missing = p.status === 'missing';
    await sql`insert into filing_parts (cik, accession, part, status, code, message, retryable, size, task_id)
      values (${cik}, ${accession}, ${p.part}, ${p.status}, ${missing ? 'edgar_unavailable' : null},
        ${missing ? 'EDGAR answered HTTP 503: try again later' : null}, ${p.retryable ?? false}, ${missing ? 0 : 100}, ${p.taskId})`;
  }
  return { ...f!, accession };
}

describe('symbology ingest --retry and symbology cancel, through ingest.retry and ingest.cancel', () => {
  /** A company whose one filing kept its facts while its text came back missing (retryable) from a task. */
  const storeTextMissing = async (ticker: string, cik: string) => {
    const oldTask = newTaskId();
    const before = taskEvents(oldTask, { ticker });
    const filing = await storeCompany(ticker, cik, [
      { part: 'facts', status: 'stored', taskId: oldTask },
      ...(['business', 'risk_factors', 'mdna'] as const).map((part) => ({
        part,
        status: 'missing' as const,
        retryable: true,
        taskId: oldTask,
      })),
    ]);
    await project([
      before.requested(),
      before.resolved([filing]),
      before.started(filing),
      before.partial(filing),
      before.ingestCompleted(0, 0, 1),
    ]);
    return { oldTask, filing };
  };

  it('--retry starts a retry of the task that left a part missing, follows it, and exits with its outcome', async () => {
    const { oldTask, filing } = await storeTextMissing('RTRY', '0000000777');

    const company = await cli(['company', 'RTRY'], { SYMBOLOGY_URL: web.url });
    expect(company.stdout).toContain(
      `FY${filing.fiscalYear} 10-K  stored: facts; missing: business, risk_factors, mdna: EDGAR answered HTTP 503: try again later (retryable)  [task ${oldTask}]`,
    );
    expect(company.stdout).toContain('symbology ingest RTRY --retry --follow');

    let retryTask: string | undefined;
    const running = cli(['ingest', 'RTRY', '--retry', '--follow'], { SYMBOLOGY_URL: web.url }, (text) => {
      retryTask ??= /^task (\S+) \(RTRY is stored; started a retry in the background\)$/m.exec(text)?.[1];
    });
    await expect.poll(() => retryTask, { timeout: 30_000 }).toBeDefined();
    const e = taskEvents(retryTask!, { ticker: 'RTRY', mode: 'retry', retryOf: oldTask });
    for (const event of [e.resolved([filing]), e.started(filing), e.completed(filing), e.ingestCompleted(1, 0)])
      await system.project(event);
    expect((await running).code).toBe(0);
    // What the web app published for it: a retry of exactly that task.
    const events = await cli(['events', '--task', retryTask!, '--type', 'requested', '--json'], {
      SYMBOLOGY_DATA_DIR: dataDir,
    });
    expect(JSON.parse(events.stdout)).toMatchObject({
      type: 'IngestRequested',
      data: { ticker: 'RTRY', mode: 'retry', retryOf: oldTask },
    });
  }, 60_000);

  it('a plain ingest of a stored company answers at once, naming the retry the API starts behind it', async () => {
    const { oldTask } = await storeTextMissing('BGND', '0000000780');
    const run = await cli(['ingest', 'BGND'], { SYMBOLOGY_URL: web.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\S+ \(BGND is stored; started a retry in the background\)\n$/);

    await storeCompany(
      'FULL',
      '0000000781',
      (['facts', 'business', 'risk_factors', 'mdna'] as const).map((part) => ({
        part,
        status: 'stored' as const,
        taskId: oldTask,
      })),
    );
    const whole = await cli(['ingest', 'FULL'], { SYMBOLOGY_URL: web.url });
    expect(whole).toMatchObject({ code: 0, stdout: 'FULL is stored and up to date: symbology company FULL\n' });
  }, 30_000);

  it('--retry with nothing to retry exits 7 and says why; for a company not ingested, 4', async () => {
    const task = newTaskId();
    await storeCompany('WHOL', '0000000778', [{ part: 'facts', status: 'stored', taskId: task }]);
    const whole = await cli(['ingest', 'WHOL', '--retry'], { SYMBOLOGY_URL: web.url });
    expect(whole.code).toBe(7);
    expect(whole.stderr).toContain('Nothing to retry for WHOL: every stored filing holds all its parts.');
    const unknown = await cli(['ingest', 'NOPE', '--retry'], { SYMBOLOGY_URL: web.url });
    expect(unknown.code).toBe(4);
    // Missing for good (the document has no such item): the API says there is nothing to retry.
    const goneTask = newTaskId();
    const gone = taskEvents(goneTask, { ticker: 'GONE', cik: '0000000779' });
    const filing = await storeCompany('GONE', '0000000779', [
      ...(['facts', 'business', 'risk_factors'] as const).map((part) => ({
        part,
        status: 'stored' as const,
        taskId: goneTask,
      })),
      { part: 'mdna', status: 'missing', retryable: false, taskId: goneTask },
    ]);
    await project([
      gone.requested(),
      gone.resolved([filing]),
      gone.started(filing),
      gone.partial(filing, [
        { part: 'mdna', code: 'section_not_found', message: 'The 10-K has no Item 7', retryable: false },
      ]),
      gone.ingestCompleted(0, 0, 1),
    ]);
    const forGood = await cli(['ingest', 'GONE', '--retry'], { SYMBOLOGY_URL: web.url });
    expect(forGood.code).toBe(7);
    expect(forGood.stderr).toContain(`Task ${goneTask} left nothing to retry`);
    expect(forGood.stderr).toContain('missing for good');
  }, 30_000);

  it('cancel --follow asks the task to stop, which ends cancelled: exit 6; cancelling it again: exit 7', async () => {
    const e = taskEvents(newTaskId(), { ticker: 'CNCL' });
    const [f1, f2] = SAMPLE_FILINGS;
    const task = await project([e.requested(), e.resolved([f1!, f2!]), e.started(f1!)]);
    let asked = false;
    const running = cli(['cancel', task, '--follow'], { SYMBOLOGY_URL: web.url }, (text) => {
      asked ||= text.includes(`cancel requested: task ${task}`);
    });
    await expect.poll(() => asked, { timeout: 30_000 }).toBe(true);
    // The web app put the request on the stream, for the ingestor to see between filings.
    const requests = await cli(['events', '--task', task, '--type', 'cancel_requested'], {
      SYMBOLOGY_DATA_DIR: dataDir,
    });
    expect(requests.stdout.trim().split('\n')).toHaveLength(1);
    expect(requests.stdout).toContain(' IngestCancelRequested ');
    for (const event of [e.completed(f1!), e.cancelled({ completed: 1, notAttempted: 1 })]) await system.project(event);
    const run = await running;
    expect(run.code).toBe(6);
    expect(run.stdout).toContain(`${f2!.accession} not attempted: the task ended before it`);

    const again = await cli(['cancel', task], { SYMBOLOGY_URL: web.url });
    expect(again.code).toBe(7);
    expect(again.stderr).toContain('has already ended (cancelled): nothing to cancel');
    const missing = await cli(['cancel', newTaskId()], { SYMBOLOGY_URL: web.url });
    expect(missing.code).toBe(4);
  }, 60_000);
});

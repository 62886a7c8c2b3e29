import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, REPO_ROOT, TEST_PG_ENV, MACHINE_POSTGRES_URL } from '@symbology/dev-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The launcher as a newcomer runs it, from a clean data dir, with the CLI as they would use it.
const FIXTURES = join(REPO_ROOT, 'tooling/edgar-mirror/fixtures/edgar');
const CLI = join(REPO_ROOT, 'node_modules/.bin/symbology');

type Launched = { child: ChildProcess; output: string[]; exited: Promise<number | null> };

function collect(child: ChildProcess): { output: string[]; exited: Promise<number | null> } {
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (l) => output.push(l));
  }
  return { output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

describe('npm start: the whole system from one command', () => {
  const ports: Record<string, string> = {};
  let dataDir: string;
  let databaseUrl: string;
  let databaseName: string;
  let env: NodeJS.ProcessEnv;
  let cliEnv: NodeJS.ProcessEnv;
  let launcher: Launched;

  async function startLauncher(): Promise<Launched> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/start.ts', '--edgar-mirror', FIXTURES, '--data-dir', dataDir],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const launched = { child, ...collect(child) };
    const deadline = Date.now() + 240_000;
    while (!launched.output.some((l) => l.includes('Symbology is running'))) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`launcher did not start:\n${launched.output.slice(-40).join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return launched;
  }

  async function stopLauncher(l: Launched): Promise<number | null> {
    l.child.kill('SIGINT');
    return l.exited;
  }

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(CLI, args, { env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  }

  beforeAll(async () => {
    for (const name of ['WEB', 'INGESTOR', 'PROJECTOR', 'NATS', 'NATS_MONITOR', 'MIRROR', 'POSTGRES']) {
      ports[name] = String(await freePort());
    }
    dataDir = await mkdtemp(join(tmpdir(), 'symbology-launcher-'));
    databaseName = `symbology_launcher_${Date.now().toString(36)}`;
    const server = new URL(process.env[TEST_PG_ENV] ?? MACHINE_POSTGRES_URL);
    server.pathname = `/${databaseName}`;
    databaseUrl = server.toString();
    const portEnv = Object.fromEntries(Object.entries(ports).map(([k, v]) => [`SYMBOLOGY_${k}_PORT`, v]));
    env = { ...process.env, ...portEnv, DATABASE_URL: databaseUrl, NATS_URL: '', LOG_LEVEL: 'info' };
    delete env.NATS_URL;
    cliEnv = {
      ...process.env,
      SYMBOLOGY_URL: `http://127.0.0.1:${ports.WEB}`,
      NATS_URL: `nats://127.0.0.1:${ports.NATS}`,
    };
    launcher = await startLauncher();
  });

  afterAll(async () => {
    if (launcher && launcher.child.exitCode === null) await stopLauncher(launcher);
    const server = new URL(databaseUrl);
    server.pathname = '/postgres';
    const sql = postgres(server.toString(), { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${databaseName}" with (force)`).finally(() => sql.end());
  });

  it('starts from a clean state, and `symbology ingest SYMB --follow` completes while `events --follow` prints typed events', async () => {
    const tail = spawn(CLI, ['events', '--follow', '--type', 'filing_completed'], {
      env: cliEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tailed = collect(tail);
    await new Promise((r) => setTimeout(r, 1_500));

    const ingest = await cli(['ingest', 'SYMB', '--follow']);
    expect(ingest.stderr).toMatch(/100%/);
    expect(ingest.stdout).toContain('Ingested Symbology Test Corp: 5 filings');
    expect(ingest.code).toBe(0);

    await expect
      .poll(() => tailed.output.filter((l) => l.includes(' FilingCompleted ')).length, { timeout: 10_000 })
      .toBe(5);
    expect(
      tailed.output.every((l) =>
        /^#\d+ \S+ [0-9a-f-]{36} FilingCompleted accession=\d{10}-\d{2}-\d{6} factsStored=\d+ sectionsStored=3 /.test(
          l,
        ),
      ),
    ).toBe(true);
    tail.kill('SIGINT');
    expect(await tailed.exited).toBe(0);

    const company = await cli(['company', 'SYMB', '--json']);
    expect(JSON.parse(company.stdout)).toMatchObject({ profile: { cik: '0009999999', name: 'Symbology Test Corp' } });
  });

  it('serves Prometheus metrics with the series each service promises', async () => {
    const promised = {
      INGESTOR: [
        'ingestor_tasks_in_flight',
        'ingestor_edgar_requests_total',
        'ingestor_edgar_request_duration_seconds',
        'ingestor_edgar_limiter_wait_seconds',
      ],
      PROJECTOR: [
        'projector_events_projected_total',
        'projector_batch_size',
        'projector_lag_events',
        'projector_dead_letters_total',
      ],
      WEB: [
        'web_ws_connections',
        'web_status_subscriptions',
        'web_status_messages_sent_total',
        'web_trpc_procedure_duration_seconds',
      ],
    };
    const scraped: Record<string, string> = {};
    for (const [service, series] of Object.entries(promised)) {
      const base = `http://127.0.0.1:${ports[service]!}`;
      scraped[service] = await (await fetch(`${base}/metrics`)).text();
      for (const name of series) expect(scraped[service], `${service} /metrics`).toContain(name);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }
    // Not only declared: the ingestion above moved them.
    expect(scraped.INGESTOR).toMatch(/ingestor_edgar_requests_total\{[^}]*status="200"[^}]*\} [1-9]/);
    expect(scraped.PROJECTOR).toMatch(/projector_events_projected_total [1-9]/);
  });

  it('stops cleanly on Ctrl-C, and a second start reuses the data', async () => {
    const before = await cli(['events', '--json']);
    const events = before.stdout.trim().split('\n');
    expect(await stopLauncher(launcher)).toBe(0);
    expect(launcher.output.at(-1)).toMatch(/stopped$/);

    launcher = await startLauncher();
    const again = await cli(['ingest', 'SYMB']);
    expect(again.stdout).toContain('SYMB is already ingested');
    const after = await cli(['events', '--json']);
    expect(after.stdout.trim().split('\n')).toEqual(events);
  });
});

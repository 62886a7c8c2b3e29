import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, MACHINE_POSTGRES_URL, REPO_ROOT, retryOnPortClash, TEST_PG_ENV } from '@symbology/dev-services';
import { FIXTURES_DIR } from '@symbology/edgar-mirror/test-data';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTargets } from './build/build';
import { PortsTakenError } from './ports/assert-ports-free';
import { portHolder } from './ports/port-holder';
import { isAlive, signal } from './process/signal-process';
import { readInstanceState, stateFilePath, type InstanceState } from './state-file';

// The launcher as a newcomer runs it (compiled, as npm start runs it), from a clean data dir, with
// the CLI as they would use it; then stopped every way a person or a machine stops it.
const LAUNCHER = join(REPO_ROOT, 'tooling/launcher/dist/main.js');
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
  const databases: string[] = [];
  let env: NodeJS.ProcessEnv;
  let cliEnv: NodeJS.ProcessEnv;
  let launcher: Launched;

  const spawned: Launched[] = [];
  /** Each launcher leads a process group of its own: what it started (a build too) goes with it. */
  function spawnLauncher(command: string, args: string[], dir = dataDir): Launched {
    const child = spawn(command, [...args, '--edgar-mirror', FIXTURES_DIR, '--data-dir', dir], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const launched = { child, ...collect(child) };
    spawned.push(launched);
    return launched;
  }

  /** kill -9 of the launcher's whole group, e.g. a `next build` it runs, which would block the next one. */
  async function killGroup(launched: Launched): Promise<void> {
    if (launched.child.pid !== undefined) signal(launched.child.pid, 'SIGKILL', true);
    await launched.exited;
  }

  /**
   * Ports of their own for the launcher to give out (npm start takes them from SYMBOLOGY_*_PORT),
   * and the CLI's environment to reach them.
   */
  async function pickPorts(): Promise<void> {
    for (const name of ['WEB', 'INGESTOR', 'PROJECTOR', 'NATS', 'NATS_MONITOR', 'MIRROR', 'POSTGRES']) {
      ports[name] = String(await freePort());
    }
    const portEnv = Object.fromEntries(Object.entries(ports).map(([k, v]) => [`SYMBOLOGY_${k}_PORT`, v]));
    Object.assign(env, portEnv);
    cliEnv = {
      ...process.env,
      SYMBOLOGY_URL: `http://127.0.0.1:${ports.WEB}`,
      NATS_URL: `nats://127.0.0.1:${ports.NATS}`,
    };
  }

  /**
   * npm start must be told its ports: picked here, and picked again when another process took one
   * before the launcher checked it (its refusal) or before a service bound it (EADDRINUSE).
   */
  function startLauncher(command = process.execPath, args = [LAUNCHER]): Promise<Launched> {
    return retryOnPortClash(async (attempt) => {
      if (attempt > 1) await pickPorts();
      return startLauncherOnce(command, args);
    });
  }

  async function startLauncherOnce(command: string, args: string[]): Promise<Launched> {
    const launched = spawnLauncher(command, args);
    // Starting, not building: beforeAll built every target, so the launcher finds nothing stale.
    const deadline = Date.now() + 240_000;
    while (!launched.output.some((l) => l.includes('Symbology is running'))) {
      if (launched.child.exitCode !== null || Date.now() > deadline) {
        await killGroup(launched);
        const said = launched.output.slice(-40).join('\n');
        const taken = launched.output.find((l) => / is taken by /.test(l));
        throw new Error(`launcher did not start:\n${said}`, taken ? { cause: new PortsTakenError(taken) } : {});
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return launched;
  }

  /** Every process this start runs: the launcher, the three services and nats-server. */
  async function processesOf(state: InstanceState): Promise<number[]> {
    const nats = await portHolder(Number(ports.NATS));
    expect(nats?.command).toContain('nats-server');
    return [state.pid, ...Object.values(state.services).map((s) => s.pid), nats?.pid ?? 0];
  }

  async function expectNothingLeft(pids: number[]): Promise<void> {
    await expect.poll(() => pids.filter(isAlive), { timeout: 30_000, interval: 200 }).toEqual([]);
    expect(existsSync(stateFilePath(dataDir)), 'the state file is removed').toBe(false);
  }

  async function runningState(): Promise<InstanceState> {
    const state = await readInstanceState(dataDir);
    if (!state) throw new Error(`no ${stateFilePath(dataDir)}`);
    return state;
  }

  /** A new data dir and database, as on a machine that never ran Symbology. */
  async function cleanSlate(): Promise<void> {
    dataDir = await mkdtemp(join(tmpdir(), 'symbology-launcher-'));
    const name = `symbology_launcher_${Date.now().toString(36)}`;
    databases.push(name);
    const server = new URL(process.env[TEST_PG_ENV] ?? MACHINE_POSTGRES_URL);
    server.pathname = `/${name}`;
    env.DATABASE_URL = server.toString();
  }

  const cli = (args: string[]) => run(CLI, args, cliEnv);

  function run(
    command: string,
    args: string[],
    runEnv: NodeJS.ProcessEnv,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(command, args, { env: runEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  }

  beforeAll(async () => {
    // What npm start builds, built first (or waited for, when another process builds it): a first
    // `next build` on a fresh clone can take longer than a start may, and is not what is tested here.
    await buildTargets(['launcher', 'projector', 'ingestor', 'web-server', 'cli', 'web']);
    env = { ...process.env, LOG_LEVEL: 'info' };
    delete env.NATS_URL;
    await pickPorts();
    await cleanSlate();
    launcher = await startLauncher();
  });

  afterAll(async () => {
    if (launcher && launcher.child.exitCode === null) {
      launcher.child.kill('SIGINT');
      await launcher.exited;
    }
    // Whatever a failed test left running (a group whose leader is gone may hold a reused id: left alone).
    for (const launched of spawned.filter((l) => l.child.exitCode === null && l.child.signalCode === null))
      await killGroup(launched);
    const sql = postgres(process.env[TEST_PG_ENV] ?? MACHINE_POSTGRES_URL, { max: 1, onnotice: () => {} });
    for (const name of databases) await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.end();
  });

  it('starts from a clean state, and `symbology ingest SYMB --follow` completes while `events --follow` prints typed events', async () => {
    const tail = spawn(CLI, ['events', '--follow', '--type', 'filing_completed'], {
      env: cliEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Stored events first, then new ones: whenever it connects, it prints all of this task's.
    const tailed = collect(tail);

    const ingest = await cli(['ingest', 'SYMB', '--follow']);
    expect(ingest.stderr).toMatch(/100%/);
    expect(ingest.stdout).toContain('Ingested Symbology Test Corp: 5 filings');
    expect(ingest.code).toBe(0);

    await expect
      .poll(() => tailed.output.filter((l) => l.includes(' FilingCompleted ')).length, { timeout: 10_000 })
      .toBe(5);
    // Only the event lines: the CLI also says on stderr where it connects.
    expect(
      tailed.output
        .filter((l) => l.startsWith('#'))
        .every((l) =>
          /^#\d+ \S+ [0-9a-f-]{36} FilingCompleted accession=\d{10}-\d{2}-\d{6} outcome=completed factsStored=\d+ sectionsStored=3 /.test(
            l,
          ),
        ),
    ).toBe(true);
    tail.kill('SIGINT');
    expect(await tailed.exited).toBe(0);

    const company = await cli(['company', 'SYMB', '--json']);
    expect(JSON.parse(company.stdout)).toMatchObject({ profile: { cik: '0009999999', name: 'Symbology Test Corp' } });
  });

  it('lets an operator rebuild and verify with the compiled projector CLI, its fold in a worker thread from dist/', async () => {
    // Where the projector's environment is set, as docs/operations.md says to run it.
    const projector = (await runningState()).services.projector!;
    const environ = (await readFile(`/proc/${projector.pid}/environ`, 'utf8')).split('\0');
    const serviceEnv = Object.fromEntries(environ.filter((kv) => kv.includes('=')).map((kv) => kv.split(/=(.*)/s)));
    const operatorEnv = { ...process.env, ...serviceEnv, PROJECTOR_REBUILD_WORKERS: '1' };
    expect(existsSync(join(REPO_ROOT, 'apps/projector/dist/rebuild-worker.js'))).toBe(true);
    const bin = join(REPO_ROOT, 'apps/projector/bin/symbology-projector.mjs');

    const rebuilt = await run(process.execPath, [bin, 'rebuild'], operatorEnv);
    expect(rebuilt.stderr).not.toMatch(/error/i);
    expect(rebuilt.stdout).toMatch(/^rebuilt all tasks: 1 tasks \(0 changed\), 5 filings \(0 changed\)/m);
    expect(rebuilt.code).toBe(0);
    const verified = await run(process.execPath, [bin, 'verify'], operatorEnv);
    expect(verified.stdout).toMatch(/: OK/);
    expect(verified.code).toBe(0);
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

  it('says where it runs in <data dir>/instance.json, and gives each service an instance id of its own', async () => {
    const state = await runningState();
    expect(state).toMatchObject({
      pid: launcher.child.pid,
      webUrl: `http://127.0.0.1:${ports.WEB}`,
      wsUrl: `ws://127.0.0.1:${ports.WEB}/api/trpc-ws`,
      natsUrl: `nats://127.0.0.1:${ports.NATS}`,
    });
    expect(Object.keys(state.services).sort()).toEqual(['ingestor', 'projector', 'web']);
    const ids = new Set<string>();
    for (const service of Object.values(state.services)) {
      const environ = await readFile(`/proc/${service.pid}/environ`, 'utf8');
      expect(environ.split('\0')).toContain(`SYMBOLOGY_INSTANCE_ID=${service.instanceId}`);
      ids.add(service.instanceId);
      // The id the launcher checked before calling the service ready.
      const ready = (await (await fetch(`${service.url}/readyz`)).json()) as { instanceId?: string };
      expect(ready.instanceId).toBe(service.instanceId);
    }
    expect(ids.size).toBe(3);
  });

  it('refuses a second start while the first runs, naming the instance, or the ports and who holds them', async () => {
    const state = await runningState();
    const sameDir = spawnLauncher(process.execPath, [LAUNCHER]);
    expect(await sameDir.exited).toBe(1);
    expect(sameDir.output.join('\n')).toContain(
      `Symbology is already running from ${dataDir}: launcher pid ${state.pid}`,
    );

    const otherDir = spawnLauncher(process.execPath, [LAUNCHER], await mkdtemp(join(tmpdir(), 'symbology-second-')));
    expect(await otherDir.exited).toBe(1);
    const said = otherDir.output.join('\n');
    expect(said).toContain(`port ${ports.WEB} (web) is taken by pid ${state.services.web!.pid} (`);
    expect(said).toContain(`port ${ports.PROJECTOR} (projector) is taken by pid ${state.services.projector!.pid} (`);
    expect(said).toMatch(new RegExp(`port ${ports.NATS} \\(nats-server\\) is taken by pid \\d+ \\(.*nats-server`));
    expect(said).not.toContain('Symbology is running');

    // The first instance is untouched.
    expect((await fetch(`${state.webUrl}/readyz`)).status).toBe(200);
    expect((await readInstanceState(dataDir))?.pid).toBe(state.pid);
  });

  it('stops cleanly on Ctrl-C, leaving no process behind, and a second start reuses the data', async () => {
    const before = await cli(['events', '--json']);
    const events = before.stdout.trim().split('\n');
    const pids = await processesOf(await runningState());
    launcher.child.kill('SIGINT');
    expect(await launcher.exited).toBe(0);
    expect(launcher.output.at(-1)).toMatch(/stopped$/);
    await expectNothingLeft(pids);

    launcher = await startLauncher();
    const again = await cli(['ingest', 'SYMB']);
    expect(again.stdout).toContain('SYMB is stored and up to date');
    const after = await cli(['events', '--json']);
    expect(after.stdout.trim().split('\n')).toEqual(events);
  });

  it('stops everything when `npm start` gets SIGTERM, as a service manager sends it', async () => {
    launcher.child.kill('SIGINT');
    await launcher.exited;
    await cleanSlate();
    launcher = await startLauncher('npm', ['start', '--']);
    const pids = await processesOf(await runningState());
    launcher.child.kill('SIGTERM');
    await launcher.exited;
    await expectNothingLeft(pids);
  });

  it('leaves nothing behind when the launcher itself is killed: its watchdog stops the services', async () => {
    await cleanSlate();
    launcher = await startLauncher();
    const state = await runningState();
    const pids = await processesOf(state);
    process.kill(state.pid, 'SIGKILL');
    await launcher.exited;
    await expectNothingLeft(pids);
  });
});

import type { NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM } from '@symbology/contracts';
import { freePort, retryOnPortClash } from '@symbology/dev-services';
import { ensureStreams } from '@symbology/service';
import { startTestSystem } from '@symbology/test-system';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTargets } from '../build/build';
import { serviceStartFailure } from '../launch-system';
import type { LogSink } from '../output/log-sink';
import { startService, type RunningService } from '../services';
import { StartupError } from '../startup-error';
import { supervise, type Supervisor } from './supervisor';
import { startWatchdog, type Watchdog } from './watchdog';

/** What an operator does when INGEST is lost: the stream comes back with a new creation time. */
async function recreateIngest(operator: NatsConnection): Promise<void> {
  await operator.request(`$JS.API.STREAM.DELETE.${INGEST_STREAM}`);
  await ensureStreams(operator);
}

// The real projector from its compiled dist/, started as the launcher starts it, on a real
// nats-server and database; killed and refused as it would be under npm start.
describe('a service the launcher started is kept running', () => {
  let watchdog: Watchdog;
  const cleanUp: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    await buildTargets(['launcher', 'projector']);
    watchdog = startWatchdog();
  }, 300_000);
  afterEach(async () => {
    for (const step of cleanUp.splice(0).reverse()) await step();
  });
  afterAll(() => watchdog?.close());

  /** The launcher's log, one `source: line` a line. */
  const lines: string[] = [];
  const logs: LogSink = (source, line) => lines.push(`${source}: ${line}`);
  const said = (pattern: RegExp) => lines.some((l) => pattern.test(l));

  async function supervisedProjector(): Promise<{
    first: RunningService;
    supervisor: Supervisor<RunningService>;
    restarted: RunningService[];
    operator: NatsConnection;
    start(signal?: AbortSignal): Promise<RunningService>;
  }> {
    lines.length = 0;
    const system = await startTestSystem();
    cleanUp.push(() => system.stop());
    let port = 0;
    const infra = { natsUrl: system.nats.url, databaseUrl: system.database.url };
    const start = (signal?: AbortSignal) =>
      startService('projector', port, infra, { logs, watchdog, ...(signal ? { signal } : {}) });
    // Restarts keep the port; the first start picks it, again if it was taken before the bind.
    const first = await retryOnPortClash(async () => {
      port = await freePort();
      return start();
    });
    const restarted: RunningService[] = [];
    const supervisor = supervise(first, {
      name: 'projector',
      restart: start,
      onRestarted: (r) => restarted.push(r),
      logs,
    });
    cleanUp.push(() => supervisor.stop());
    return { first, supervisor, restarted, operator: system.operator, start };
  }

  it('given the projector is killed with SIGKILL, then it is started again and ready, under a new instance id', async () => {
    const { first, supervisor, restarted } = await supervisedProjector();

    process.kill(first.pid, 'SIGKILL');

    await vi.waitFor(() => expect(restarted).toHaveLength(1), { timeout: 60_000, interval: 100 });
    const again = supervisor.current();
    expect(again).toBe(restarted[0]);
    expect(supervisor.state()).toBe('running');
    expect(again.pid).not.toBe(first.pid);
    expect(again.instanceId).not.toBe(first.instanceId);
    const readyz = await fetch(`${again.url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({ ready: true, instanceId: again.instanceId });
    expect(
      said(new RegExp(`^launcher: projector \\(pid ${first.pid}\\) was killed by SIGKILL(; its last lines:)?$`)),
    ).toBe(true);
    expect(lines).toContain('launcher: restarting projector in 1 s (restart 1 in a row)');
    expect(lines).toContain(`launcher: projector restarted and ready (pid ${again.pid})`);
  });

  it('given the launcher stops while a restart waits, then nothing is restarted and the stop is prompt', async () => {
    const { first, supervisor, restarted } = await supervisedProjector();

    process.kill(first.pid, 'SIGKILL');
    await vi.waitFor(() => expect(supervisor.state()).toBe('restarting'), { timeout: 10_000, interval: 20 });
    const stopAt = Date.now();
    await supervisor.stop();

    expect(Date.now() - stopAt).toBeLessThan(1_000);
    expect(supervisor.state()).toBe('stopped');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the first restart's backoff
    expect(restarted).toHaveLength(0);
    expect(said(/projector restarted|did not come back/)).toBe(false);
  });

  it('given the running projector exits with code 78 (INGEST recreated), then it is left down and the operator is told', async () => {
    const { first, supervisor, restarted, operator } = await supervisedProjector();

    await recreateIngest(operator);

    const exit = await first.child.exited;
    expect(exit.code).toBe(78);
    await vi.waitFor(() => expect(supervisor.state()).toBe('left-down'), { timeout: 10_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past any restart's backoff
    expect(restarted).toHaveLength(0);
    expect(said(/restarting projector/)).toBe(false);
    // Said once, plainly: the line it exits with (not its JSON log and stack again), then what to do.
    const launcher = lines.filter((l) => l.startsWith('launcher: '));
    expect(launcher).toHaveLength(1);
    expect(launcher[0]).toMatch(
      new RegExp(
        `^launcher: ERROR: projector \\(pid ${first.pid}\\) exited with code 78, refusing to run until an operator acts: ` +
          'symbology-projector: stopped projecting: .*Run `symbology-projector rebuild`.*It is not restarted: ' +
          'follow docs/operations\\.md, "When the projector refuses to start"\\. Everything else keeps running',
      ),
    );
    expect(launcher[0]).not.toMatch(/"stack"|its last lines/);
  });

  it('given a restart is refused with code 78, then no further restart is tried', async () => {
    const { first, supervisor, restarted, operator } = await supervisedProjector();

    process.kill(first.pid, 'SIGKILL');
    await vi.waitFor(() => expect(supervisor.state()).toBe('restarting'), { timeout: 10_000, interval: 20 });
    await recreateIngest(operator); // during the 1 s backoff: the restart finds a checkpoint that does not fit

    await vi.waitFor(() => expect(supervisor.state()).toBe('left-down'), { timeout: 60_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(restarted).toHaveLength(0);
    expect(lines.filter((l) => l.startsWith('launcher: restarting projector'))).toHaveLength(1);
    // One line after the restart notice, with the refusal's reason, not the tail of its output again.
    const launcher = lines.filter((l) => l.startsWith('launcher: '));
    const afterRestart = launcher.slice(launcher.findIndex((l) => l.startsWith('launcher: restarting projector')) + 1);
    expect(afterRestart).toHaveLength(1);
    expect(afterRestart[0]).toMatch(
      /^launcher: ERROR: projector \(pid \d+\) exited with code 78, refusing to run until an operator acts: symbology-projector: refusing to start: the checkpoint was written for stream INGEST.*It is not restarted/,
    );
    expect(said(/did not come back/)).toBe(false);
  });

  it('given npm start finds a checkpoint of another stream (a new NATS store, an old database), then the start fails once, plainly, with the next step', async () => {
    const { supervisor, operator, start } = await supervisedProjector();
    await supervisor.stop();
    await recreateIngest(operator);

    const error = serviceStartFailure('projector', 9102, await start().catch((e: unknown) => e));

    expect(error).toBeInstanceOf(StartupError);
    const { message, hint } = error as StartupError;
    expect(message).toMatch(
      /^the projector exited with code 78, refusing to run until an operator acts: symbology-projector: refusing to start: the checkpoint was written for stream INGEST/,
    );
    expect(message).not.toMatch(/\n|"stack"|"level"/);
    expect(message.split('refusing to start').length - 1).toBe(1);
    expect(hint).toBe('follow docs/operations.md, "When the projector refuses to start", then start Symbology again');
  });
});

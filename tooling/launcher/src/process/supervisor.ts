import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '@symbology/service/backoff';
import { EXIT_NEEDS_OPERATOR } from '@symbology/service/exit-codes';
import type { LogSink } from '../output/log-sink';
import { NotReadyError } from '../readiness';
import { describeExit, EXIT_REPORT_LINES, type Child } from './child';
import { describeRefusal, REFUSAL_DOCS } from './refusal';

export type RestartBackoff = {
  /** The wait before the first restart; it doubles with each restart in a row... */
  baseMs: number;
  /** ...up to this. */
  maxMs: number;
  /** A process that stayed up this long after it was ready starts again from `baseMs`. */
  stableMs: number;
};

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = { baseMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

export type SupervisorState = 'running' | 'restarting' | 'left-down' | 'stopped';

export type SupervisorOptions<T> = {
  /** What the log lines call it: `projector`, `nats-server`. */
  name: string;
  /** Starts it again and resolves once it is ready; rejects (having stopped what it started) if not. */
  restart(signal: AbortSignal): Promise<T>;
  logs: LogSink;
  /** Each restarted instance, once ready: whoever records its pid (the state file) learns the new one. */
  onRestarted?(running: T): void;
  /** Aborted when the launcher stops: no restart begins after it, and one under way is abandoned. */
  signal?: AbortSignal;
  backoff?: RestartBackoff;
};

export type Supervisor<T> = {
  /** The instance running now (or the last one, while it is restarted or left down). */
  current(): T;
  state(): SupervisorState;
  /** Stops restarting, then stops the running process (SIGTERM, SIGKILL after the grace). */
  stop(): Promise<void>;
};

/**
 * Keeps a started, ready process running: when it exits, logs how (and its last lines), then starts
 * it again after a capped exponential backoff, until one start is ready. Exit code 78 is not
 * restarted: it is reported as needing an operator, and everything else keeps running.
 */
export function supervise<T extends { child: Child }>(first: T, options: SupervisorOptions<T>): Supervisor<T> {
  const { name, logs } = options;
  const backoff = options.backoff ?? DEFAULT_RESTART_BACKOFF;
  const halt = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, halt.signal]) : halt.signal;
  const halted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // One log line each, so a terminal or a log file keeps its prefix on every one.
  const say = (text: string) => {
    const [first = '', ...more] = text.split('\n');
    logs('launcher', first);
    for (const line of more) logs('launcher', `  | ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`);
  };
  let running = first;
  // Whether the exited process's group was cleared already: a second group kill could hit a reused id.
  let cleared = false;
  let state: SupervisorState = 'running';

  /** Exit 78, said once: why (its plain line, not its log's stack trace again) and what to do. */
  const leaveDown = (pid: number, lines: readonly string[]) => {
    state = 'left-down';
    say(
      `ERROR: ${describeRefusal(`${name} (pid ${pid})`, lines)}. It is not restarted: follow ${REFUSAL_DOCS}. ` +
        `Everything else keeps running; once it is fixed, restart Symbology (Ctrl-C, then npm start).`,
    );
  };

  /** Starts it until one start is ready; false when stopped meanwhile or left down. */
  const startAgain = async (attempts: { made: number }): Promise<boolean> => {
    for (;;) {
      attempts.made += 1;
      const delayMs = backoffDelay(attempts.made, backoff);
      state = 'restarting';
      say(`restarting ${name} in ${delayMs / 1000} s (restart ${attempts.made} in a row)`);
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return false; // stopping
      }
      try {
        running = await options.restart(signal);
        cleared = false;
        return true;
      } catch (error) {
        if (signal.aborted) return false;
        if (error instanceof NotReadyError && error.exit?.code === EXIT_NEEDS_OPERATOR) {
          leaveDown(error.pid, error.lastLines);
          return false;
        }
        say(`${name} did not come back: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  const loop = (async () => {
    const attempts = { made: 0 };
    let readyAt = Date.now();
    for (;;) {
      const exit = await Promise.race([running.child.exited, halted.then(() => undefined)]);
      if (!exit || signal.aborted) return; // the launcher is stopping: stop() takes it from here
      await running.child.stop(); // it is gone; this clears what it left in its group
      cleared = true;
      const tail = running.child.lastLines().slice(-EXIT_REPORT_LINES);
      if (exit.code === EXIT_NEEDS_OPERATOR) return leaveDown(running.child.pid, tail);
      say(
        [
          `${name} (pid ${running.child.pid}) ${describeExit(exit)}${tail.length ? '; its last lines:' : ''}`,
          ...tail,
        ].join('\n'),
      );
      if (Date.now() - readyAt >= backoff.stableMs) attempts.made = 0;
      if (!(await startAgain(attempts))) return;
      readyAt = Date.now();
      state = 'running';
      say(`${name} restarted and ready (pid ${running.child.pid})`);
      options.onRestarted?.(running);
    }
  })().catch((error: unknown) => say(`supervising ${name} failed: ${String(error)}`));

  return {
    current: () => running,
    state: () => state,
    stop: async () => {
      halt.abort();
      await loop;
      state = 'stopped';
      if (!cleared) await running.child.stop();
    },
  };
}

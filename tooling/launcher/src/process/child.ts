import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { signal } from './signal-process';
import type { Watchdog } from './watchdog';

export type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/** How many of a process's last lines a report of its exit repeats (the tail of what it printed). */
export const EXIT_REPORT_LINES = 8;

export type Child = {
  name: string;
  pid: number;
  /** Settles when the process has exited (or could not be started). */
  exited: Promise<Exit>;
  /** The exit, once it happened. */
  exit(): Exit | undefined;
  /** Its last lines of output, for an error message when it dies. */
  lastLines(): string[];
  /** SIGTERM (or `stopSignal`), then SIGKILL to its group after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
};

export type ChildSpec = {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  onLine(line: string): void;
  stopSignal?: 'SIGTERM' | 'SIGINT';
};

/**
 * Starts a child in its own process group (detached): the terminal's Ctrl-C reaches the launcher
 * only, which stops children in order; the watchdog stops the group if the launcher dies first.
 */
export function spawnChild(spec: ChildSpec, watchdog: Watchdog): Child {
  const stopSignal = spec.stopSignal ?? 'SIGTERM';
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid ?? 0;
  if (pid) watchdog.watch(pid, { signal: stopSignal });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      spec.onLine(line);
    });
  }
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('error', (error) => resolve((exit ??= { code: null, signal: null, error })));
    child.once('exit', (code, sig) => resolve((exit ??= { code, signal: sig })));
  }).then((result) => {
    if (pid) watchdog.forget(pid);
    return result;
  });
  return {
    name: spec.name,
    pid,
    exited,
    exit: () => exit,
    lastLines: () => [...tail],
    stop: async (graceMs = 10_000) => {
      if (!exit && pid) {
        signal(pid, stopSignal, false);
        const timer = setTimeout(() => signal(pid, 'SIGKILL', true), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Anything the child started and left behind in its group goes with it.
      if (pid) signal(pid, 'SIGKILL', true);
    },
  };
}

/** "exited with code 1" / "was killed by SIGKILL" / "could not start: spawn x ENOENT". */
export function describeExit(exit: Exit): string {
  if (exit.error) return `could not start: ${exit.error.message}`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

import { spawn, type ChildProcess } from 'node:child_process';

export type ServiceChild = {
  process: ChildProcess;
  /** What it wrote to stdout and stderr, interleaved; the newest `keepChars` at most. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9 (no drain, no goodbye), then waits for the exit. */
  kill(): Promise<void>;
};

/**
 * A service's `src/main.ts` (or another `entry` with `args`) in `cwd` as its own process under
 * tsx's loader, configured only through `env` (nothing inherited but what is passed), as in
 * production. Node runs it directly: the `tsx` CLI forks a child, so a SIGKILL aimed at the CLI
 * would leave the real service running as an orphan.
 */
export function spawnServiceProcess(
  cwd: string,
  env: Record<string, string>,
  options: { entry?: string; args?: string[]; keepChars?: number } = {},
): ServiceChild {
  const { entry = 'src/main.ts', args = [], keepChars = 200_000 } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd,
    // Next's types make NODE_ENV required in ProcessEnv for packages compiled beside the web app.
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output += b.toString();
    if (output.length > keepChars) output = output.slice(-keepChars / 2);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    output: () => output,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

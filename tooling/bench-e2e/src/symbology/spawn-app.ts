import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@symbology/dev-services';
import { sleep } from '../clock';

export type AppProcess = { name: string; pid: number; stop(): Promise<void> };

export type AppSpec = {
  name: string;
  /** The app's folder, relative to the repository root: tsx resolves from there. */
  dir: string;
  /** Its process entry, relative to `dir`. */
  entry: string;
  env: Record<string, string>;
  /** Answers 200 once the app serves (its /readyz). */
  readyUrl: string;
};

/**
 * Starts an app as its own OS process, the way `pnpm start` and the two-process test run it
 * (node --import tsx <main>), and waits until its readiness endpoint says yes. Its logs go to our
 * stderr: our stdout carries only results. One that exits first rejects with its last output.
 */
export async function spawnApp(spec: AppSpec): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd: join(REPO_ROOT, spec.dir),
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Passed on to our stderr, and its end kept: a start that failed says why (a port taken: retried).
  let tail = '';
  const keep = (b: Buffer) => {
    process.stderr.write(b);
    tail = (tail + b.toString()).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + 90_000;
  while (!(await isReady(spec.readyUrl))) {
    if (child.exitCode !== null)
      throw new Error(`${spec.name} exited with code ${child.exitCode} before it was ready:\n${tail}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} not ready at ${spec.readyUrl} after 90 s`);
    }
    await sleep(100);
  }
  return { name: spec.name, pid: child.pid ?? -1, stop };
}

function isReady(url: string): Promise<boolean> {
  return fetch(url).then(
    (res) => res.ok,
    () => false,
  );
}

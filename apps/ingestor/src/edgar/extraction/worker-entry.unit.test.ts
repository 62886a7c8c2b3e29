import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKER_BUNDLE, workerEntry } from './worker-entry';

describe('workerEntry', () => {
  const dist = mkdtempSync(join(tmpdir(), 'ingestor-dist-'));
  writeFileSync(join(dist, WORKER_BUNDLE), 'export default () => undefined;\n');
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('given the built service (dist/main.js with the worker bundle beside it), then the bundle, no loader', () => {
    expect(workerEntry(join(dist, 'main.js'))).toEqual({
      filename: pathToFileURL(join(dist, WORKER_BUNDLE)).href,
      execArgv: [],
    });
  });

  it('given the service run from source, then the .ts worker with tsx as its loader', () => {
    const entry = workerEntry('/repo/apps/ingestor/src/main.ts');
    expect(entry.filename).toMatch(/\/src\/edgar\/extraction\/extraction-worker\.ts$/);
    expect(entry.execArgv).toEqual(['--import', expect.stringMatching(/^file:.*tsx/)]);
  });

  it('given a built entry whose worker bundle is missing, then it falls back to the source worker', () => {
    expect(workerEntry(join(dist, 'nested', 'main.js')).filename).toMatch(/extraction-worker\.ts$/);
  });
});

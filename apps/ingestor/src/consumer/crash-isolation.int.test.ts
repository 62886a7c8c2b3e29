import { isTerminalEvent } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnIngestor, waitFor, type ChildIngestor } from '../testing/child-ingestor';
import { startHarness, type Harness } from '../testing/harness';
import { listSymbAs, mirrorRoot, putTickerMap, serveSymbAs, type MirrorRoot } from '../testing/mirror-root';

/** A filing list that exhausts a small heap when parsed: 30 MB of `{}`. */
const HEAP_BOMB = `{"x":[${'{},'.repeat(10_000_000)}{}]}`;

describe('a request that takes its ingestor down each time it runs (a crash loop)', () => {
  let h: Harness;
  let root: MirrorRoot;
  const children: ChildIngestor[] = [];
  beforeAll(async () => {
    root = mirrorRoot('crash-loop');
    putTickerMap(root, [
      { cik: 9999999, ticker: 'SYMB', title: 'Symbology Test Corp' },
      { cik: 9999995, ticker: 'BOOM', title: 'Boom Corp' },
    ]);
    const symb = { cik: 9999999, name: 'Symbology Test Corp' };
    listSymbAs(root, symb, ['SYMB']);
    serveSymbAs(root, symb);
    root.put('data.sec.gov/submissions/CIK0009999995.json', HEAP_BOMB);
    h = await startHarness({ roots: [root.dir] });
  });
  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await h?.close();
    root.remove();
  });

  it('ends that request alone: a task in flight beside it each time still completes whole', async () => {
    // SYMB's documents are slow, so SYMB is in hand whenever BOOM takes the process down.
    h.mirror.inject({ pattern: '/Archives/', delayMs: 1_500 });
    const spawn = () => {
      const child = spawnIngestor(h, process.env, {
        INGEST_CONCURRENCY: '2',
        INGEST_MAX_DELIVER: '5',
        INGEST_ACK_WAIT_MS: '2000',
        // The filing list's own cap raised, and a small heap: parsing BOOM's list kills the process.
        EDGAR_MAX_LIST_BYTES: String(64 * 1024 * 1024),
        NODE_OPTIONS: '--max-old-space-size=192',
      });
      children.push(child);
      return child;
    };
    let current = spawn();
    const symb = await h.request('SYMB');
    await waitFor(
      async () => ((await h.stored(symb)).some((s) => s.event.type === 'FilingStarted') ? true : undefined),
      30_000,
      'SYMB under way',
    );
    const boom = await h.request('BOOM');
    // A supervisor's part: start the ingestor again whenever it dies, until both tasks ended.
    const ended = async (taskId: string) => (await h.stored(taskId)).some((s) => isTerminalEvent(s.event));
    let crashes = 0;
    await waitFor(
      async () => {
        if ((await ended(symb)) && (await ended(boom))) return true;
        if (current.process.exitCode !== null || current.process.signalCode !== null) {
          crashes++;
          current = spawn();
        }
        return undefined;
      },
      120_000,
      'both tasks to end',
    );
    current.process.kill('SIGTERM');
    const terminal = async (taskId: string) => (await h.stored(taskId)).map((s) => s.event).filter(isTerminalEvent);
    expect(crashes).toBeGreaterThanOrEqual(1);
    // SYMB was in hand at the first crash at least: it is charged that delivery, nothing more.
    expect(await terminal(symb)).toEqual([
      expect.objectContaining({ type: 'IngestCompleted', data: expect.objectContaining({ outcome: 'completed' }) }),
    ]);
    // BOOM ran alone after the first crash, and its process died under it each time.
    const [boomEnd] = await terminal(boom);
    expect(boomEnd).toMatchObject({ type: 'IngestFailed', data: { error: { code: 'internal_error' } } });
    expect(boomEnd?.type === 'IngestFailed' && boomEnd.data.error.message).toMatch(
      /process stopped each of the 2 times it worked on it alone: something in what EDGAR serves/,
    );
  }, 180_000);
});

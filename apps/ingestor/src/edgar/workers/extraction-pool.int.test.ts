import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSections } from '../extract-sections';
import { FIXTURES_DIR, readText } from '../test-data';
import { DEFAULT_EXTRACTION_LIMITS } from '../extraction/extraction-limits';
import { createExtractionPool, type Extractor } from './extraction-pool';

const MB = 1024 * 1024;
/** 50 MB of <div><span> never closed, 4.7 million elements deep: what once pinned the ingestor for minutes. */
const deepNesting = (bytes: number) => '<div><span>'.repeat(Math.ceil(bytes / 11));

describe('the extraction pool (real worker threads)', () => {
  const pools: Extractor[] = [];
  const pool = (limits: Partial<typeof DEFAULT_EXTRACTION_LIMITS> = {}) => {
    const created = createExtractionPool({ limits: { ...DEFAULT_EXTRACTION_LIMITS, ...limits }, threads: 1 });
    pools.push(created);
    return created;
  };
  afterAll(async () => Promise.all(pools.map((p) => p.close())));

  it('cuts a fixture 10-K in a worker exactly as in the calling thread', async () => {
    const html = readText(FIXTURES_DIR, 'www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm');
    const result = await pool().extract(html, '10-K');
    expect(result).toMatchObject({ ok: true, extraction: extractSections(html, '10-K') });
  });

  it('keeps the event loop responsive while a 50 MB pathological document is cut or times out', async () => {
    const html = deepNesting(50 * MB);
    const extractor = pool({ timeoutMs: 20_000 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    delay.enable();
    const started = performance.now();
    const result = await extractor.extract(html, '10-K');
    const elapsed = performance.now() - started;
    delay.disable();
    clearInterval(timer);
    // Either outcome is fine; what matters is that this thread went on running meanwhile.
    expect(result.ok || result.code === 'extraction_timeout').toBe(true);
    const maxDelayMs = delay.max / 1e6;
    console.info(
      `50 MB deep nesting: ${result.ok ? 'cut' : result.code} in ${Math.round(elapsed)} ms; ` +
        `event loop max delay ${maxDelayMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, ${ticks} ticks`,
    );
    // In the calling thread the loop would stall for the whole cut (seconds). Here the longest
    // stall is handing the string over and the odd GC or scheduling hiccup of a shared 2-core
    // machine: bounded relative to the work, so a slow machine scales both sides alike.
    expect(maxDelayMs).toBeLessThan(Math.max(1_000, elapsed / 4));
    expect(ticks).toBeGreaterThan(elapsed / 20 / 4);
  });

  it('terminates a worker past the time budget, answers extraction_timeout, and serves the next document', async () => {
    const extractor = pool({ timeoutMs: 300 });
    const result = await extractor.extract(deepNesting(50 * MB), '10-K');
    expect(result).toMatchObject({ ok: false, code: 'extraction_timeout' });
    expect(result.ms).toBeLessThan(5_000);
    const next = await extractor.extract('<p>Item 1. Business</p>', '10-K');
    expect(next.ok).toBe(true);
  });

  it('stops a worker that passes its heap limit with extraction_out_of_memory, and serves the next document', async () => {
    // 20 MB of one-character paragraphs: millions of strings against a 32 MB heap.
    const extractor = pool({ maxMemoryMb: 32, maxTextChars: 100_000_000 });
    const result = await extractor.extract('<p>a</p>'.repeat(2_500_000), '10-K');
    expect(result).toMatchObject({ ok: false, code: 'extraction_out_of_memory' });
    expect(result.ok || result.message).toMatch(/needed more than 32 MB \(EXTRACT_MAX_MEMORY_MB\)/);
    const next = await extractor.extract('<p>Item 1. Business</p>', '10-K');
    expect(next.ok).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { FIXTURES_DIR, SHARED_DIR, hasShared } from '../../src/edgar/test-data';

const FIXTURE_10K = `${FIXTURES_DIR}/www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm`;

export const REAL_10KS = hasShared
  ? {
      'aapl-20240928.htm': `${SHARED_DIR}/www.sec.gov/Archives/edgar/data/320193/000032019324000123/aapl-20240928.htm`,
      'tsla-20241231.htm': `${SHARED_DIR}/www.sec.gov/Archives/edgar/data/1318605/000162828025003063/tsla-20241231.htm`,
    }
  : {};

/** A small deterministic generator (mulberry32), so every run cuts the same random points. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const repeatTo = (unit: string, bytes: number) => unit.repeat(Math.ceil(bytes / unit.length));

/** The hostile shapes of issue 10, each built to about `bytes` bytes. */
export const HOSTILE_INPUTS: Record<string, (bytes: number) => string> = {
  // Never closed: the nesting is as deep as the document is long (95,000 levels per MB).
  'deep <div><span>': (bytes) => repeatTo('<div><span>', bytes),
  // Inline markup only: one paragraph as long as the document.
  'no block tags': (bytes) => repeatTo('<span>Item 1 word</span> <b>more</b> ', bytes),
  // Old-HTML soup: cells, fonts and paragraphs opened and never closed.
  'unclosed tags': (bytes) =>
    repeatTo('<td><font size=2><b>Item 1. Business<p><i>The Company <a href="#x">designs</font> ', bytes),
  // A real 10-K cut at random points (mid-tag, mid-entity, mid-attribute), the pieces run together.
  'truncated at random points': (bytes) => {
    const source = readFileSync(FIXTURE_10K, 'utf8');
    const next = random(10);
    const pieces: string[] = [];
    for (let size = 0; size < bytes;) {
      const piece = source.slice(0, Math.floor(next() * source.length));
      pieces.push(piece);
      size += piece.length;
    }
    return pieces.join('');
  },
  'one huge text node': (bytes) => repeatTo('word ', bytes),
};

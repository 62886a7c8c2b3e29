import { describe, expect, it } from 'vitest';
import { laneOf } from './rebuild-fold';
import { packEntries, unpackEntries } from './pack-entries';

describe('packEntries: a chunk for a worker in one transferable buffer', () => {
  it('given entries with byte and text payloads, empty ones among them, then unpacking gives them back', () => {
    const text = new TextEncoder();
    const entries = [
      { seq: 1, subject: 'ingest.a.ingest_requested', payload: text.encode('{"a":1}') },
      { seq: 2, subject: 'ingest.b.filing_started', payload: '' },
      { seq: 2 ** 40, subject: 'odd', payload: 'é ✓' },
    ];
    const packed = packEntries(entries);
    const back = unpackEntries(structuredClone(packed, { transfer: [packed.buffer] }));
    expect(back.map((e) => ({ ...e, payload: new TextDecoder().decode(e.payload as Uint8Array) }))).toEqual([
      { seq: 1, subject: 'ingest.a.ingest_requested', payload: '{"a":1}' },
      { seq: 2, subject: 'ingest.b.filing_started', payload: '' },
      { seq: 2 ** 40, subject: 'odd', payload: 'é ✓' },
    ]);
  });
});

describe('laneOf: every event of a task goes to the same lane', () => {
  it('given subjects of one task, then one lane; given many tasks, then every lane gets some', () => {
    const ids = Array.from({ length: 64 }, (_, i) => `0190a1b2-c3d4-7e5f-8a6b-${String(i).padStart(12, '0')}`);
    for (const id of ids)
      expect(laneOf(`ingest.${id}.filing_started`, 3)).toBe(laneOf(`ingest.${id}.ingest_completed`, 3));
    expect(new Set(ids.map((id) => laneOf(`ingest.${id}.ingest_requested`, 3)))).toEqual(new Set([0, 1, 2]));
    expect(laneOf('not a subject', 3)).toBe(0);
  });
});

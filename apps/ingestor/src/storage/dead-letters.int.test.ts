import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byType } from '@symbology/contracts/testing';
import { startHarness, type Harness } from '../testing/harness';

describe('a poison request holding a NUL byte', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // Few deliveries: a letter Postgres refuses is naked until max_deliver, then lost.
    await h.start({ maxDeliver: 2, retryBaseMs: 50 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is dead-lettered with the NUL kept visible, terminated, and the next request goes on', async () => {
    const subject = 'ingest.00000000-0000-7000-8000-0000000000f0.requested';
    // Postgres refuses 0x00 in text (SQLSTATE 22021): the reason quotes the payload, so both carry it.
    await h.publishRaw(subject, '{"type":"IngestRequested","ticker":"AB\u0000C", not json');
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(byType(events, 'IngestCompleted')).toHaveLength(1);
    let letters: { subject: string; payload: string; reason: string }[] = [];
    for (let waited = 0; letters.length === 0 && waited < 10_000; waited += 100) {
      letters = await h.sql`select subject, payload, reason from dead_letters where subject = ${subject}`;
      if (letters.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(letters).toHaveLength(1);
    expect(letters[0]?.payload).toBe('{"type":"IngestRequested","ticker":"AB\\u0000C", not json');
    expect(letters[0]?.reason).toMatch(/invalid-json/);
  });
});

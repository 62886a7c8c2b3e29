import { applyStatusUpdate, evolve, newTaskId, type TaskStatus } from '@symbology/contracts';
import { happyTask } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { FRAME_CACHE_LIMITS, statusFrame, statusUpdate, statusWireEncoder } from './status-wire';

const versions = (): TaskStatus[] => {
  const out: TaskStatus[] = [];
  happyTask(newTaskId()).forEach((event, i) => out.push(evolve(out.at(-1), event, i + 1)));
  return out;
};

/** The message tRPC's ws adapter hands the encoder for one tracked subscription item. */
const envelope = (id: number, version: number, data: unknown) => ({
  id,
  jsonrpc: '2.0',
  result: { type: 'data', id: String(version), data: { id: String(version), data } },
});

describe('status updates on the wire', () => {
  it('gives every subscriber moving between the same two versions the same update object', () => {
    const [a, b] = versions();
    expect(statusUpdate(a, b!)).toBe(statusUpdate(a, b!));
    // One subscriber skipped a version, another did not: both deltas stay shared.
    const all = versions();
    const direct = statusUpdate(all[0], all[2]!);
    const stepwise = statusUpdate(all[0], all[1]!);
    expect(statusUpdate(all[0], all[2]!)).toBe(direct);
    expect(statusUpdate(all[0], all[1]!)).toBe(stepwise);
    expect(statusUpdate(undefined, a!)).toBe(statusUpdate(undefined, a!));
  });

  it('encodes a message exactly as JSON.stringify does, the update spliced in from its one serialization', () => {
    const all = versions();
    let held: TaskStatus | undefined;
    for (let i = 0; i < all.length; i++) {
      const update = statusUpdate(all[i - 1], all[i]!);
      const message = envelope(7, all[i]!.version, update);
      const wire = statusWireEncoder.encode(message);
      expect(wire).toBe(JSON.stringify(message));
      const decoded = statusWireEncoder.decode(wire) as ReturnType<typeof envelope>;
      held = applyStatusUpdate(held, decoded.result.data.data as typeof update);
    }
    expect(held).toEqual(all.at(-1));
  });

  it('encodes other messages (errors, stops, pongs) as plain JSON', () => {
    for (const message of [{ id: 1, result: { type: 'stopped' } }, { id: 2, error: { code: -1 } }, 'PONG'])
      expect(statusWireEncoder.encode(message)).toBe(JSON.stringify(message));
  });

  it('builds one data frame per update and subscription prefix, as tRPC would write it', () => {
    const all = versions();
    const update = statusUpdate(all[0], all[1]!);
    const version = all[1]!.version;
    const plain = statusFrame('{"id":1', update, version);
    expect(statusFrame('{"id":1', update, version)).toBe(plain);
    expect(JSON.parse(plain.toString('utf8'))).toEqual({
      id: 1,
      result: { type: 'data', id: String(version), data: { id: String(version), data: update } },
    });
    const other = statusFrame('{"id":"a\\"b","jsonrpc":"2.0"', update, version);
    expect(other).not.toBe(plain);
    expect(JSON.parse(other.toString('utf8'))).toMatchObject({
      id: 'a"b',
      jsonrpc: '2.0',
      result: { id: String(version) },
    });
    // Another update for the same prefix is another frame.
    expect(statusFrame('{"id":1', statusUpdate(all[1], all[2]!), all[2]!.version)).not.toEqual(plain);
  });

  it('keeps frames for a few short prefixes per update, not one for every id a client chooses', () => {
    const all = versions();
    const update = statusUpdate(undefined, all.at(-1)!);
    const version = all.at(-1)!.version;
    const { prefixChars, prefixesPerUpdate } = FRAME_CACHE_LIMITS;
    // Given: as many short prefixes as the cache keeps, each one shared.
    const shared = Array.from({ length: prefixesPerUpdate }, (_, i) => `{"id":${i + 1}`);
    const firsts = shared.map((prefix) => statusFrame(prefix, update, version));
    // When: a client subscribes again and again, each time with another id, some of them long.
    const ids = [
      ...Array.from({ length: 3 * prefixesPerUpdate }, (_, i) => `{"id":"x${i}"`),
      `{"id":"${'y'.repeat(prefixChars)}"`,
    ];
    // Then: their frames are built per write (right, but not kept), and the shared ones stay cached.
    for (const prefix of ids) {
      const frame = statusFrame(prefix, update, version);
      expect(statusFrame(prefix, update, version)).not.toBe(frame);
      expect(statusFrame(prefix, update, version).equals(frame)).toBe(true);
      expect((JSON.parse(frame.toString('utf8')) as { id: unknown }).id).toBe(
        (JSON.parse(`${prefix}}`) as { id: unknown }).id,
      );
    }
    shared.forEach((prefix, i) => expect(statusFrame(prefix, update, version)).toBe(firsts[i]));
  });

  it('does not keep the frame of a prefix longer than the bound, even as the first one', () => {
    const all = versions();
    const update = statusUpdate(all[0], all[1]!);
    const long = `{"id":"${'z'.repeat(FRAME_CACHE_LIMITS.prefixChars)}"`;
    expect(statusFrame(long, update, all[1]!.version)).not.toBe(statusFrame(long, update, all[1]!.version));
    expect(statusFrame('{"id":1', update, all[1]!.version)).toBe(statusFrame('{"id":1', update, all[1]!.version));
  });
});

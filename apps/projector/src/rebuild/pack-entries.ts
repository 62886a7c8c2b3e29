import type { StreamEntry } from '@symbology/contracts';

/**
 * A chunk's entries in one transferable buffer (seqs, payload offsets, payload bytes), subjects
 * beside it. Posting the entries as they are would copy each payload's whole backing buffer
 * (structured clone of a view copies what it views into); one transferred buffer is one copy
 * here and none on the way.
 */
export type PackedEntries = { buffer: ArrayBuffer; count: number; subjects: string[] };

const encoder = new TextEncoder();

export function packEntries(entries: readonly StreamEntry[]): PackedEntries {
  const count = entries.length;
  const payloads = entries.map((e) => (typeof e.payload === 'string' ? encoder.encode(e.payload) : e.payload));
  const bytes = payloads.reduce((sum, p) => sum + p.byteLength, 0);
  const buffer = new ArrayBuffer(12 * count + 4 + bytes);
  const { seqs, offsets, body } = views(buffer, count);
  let at = 0;
  payloads.forEach((payload, i) => {
    seqs[i] = entries[i]!.seq;
    offsets[i] = at;
    body.set(payload, at);
    at += payload.byteLength;
  });
  offsets[count] = at;
  return { buffer, count, subjects: entries.map((e) => e.subject) };
}

/** The entries again, each payload a view into the one buffer. */
export function unpackEntries({ buffer, count, subjects }: PackedEntries): StreamEntry[] {
  const { seqs, offsets, body } = views(buffer, count);
  return subjects.map((subject, i) => ({ seq: seqs[i]!, subject, payload: body.subarray(offsets[i], offsets[i + 1]) }));
}

// Float64 first, at offset 0: each typed array starts on a multiple of its element size.
function views(buffer: ArrayBuffer, count: number) {
  return {
    seqs: new Float64Array(buffer, 0, count),
    offsets: new Uint32Array(buffer, 8 * count, count + 1),
    body: new Uint8Array(buffer, 12 * count + 4),
  };
}

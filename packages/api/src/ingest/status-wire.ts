import { diffStatus, statusSnapshot, type StatusUpdate, type TaskStatus } from '@symbology/contracts';

/**
 * The statuses a web process sends are shared objects (the edge and the fan-out push the same
 * object to every subscriber of a task), so the update from one to the next is computed once,
 * whoever asks, and serialized once (`statusWireEncoder`), whatever the number of subscribers.
 */
/** prev -> next -> update: subscribers that skipped different versions still share their deltas. */
const deltas = new WeakMap<TaskStatus, WeakMap<TaskStatus, StatusUpdate>>();
const snapshots = new WeakMap<TaskStatus, StatusUpdate>();
const serialized = new WeakMap<object, string>();

/** What to send a subscriber that last received `sent` (nothing yet: the whole status). */
export function statusUpdate(sent: TaskStatus | undefined, next: TaskStatus): StatusUpdate {
  if (!sent) {
    let snapshot = snapshots.get(next);
    if (!snapshot) snapshots.set(next, (snapshot = statusSnapshot(next)));
    return track(snapshot);
  }
  let fromSent = deltas.get(sent);
  if (!fromSent) deltas.set(sent, (fromSent = new WeakMap()));
  let update = fromSent.get(next);
  if (!update) fromSent.set(next, (update = track(diffStatus(sent, next))));
  return update;
}

function track(update: StatusUpdate): StatusUpdate {
  if (!serialized.has(update)) serialized.set(update, JSON.stringify(update));
  return update;
}

/** update -> a subscriber's frame prefix -> the whole frame, UTF-8 encoded. */
const frames = new WeakMap<StatusUpdate, Map<string, Buffer>>();

/**
 * The frame cache's bounds. The prefix is chosen by the client (its subscription id) and an update
 * lives as long as its status (the edge keeps a task's latest one), so an unbounded cache would
 * keep a frame for every id ever sent for a task. Subscribers share few prefixes (typed clients
 * number from 1: `{"id":1`, `{"id":2,"jsonrpc":"2.0"`); the others' frames are built per write.
 */
export const FRAME_CACHE_LIMITS = { prefixChars: 64, prefixesPerUpdate: 8 } as const;

/**
 * tRPC's data frame for a tracked status update, UTF-8 encoded: `prefix` (`{"id":<subscription
 * id>`, and `"jsonrpc"` when the client sent one), then what every subscriber is sent alike. tRPC
 * builds `result` as `{ type, data: { id, data }, id }` (`id` set after `data`). Clients number
 * their own subscriptions, mostly alike (a typed client's first is 1), so the subscribers of a task
 * share a few frames: each is built once, not once per socket (within `FRAME_CACHE_LIMITS`).
 */
export function statusFrame(prefix: string, update: StatusUpdate, version: number): Buffer {
  let byPrefix = frames.get(update);
  const cached = byPrefix?.get(prefix);
  if (cached !== undefined) return cached;
  const id = JSON.stringify(String(version));
  const json = serialized.get(update) ?? JSON.stringify(update);
  const frame = Buffer.from(`${prefix},"result":{"type":"data","data":{"id":${id},"data":${json}},"id":${id}}}`);
  if (prefix.length > FRAME_CACHE_LIMITS.prefixChars) return frame;
  if (!byPrefix) frames.set(update, (byPrefix = new Map()));
  if (byPrefix.size < FRAME_CACHE_LIMITS.prefixesPerUpdate) byPrefix.set(prefix, frame);
  return frame;
}

const MARK = '\u0000status-update\u0000';
const MARK_JSON = JSON.stringify(MARK);

/**
 * tRPC's WebSocket encoder (`experimental_encoder`), JSON as the default one, except that a
 * status update is spliced in from its one serialization instead of stringified per socket.
 */
export const statusWireEncoder = {
  encode(message: unknown): string {
    const update = trackedData(message);
    const json = update && serialized.get(update);
    if (!json) return JSON.stringify(message);
    const envelope = JSON.stringify(message, (_key, value: unknown) => (value === update ? MARK : value));
    return envelope.replace(MARK_JSON, () => json);
  },
  decode(data: string | ArrayBuffer | Uint8Array): unknown {
    if (typeof data !== 'string') throw new Error('JSON travels in text frames');
    return JSON.parse(data);
  },
};

/** `{ result: { data: { id, data } } }`: the payload of a tracked subscription message. */
function trackedData(message: unknown): object | undefined {
  const result = (message as { result?: { data?: { data?: unknown } } } | null)?.result;
  const data = result?.data?.data;
  return typeof data === 'object' && data !== null ? data : undefined;
}

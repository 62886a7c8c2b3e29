import { applyStatusUpdate, isTerminal, newTaskId, type StatusUpdate, type TaskStatus } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openSocket } from '../../test-support/raw-clients';
import { startTestSystem, type TestSystem } from '../../test-support/test-system';
import { startWebServer, type RunningWebServer } from '../index';

// ingest.onStatus over the WebSocket is answered by the per-task broadcast, beside tRPC's
// handler (WS_STATUS_SUBSCRIPTIONS=broadcast). These tests hold it to tRPC's own frames, and to
// the guarantees of a live status under many subscribers.

let system: TestSystem;
let broadcast: RunningWebServer;
let trpc: RunningWebServer;

type Socket = Awaited<ReturnType<typeof openSocket>>;
type Reply = Record<string, unknown>;
type DataResult = { type: 'data'; id: string; data: { id: string; data: StatusUpdate } };

const LIMIT = 100; // WS_MAX_SUBSCRIPTIONS_PER_SOCKET's default
const twoFilingTask = () => happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 2));
const resultType = (r: Reply) => (r.result as { type?: string } | undefined)?.type;
const isData = (r: Reply) => resultType(r) === 'data';
const isStopped = (r: Reply) => resultType(r) === 'stopped';
const dataOf = (replies: Reply[]) => replies.filter(isData).map((r) => r.result as DataResult);
const subscribe = (id: number, taskId: string, extra: Record<string, unknown> = {}) => ({
  id,
  method: 'subscription',
  params: { path: 'ingest.onStatus', input: { taskId }, ...extra },
});

/** The statuses a subscription's updates build, applied in order; throws when one does not apply. */
function applyAll(updates: DataResult[]): TaskStatus[] {
  const out: TaskStatus[] = [];
  for (const { id, data } of updates) {
    const next = applyStatusUpdate(out.at(-1), data.data);
    if (!next) throw new Error(`update ${id} does not apply to version ${out.at(-1)?.version}`);
    expect(String(next.version)).toBe(id);
    out.push(next);
  }
  return out;
}

beforeAll(async () => {
  system = await startTestSystem();
  // Hundreds of subscriptions at once from this machine, one peer: far past the call rate limit
  // and the subscriptions per peer, which have their own tests (edge-limits.int.test.ts).
  const { PORT: _p, ...env } = system.env({
    STATUS_RESYNC_MS: 60_000,
    TRPC_RATE_LIMIT_BURST: 1_000_000,
    WS_MAX_SUBSCRIPTIONS_PER_PEER: 1_000_000,
  });
  broadcast = await startWebServer({ ...env, port: 0 });
  trpc = await startWebServer({ ...env, WS_STATUS_SUBSCRIPTIONS: 'trpc', port: 0 });
});
afterAll(async () => {
  await broadcast?.stop();
  await trpc?.stop();
  await system?.stop();
});

describe('ingest.onStatus served by the broadcast', () => {
  it("answers with tRPC's own frames: started, tracked data, stopped, errors, the limit, resume, stop", async () => {
    const [requested, ...rest] = twoFilingTask();
    const first = await system.project(requested!);
    const taskId = first.taskId;
    const unknownTask = newTaskId();
    const sockets = await Promise.all([openSocket(broadcast.wsUrl), openSocket(trpc.wsUrl)]);
    try {
      const both = (check: (s: Socket) => Promise<unknown>) => Promise.all(sockets.map(check));
      for (const s of sockets) {
        s.send([
          { ...subscribe(1, taskId), jsonrpc: '2.0' },
          subscribe(2, 'not-a-uuid'),
          subscribe(3, unknownTask),
          subscribe(4, taskId, { lastEventId: String(first.version) }),
        ]);
      }
      await both((s) => s.until(1, isData, 'snapshot'));
      await both((s) => s.replyTo(2, 'error'));
      await both((s) => s.until(3, isStopped, 'stopped'));
      await both((s) => s.replyTo(4)); // started, and nothing more: the client has this version
      // Ids 1 and 4 hold two of the socket's slots: 98 more fill it, the next is refused.
      const filling = Array.from({ length: LIMIT - 2 }, (_, n) => subscribe(10 + n, taskId));
      for (const s of sockets) s.send([...filling, subscribe(200, taskId)]);
      await both((s) => s.until(200, isStopped, 'stopped'));
      const second = await system.project(rest[0]!);
      await both((s) => s.until(4, (r) => isData(r) && (r.result as DataResult).id === String(second.version)));
      for (const s of sockets) s.stop(4);
      await both((s) => s.until(4, isStopped, 'stopped'));
      for (const event of rest.slice(1)) {
        const version = String((await system.project(event)).version);
        await both((s) =>
          s.until(1, (r) => isData(r) && (r.result as DataResult).id === version, `version ${version}`),
        );
      }
      await both((s) => s.until(1, isStopped, 'stopped'));

      // Frames alike but for each connection's request id.
      const frames = sockets.map((s) =>
        [1, 2, 3, 4, 200].map((id) =>
          JSON.parse(JSON.stringify(s.repliesTo(id)).replace(/"requestId":"[^"]+"/g, '"requestId":"x"')),
        ),
      );
      expect(frames[0]).toEqual(frames[1]);
      const [viaBroadcast] = frames;
      expect(viaBroadcast![0].map(resultType)).toEqual(['started', ...rest.map(() => 'data'), 'data', 'stopped']);
      expect(viaBroadcast![0][0]).toMatchObject({ id: 1, jsonrpc: '2.0' });
      expect(viaBroadcast![1][0]).toMatchObject({ error: { data: { code: 'BAD_REQUEST' } } });
      expect(viaBroadcast![2]).toMatchObject([{}, { error: { data: { appCode: 'NOT_FOUND' } } }, {}]);
      expect(dataOf(viaBroadcast![3]).map((d) => d.data.data.kind)).toEqual(['snapshot']);
      expect(viaBroadcast![4]).toMatchObject([{}, { error: { data: { appCode: 'LIMIT_EXCEEDED' } } }, {}]);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('serves a client that sends connectionParams first, as the browser does (tRPC runs no onStatus procedure)', async () => {
    const events = twoFilingTask();
    const first = await system.project(events[0]!);
    const onStatusCalls = async (server: RunningWebServer) => {
      const { values } = await server.services.metrics.procedureSeconds.get();
      const count = values.find(
        (v) => v.metricName === 'web_trpc_procedure_duration_seconds_count' && v.labels.path === 'ingest.onStatus',
      );
      return count?.value ?? 0;
    };
    const sockets = await Promise.all([broadcast, trpc].map((w) => openSocket(`${w.wsUrl}?connectionParams=1`)));
    try {
      for (const s of sockets) {
        s.send({ method: 'connectionParams', data: { clientId: 'browser-1' } });
        s.send(subscribe(1, first.taskId));
      }
      await Promise.all(sockets.map((s) => s.until(1, isData, 'snapshot')));
      const last = await system.project(...events.slice(1));
      for (const s of sockets) {
        await s.until(1, isStopped, 'stopped');
        expect(dataOf(s.repliesTo(1)).at(-1)?.id).toBe(String(last.version));
      }
      expect(await onStatusCalls(broadcast)).toBe(0);
      expect(await onStatusCalls(trpc)).toBeGreaterThan(0); // the observable tells the paths apart
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('many subscribers on several sockets: each reaches the terminal state through deltas that apply, versions rising; stop frees a slot; past the limit: LIMIT_EXCEEDED; resumed ones skip what they hold', async () => {
    const [requested, ...rest] = twoFilingTask();
    const first = await system.project(requested!);
    const taskId = first.taskId;
    const sockets = await Promise.all(Array.from({ length: 4 }, () => openSocket(broadcast.wsUrl)));
    try {
      // Sockets 0-2: fresh subscriptions; socket 3: resumed from the first version.
      sockets.forEach((s, i) =>
        s.send(
          Array.from({ length: LIMIT }, (_, n) =>
            subscribe(n + 1, taskId, i === 3 ? { lastEventId: String(first.version) } : {}),
          ),
        ),
      );
      await Promise.all(
        sockets.flatMap((s, i) =>
          Array.from({ length: LIMIT }, (_, n) =>
            s.until(n + 1, i === 3 ? (r) => resultType(r) === 'started' : isData),
          ),
        ),
      );
      const [full] = sockets;
      full!.subscribe(LIMIT + 1, taskId);
      const refused = await full!.replyTo(LIMIT + 1, 'error');
      expect(refused).toMatchObject({ error: { data: { appCode: 'LIMIT_EXCEEDED' } } });
      full!.stop(1);
      await full!.until(1, isStopped, 'stopped');
      full!.subscribe(LIMIT + 2, taskId); // the stopped one's slot
      await full!.until(LIMIT + 2, isData, 'snapshot');

      // Published, not projected: the edge fold brings them back to back.
      const published = await system.publish(...rest);
      const last = published.at(-1)!;
      const live = sockets.flatMap((s, i) =>
        [...Array.from({ length: LIMIT }, (_, n) => n + 1), ...(i === 0 ? [LIMIT + 2] : [])]
          .filter((id) => !(i === 0 && id === 1))
          .map((id) => ({ s, id, resumed: i === 3 })),
      );
      await Promise.all(live.map(({ s, id }) => s.until(id, isStopped, 'stopped')));
      for (const { s, id, resumed } of live) {
        const replies = s.repliesTo(id);
        expect(replies.at(-1)).toEqual({ id, result: { type: 'stopped' } });
        const statuses = applyAll(dataOf(replies));
        const versions = statuses.map((st) => st.version);
        expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
        expect(versions.at(-1)).toBe(last);
        expect(isTerminal(statuses.at(-1)!)).toBe(true);
        if (resumed) expect(versions[0]).toBeGreaterThan(first.version);
      }
      // The stopped subscription got nothing after its `stopped`.
      expect(full!.repliesTo(1).at(-1)).toEqual({ id: 1, result: { type: 'stopped' } });
      const { values } = await broadcast.services.metrics.subscriptions.get();
      expect(values[0]?.value ?? 0).toBe(0);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});

// What a hostile or sloppy client can send: answered by the broadcast exactly as tRPC's own
// handler answers it.

/** A task that has ended. */
let overTask: string;

type Frame = { id?: unknown } & Record<string, unknown>;

/** A raw socket that records every frame, in order. */
async function recorder(wsUrl: string) {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const frames: Frame[] = [];
  let wake: (() => void) | undefined;
  ws.on('message', (raw) => {
    if (String(raw) === 'PING') return void ws.send('PONG');
    frames.push(JSON.parse(String(raw)) as Frame);
    wake?.();
  });
  const until = async (check: (f: Frame[]) => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!check(frames)) {
      if (Date.now() > deadline) throw new Error(`never got ${what}: ${JSON.stringify(frames).slice(0, 2_000)}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
  return { ws, frames, until, send: (text: string) => ws.send(text) };
}

const subscribeWith = (id: unknown, params: Record<string, unknown> = { input: { taskId: '' } }) => ({
  id,
  method: 'subscription',
  params: { path: 'ingest.onStatus', ...params },
});
const onTask = (id: unknown, extra: Record<string, unknown> = {}) =>
  subscribeWith(id, { input: { taskId: overTask }, ...extra });

/** The frames as each id saw them, in order per id; request ids made alike. */
function perId(frames: Frame[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of frames) {
    const key = JSON.stringify(f.id ?? null).slice(0, 40);
    (out[key] ??= []).push(JSON.parse(JSON.stringify(f).replace(/"requestId":"[^"]+"/g, '"requestId":"x"')));
  }
  return out;
}

// Each message is sent on a fresh socket to both servers; a query that reads the database goes
// last on the same socket, and its answer (later than any synchronous or input-parse answer),
// with a `stopped` for every subscription that started, says the frames are in.
const SENTINEL = 'sentinel';
const sentinel = () => ({
  id: SENTINEL,
  method: 'query',
  params: { path: 'ingest.status', input: { taskId: overTask } },
});

const text = (m: unknown) => JSON.stringify(m);
/** Each case: one frame, or several sent in turn. */
const hostile: Array<[string, () => string | string[]]> = [
  [
    'a batch with one malformed message (tRPC refuses the whole batch)',
    () => text([onTask(1), { id: 2, method: 'bogus' }]),
  ],
  ['lastEventId a number, not a string', () => text(onTask(3, { lastEventId: 5 }))],
  ['lastEventId null', () => text(onTask(4, { lastEventId: null }))],
  ['no input', () => text({ id: 5, method: 'subscription', params: { path: 'ingest.onStatus' } })],
  ['input not an object', () => text(subscribeWith(6, { input: 'x' }))],
  ['subscription.stop for an unknown id', () => text({ id: 7, method: 'subscription.stop' })],
  ['a batch mixing onStatus with a query', () => text([onTask(8), { ...sentinel(), id: 'query' }])],
  ['a null id', () => text(onTask(null))],
  ['an id that is an object', () => text(onTask({ a: 1 }))],
  ['a huge string id', () => text(onTask('x'.repeat(50_000)))],
  ['a huge numeric id', () => text(onTask(11)).replace('"id":11', '"id":1e400')],
  ['jsonrpc other than 2.0', () => text({ ...onTask(9), jsonrpc: '1.0' })],
  ['the method as a query', () => text({ ...onTask(10), method: 'query' })],
  [
    'the same id twice, the path of one escaped',
    () => [text(onTask(13)).replace('"ingest.onStatus"', '"ingest\\u002eonStatus"'), text(onTask(13))],
  ],
  ['not JSON', () => '{"id":12,"method":"subscription","params":{"path":"ingest.onStatus"'],
];

describe('hostile ingest.onStatus messages', () => {
  beforeAll(async () => {
    overTask = (await system.project(...happyTask(newTaskId()))).taskId;
  });

  it.each(hostile)('%s: answered as tRPC answers it', async (_what, message) => {
    const sockets = await Promise.all([recorder(broadcast.wsUrl), recorder(trpc.wsUrl)]);
    try {
      for (const s of sockets) {
        for (const frame of [message()].flat()) s.send(frame);
        s.send(text(sentinel()));
      }
      const awaited = [message()].flat().join().includes('"id":"query"') ? [SENTINEL, 'query'] : [SENTINEL];
      // The task is over: a subscription that started ends with `stopped` once its data is sent.
      const type = (x: Frame) => (x.result as { type?: string } | undefined)?.type;
      const answered = (f: Frame[]) =>
        awaited.every((id) => f.some((x) => x.id === id)) &&
        f.filter((x) => type(x) === 'started').every((x) => f.some((y) => y.id === x.id && type(y) === 'stopped'));
      await Promise.all(sockets.map((s) => s.until(answered, 'the sentinel')));
      const [viaBroadcast, viaTrpc] = sockets.map((s) => perId(s.frames));
      expect(viaBroadcast).toEqual(viaTrpc);
    } finally {
      for (const s of sockets) s.ws.close();
    }
  });

  it('the same id twice on one socket: the second is refused as tRPC refuses it, the first goes on', async () => {
    const [requested, ...rest] = happyTask(newTaskId());
    const live = (await system.project(requested!)).taskId;
    const sockets = await Promise.all([recorder(broadcast.wsUrl), recorder(trpc.wsUrl)]);
    const dup = () => subscribeWith(1, { input: { taskId: live } });
    try {
      for (const s of sockets) s.send(text([dup(), dup()]));
      const kinds = (f: Frame[]) => f.map((x) => (x.error ? 'error' : (x.result as { type: string }).type)).sort();
      await Promise.all(sockets.map((s) => s.until((f) => kinds(f).join() === 'data,error,started', 'three frames')));
      await system.project(...rest);
      for (const s of sockets) await s.until((f) => kinds(f).includes('stopped'), 'stopped');
      const errors = sockets.map((s) => perId(s.frames.filter((x) => x.error)));
      expect(errors[0]).toEqual(errors[1]);
      expect(JSON.stringify(errors[0])).toContain('Duplicate id 1');
    } finally {
      for (const s of sockets) s.ws.close();
    }
  });
});

describe('sockets that come and go', () => {
  it('1,000 connect-subscribe-close cycles, closing at every step: no listener, subscription or socket left', async () => {
    const [requested] = happyTask(newTaskId());
    const live = (await system.project(requested!)).taskId; // never ends: every subscription stays open
    const { metrics, nats } = broadcast.services;
    const gauge = async (g: { get(): Promise<{ values: Array<{ value: number }> }> }) =>
      (await g.get()).values[0]?.value ?? 0;
    const tasksBefore = nats.fanout.taskCount;
    const cycle = async (n: number) => {
      const s = await recorder(broadcast.wsUrl);
      const batch = [1, 2, 3].map((id) => subscribeWith(id, { input: { taskId: live } }));
      s.send(JSON.stringify([...batch, subscribeWith(1, { input: { taskId: live } })])); // and a duplicate
      // Close before the first read returns, after the snapshot, after a stop; or cut the TCP.
      if (n % 4 >= 1)
        await s.until((f) => f.filter((x) => x.result && 'data' in (x.result as object)).length === 3, 'data');
      if (n % 4 === 2) s.send(JSON.stringify({ id: 2, method: 'subscription.stop' }));
      if (n % 4 === 3) s.ws.terminate();
      else s.ws.close();
      await new Promise((resolve) => s.ws.once('close', resolve));
    };
    for (let n = 0; n < 1_000; n += 50) await Promise.all(Array.from({ length: 50 }, (_, i) => cycle(n + i)));
    const deadline = Date.now() + 15_000;
    const left = async () => ({
      tasks: nats.fanout.taskCount - tasksBefore,
      subscriptions: await gauge(metrics.subscriptions),
      sockets: await gauge(metrics.wsConnections),
    });
    while (JSON.stringify(await left()) !== JSON.stringify({ tasks: 0, subscriptions: 0, sockets: 0 })) {
      if (Date.now() > deadline) throw new Error(`left behind: ${JSON.stringify(await left())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

describe("the socket's subscription slots", () => {
  it('are freed by the terminal state and by NOT_FOUND: a full socket whose subscriptions ended can fill again', async () => {
    const [requested, ...rest] = twoFilingTask();
    const live = (await system.project(requested!)).taskId;
    const s = await openSocket(broadcast.wsUrl);
    try {
      const ids = (from: number) => Array.from({ length: LIMIT }, (_, n) => from + n);
      s.send(ids(1).map((id) => subscribe(id, live)));
      await Promise.all(ids(1).map((id) => s.until(id, isData, 'snapshot')));
      await system.project(...rest);
      await Promise.all(ids(1).map((id) => s.until(id, isStopped, 'stopped')));
      s.send(ids(1_001).map((id) => subscribe(id, newTaskId())));
      await Promise.all(ids(1_001).map((id) => s.until(id, isStopped, 'stopped')));
      s.send(ids(2_001).map((id) => subscribe(id, live)));
      await Promise.all(ids(2_001).map((id) => s.until(id, isStopped, 'stopped')));
      const refused = [...ids(1), ...ids(1_001), ...ids(2_001)]
        .flatMap((id) => s.repliesTo(id))
        .filter((r) => 'error' in r);
      expect(refused).toHaveLength(LIMIT); // the NOT_FOUNDs, no LIMIT_EXCEEDED
      expect(refused.every((r) => JSON.stringify(r).includes('"appCode":"NOT_FOUND"'))).toBe(true);
    } finally {
      s.close();
    }
  });
});

import { applyStatusUpdate, isTerminal, newTaskId, type StatusUpdate, type TaskStatus } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const { PORT: _p, ...env } = system.env({ STATUS_RESYNC_MS: 60_000 });
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

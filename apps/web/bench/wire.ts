// pnpm bench:wire [-- --clients 1000 --runs 4]
// CPU per status frame at each end of the WebSocket, each end its own process: the server sends
// a task's 13 statuses (a whole status, then deltas, as `ingest.onStatus` frames) to every
// subscriber, written whole to each connection (`textFrame`, what the web process does) or through
// `ws.send`; the subscribers are typed clients (`createSymbologyClient` + `watchTaskStatus`, what a
// Node program or the bench's subscribers run) or raw `ws` clients that parse the JSON and apply
// the delta, the floor of the same work. Variants alternate within each run; medians print last.
// No NATS, no Postgres: the rest of the path is `pnpm bench:e2e`'s.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { statusFrame, statusUpdate, textFrame } from '@symbology/api';
import { createSymbologyClient, watchTaskStatus } from '@symbology/client';
import { applyStatusUpdate, evolve, newTaskId, type StatusUpdate, type TaskStatus } from '@symbology/contracts';
import { happyTask } from '@symbology/contracts/testing';
import { WebSocket, WebSocketServer } from 'ws';

type Sending = 'whole-frame' | 'ws.send';
type Receiving = 'typed' | 'raw';
/** Between two rounds of frames: the subscribers read what was sent before more comes. */
const ROUND_GAP_MS = 5;

async function orchestrate(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { clients: { type: 'string', default: '1000' }, runs: { type: 'string', default: '4' } },
  });
  const clients = Number(values.clients);
  const runs = Number(values.runs);
  const combos = (['typed', 'raw'] as const).flatMap((receiving) =>
    (['ws.send', 'whole-frame'] as const).map((sending) => ({ sending, receiving })),
  );
  const results = new Map<string, { send: number[]; receive: number[] }>();
  for (let run = 1; run <= runs; run++) {
    for (const combo of run % 2 ? combos : [...combos].reverse()) {
      const server = child('server', combo.sending, String(clients));
      const { url } = await message<{ url: string }>(server);
      const client = child('client', combo.receiving, url, String(clients));
      await message(server); // every subscription started
      server.send('go');
      const [{ sendUs }, { receiveUs }] = await Promise.all([
        message<{ sendUs: number }>(server),
        message<{ receiveUs: number }>(client),
      ]);
      server.kill();
      client.kill();
      const key = `${combo.sending} -> ${combo.receiving}`;
      const entry = results.get(key) ?? { send: [], receive: [] };
      entry.send.push(sendUs);
      entry.receive.push(receiveUs);
      results.set(key, entry);
      const perFrame = { sendUs: round(sendUs), receiveUs: round(receiveUs) };
      console.log(JSON.stringify({ bench: 'wire', run, clients, ...combo, ...perFrame }));
    }
  }
  console.log(`\n${clients} subscribers x 13 frames, ${runs} run(s); CPU per frame: median (every run)`);
  for (const [key, { send, receive }] of results)
    console.log(`${key.padEnd(24)} server ${fmt(send).padEnd(36)} client ${fmt(receive)}`);
}

const round = (x: number) => Math.round(x * 10) / 10;
const fmt = (xs: number[]) => `${median(xs).toFixed(1)} µs (${xs.map((x) => x.toFixed(1)).join(', ')})`;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
};
const child = (...argv: string[]) => fork(new URL(import.meta.url).pathname, argv, { stdio: 'inherit' });
const message = async <T = unknown>(process: ChildProcess) => (await once(process, 'message'))[0] as T;
const cpuUs = (since?: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return user + system;
};

/** A task's statuses from its events, as the edge folds them. */
function taskStatuses(): TaskStatus[] {
  const statuses: TaskStatus[] = [];
  happyTask(newTaskId()).forEach((event, i) => statuses.push(evolve(statuses.at(-1), event, i + 1)));
  return statuses;
}

/** Speaks tRPC's subscription wire as `SocketSubscriptions` does: started, data frames, stopped. */
async function serve(sending: Sending, expected: number): Promise<void> {
  const subscribers: Array<{ ws: WebSocket; connection: NodeJS.WritableStream; prefix: string }> = [];
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer();
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) =>
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id: number; method: string };
        if (message.method !== 'subscription') return;
        ws.send(JSON.stringify({ id: message.id, result: { type: 'started' } }));
        subscribers.push({ ws, connection: socket, prefix: `{"id":${message.id}` });
        if (subscribers.length === expected) process.send!('started');
      }),
    ),
  );
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  process.send!({ url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}` });
  await once(process, 'message');
  const statuses = taskStatuses();
  let sendUs = 0;
  for (let v = 0; v < statuses.length; v++) {
    const update = statusUpdate(statuses[v - 1], statuses[v]!);
    const before = process.cpuUsage();
    for (const { ws, connection, prefix } of subscribers) {
      const payload = statusFrame(prefix, update, statuses[v]!.version);
      if (sending === 'whole-frame') connection.write(textFrame(payload));
      else ws.send(payload, { binary: false });
    }
    sendUs += cpuUs(before);
    await new Promise((resolve) => setTimeout(resolve, ROUND_GAP_MS));
  }
  for (const { ws, prefix } of subscribers) ws.send(`${prefix},"result":{"type":"stopped"}}`);
  process.send!({ sendUs: sendUs / (subscribers.length * statuses.length) });
}

/** `expected` subscribers, each on its own WebSocket; reports CPU per frame once all have ended. */
async function subscribe(receiving: Receiving, url: string, expected: number): Promise<void> {
  let frames = 0;
  let ended = 0;
  let since: NodeJS.CpuUsage | undefined;
  const received = () => {
    since ??= process.cpuUsage();
    frames++;
  };
  const done = new Promise<void>((resolve) => {
    const end = () => ++ended === expected && resolve();
    for (let i = 0; i < expected; i++) {
      if (receiving === 'typed') {
        const { api } = createSymbologyClient({ url: url.replace('ws:', 'http:'), wsUrl: url });
        watchTaskStatus(api, newTaskId(), { onStatus: received, onComplete: end });
        continue;
      }
      let held: TaskStatus | undefined;
      const ws = new WebSocket(url);
      ws.on('open', () =>
        ws.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'ingest.onStatus' } })),
      );
      ws.on('message', (data) => {
        const { result } = JSON.parse(String(data)) as { result: { type: string; data?: { data: StatusUpdate } } };
        if (result.type === 'data') {
          held = applyStatusUpdate(held, result.data!.data);
          received();
        }
        if (result.type === 'stopped') end();
      });
    }
  });
  await done;
  process.send!({ receiveUs: cpuUs(since) / frames });
  process.exit(0);
}

// Last: the helpers above are initialized by now.
const [role, ...args] = process.argv.slice(2).filter((a) => a !== '--');
if (role === 'server') await serve(args[0] as Sending, Number(args[1]));
else if (role === 'client') await subscribe(args[0] as Receiving, args[1]!, Number(args[2]));
else await orchestrate();

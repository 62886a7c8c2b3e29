// The BullMQ reference edge, as a Node team would write it: a `ws` server whose clients each ask
// for one job; a QueueEvents listener pushes every `progress` and the final `completed` of a job to
// the sockets watching it. Like the Symbology server it listens before it reads the snapshot, and
// never sends a socket a step older than the last one it sent.
import { Job, Queue, QueueEvents } from 'bullmq';
import { WebSocketServer, type WebSocket } from 'ws';
import { onCommand, readConfig, tell } from '../ipc/parent';
import { STEPS_PER_TASK } from '../load/load-shape';
import { SubscribeMessageSchema, StepProgressSchema, type StepMessage } from './protocol';
import { redisOptions } from './redis';
import { WsServerConfigSchema } from './reference-config';

const config = readConfig(WsServerConfigSchema);
const connection = redisOptions(config.redisUrl);
const queue = new Queue(config.queue, { connection });
const events = new QueueEvents(config.queue, { connection });
await events.waitUntilReady();

/** jobId -> watching socket -> last step sent to it. */
const watchers = new Map<string, Map<WebSocket, number>>();

function push(jobId: string, step: number, final: boolean, only?: WebSocket): void {
  const sockets = watchers.get(jobId);
  if (!sockets) return;
  // Serialized once per event, not once per socket.
  const payload = JSON.stringify({ jobId, step, final } satisfies StepMessage);
  for (const [ws, last] of only ? [[only, sockets.get(only) ?? 0] as const] : sockets) {
    if (step <= last || !sockets.has(ws)) continue;
    sockets.set(ws, step);
    ws.send(payload);
    if (final) sockets.delete(ws);
  }
  if (sockets.size === 0) watchers.delete(jobId);
}

events.on('progress', ({ jobId, data }) => {
  const progress = StepProgressSchema.safeParse(data);
  if (progress.success) push(jobId, progress.data.step, false);
});
events.on('completed', ({ jobId, returnvalue }) => {
  const result = StepProgressSchema.safeParse(returnvalue);
  if (result.success) push(jobId, result.data.step, true);
});

/** The job's current step: 1 once added, the last progress while active, the final one when completed. */
async function snapshot(jobId: string): Promise<{ step: number; final: boolean } | undefined> {
  const job = await Job.fromId(queue, jobId);
  if (!job) return undefined;
  if (job.finishedOn) return { step: STEPS_PER_TASK, final: true };
  const progress = StepProgressSchema.safeParse(job.progress);
  return { step: progress.success ? progress.data.step : 1, final: false };
}

async function subscribe(ws: WebSocket, raw: string): Promise<void> {
  const message = SubscribeMessageSchema.safeParse(JSON.parse(raw));
  if (!message.success) return ws.close(1008, 'expected {"subscribe": jobId}');
  const jobId = message.data.subscribe;
  let sockets = watchers.get(jobId);
  if (!sockets) watchers.set(jobId, (sockets = new Map()));
  sockets.set(ws, 0);
  ws.once('close', () => watchers.get(jobId)?.delete(ws));
  const state = await snapshot(jobId);
  if (!state) return ws.close(1008, `no job ${jobId}`);
  push(jobId, state.step, state.final, ws);
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
wss.on('connection', (ws) => {
  ws.on('message', (raw) => void subscribe(ws, String(raw)).catch(() => ws.close(1011, 'subscribe failed')));
});

onCommand(async (command) => {
  if (command.kind !== 'stop') return;
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await events.close();
  await queue.close();
});
const address = wss.address();
tell({ kind: 'ready', port: typeof address === 'object' && address ? address.port : 0 });

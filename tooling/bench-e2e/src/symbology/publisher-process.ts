// The ingestor's side of a Symbology run, as its own process: publishes each task's events on
// JetStream with publishEvent (schema check, Nats-Msg-Id = the deterministic event id, PubAck
// awaited), and observes `status.<taskId>` on core NATS as any other service would.
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { newTaskId, subjects, TaskStatusSchema, type IngestEvent } from '@symbology/contracts';
import { happyTask } from '@symbology/contracts/testing';
import { connectAs, publishEvent } from '@symbology/service';
import { now } from '../clock';
import type { ObservedRecord, PublishedRecord } from '../ipc/messages';
import { onCommand, readConfig, tell } from '../ipc/parent';
import { driveTask, STEPS_PER_TASK } from '../load/load-shape';
import { PublisherConfigSchema, type PublisherConfig } from './publisher-config';

const config = readConfig(PublisherConfigSchema);
// Connected as the services connect, with their client options.
const open = (role: keyof PublisherConfig['credentials']) =>
  connectAs({ servers: config.natsUrl, ...config.credentials[role] }, `bench-e2e-${role}`);
const [webNc, ingestorNc, observerNc] = await Promise.all([open('web'), open('ingestor'), open('subscriber')]);
const published: PublishedRecord[] = [];
const observed: ObservedRecord[] = [];

observerNc.subscribe(subjects.allStatus, {
  callback: (error, msg) => {
    const seenAt = now();
    if (error) return;
    const status = TaskStatusSchema.safeParse(msg.json());
    if (status.success) observed.push({ task: status.data.taskId, version: status.data.version, seenAt });
  },
});
// The subscription is registered at the server before anything is published.
await observerNc.flush();

type Task = { id: string; events: IngestEvent[] };
/** The round's tasks: new ones for each round (the same events again would be deduplicated). */
let tasks: Task[] = [];

function newRound(): void {
  tasks = Array.from({ length: config.shape.tasks }, () => {
    const id = newTaskId();
    return { id, events: happyTask(id) };
  });
  if (tasks[0]!.events.length !== STEPS_PER_TASK) throw new Error(`a task has ${tasks[0]!.events.length} events`);
  published.length = 0;
  observed.length = 0;
}

/** Publishes step `step` (1-based) of a task; its version is the stream sequence from the PubAck. */
async function publishStep(js: JetStreamClient, task: Task, step: number): Promise<number> {
  const publishedAt = now();
  const ack = await publishEvent(js, task.events[step - 1]!);
  published.push({ task: task.id, step, version: ack.seq, publishedAt, ackedAt: now() });
  return ack.seq;
}

onCommand(async (command) => {
  switch (command.kind) {
    case 'create': {
      newRound();
      const web = jetstream(webNc);
      const created = await Promise.all(
        tasks.map(async (t) => ({ task: t.id, requestedVersion: await publishStep(web, t, 1) })),
      );
      return tell({ kind: 'created', tasks: created });
    }
    case 'go': {
      const ingestor = jetstream(ingestorNc);
      await Promise.all(
        tasks.map((t, i) => driveTask(i, config.shape, async (step) => void (await publishStep(ingestor, t, step)))),
      );
      return tell({ kind: 'published' });
    }
    case 'report':
      return tell({ kind: 'publisher-report', published, observed });
    case 'stop':
      await Promise.all([webNc, ingestorNc, observerNc].map((nc) => nc.close()));
      return;
    default:
      throw new Error(`the publisher does not take '${command.kind}'`);
  }
});
tell({ kind: 'ready' });

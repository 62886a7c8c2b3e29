// BullMQ's counterpart of the Symbology publisher: each round adds its jobs (step 1, as a request
// would); the Worker takes them and holds each until "go", then runs its steps 2..12 as
// `job.updateProgress` and step 13 as the job's completion, in the same load shape. A QueueEvents
// listener of its own observes the bus.
import { Queue, QueueEvents, Worker } from 'bullmq';
import { now } from '../clock';
import type { ObservedRecord, PublishedRecord } from '../ipc/messages';
import { onCommand, readConfig, tell } from '../ipc/parent';
import { driveTask, STEPS_PER_TASK } from '../load/load-shape';
import { StepProgressSchema } from './protocol';
import { redisOptions } from './redis';
import { JobDataSchema, WorkerConfigSchema } from './reference-config';

const config = readConfig(WorkerConfigSchema);
const connection = redisOptions(config.redisUrl);
const queue = new Queue(config.queue, { connection });
const observer = new QueueEvents(config.queue, { connection });
await observer.waitUntilReady();
const published: PublishedRecord[] = [];
const observed: ObservedRecord[] = [];

const observe = (jobId: string, value: unknown) => {
  const seenAt = now();
  const step = StepProgressSchema.safeParse(value);
  if (step.success) observed.push({ task: jobId, version: step.data.step, seenAt });
};
observer.on('progress', ({ jobId, data }) => observe(jobId, data));
observer.on('completed', ({ jobId, returnvalue }) => observe(jobId, returnvalue));

/** When each job's final step was "published": the processor returning; acked when the worker reports completion. */
const finalPublishedAt = new Map<string, number>();

/** One round's jobs: added on `create`, held by their processors until `go`, done once all completed. */
class Round {
  private completed = 0;
  private allCompleted = () => {};
  readonly done = new Promise<void>((resolve) => (this.allCompleted = resolve));
  private start = () => {};
  readonly started = new Promise<void>((resolve) => (this.start = resolve));

  constructor(readonly number: number) {}

  jobId(index: number): string {
    return `${config.queue}-${this.number}-${index}`;
  }

  go(): void {
    this.start();
  }

  onCompleted(): void {
    if (++this.completed === config.shape.tasks) this.allCompleted();
  }
}
let round = new Round(0);

const worker = new Worker(
  config.queue,
  async (job) => {
    const { index } = JobDataSchema.parse(job.data);
    await round.started;
    await driveTask(index, config.shape, async (step) => {
      const publishedAt = now();
      if (step === STEPS_PER_TASK) return void finalPublishedAt.set(job.id!, publishedAt);
      await job.updateProgress({ step });
      published.push({ task: job.id!, step, version: step, publishedAt, ackedAt: now() });
    });
    return { step: STEPS_PER_TASK };
  },
  { connection, concurrency: config.shape.tasks },
);
worker.on('completed', (job) => {
  const ackedAt = now();
  const publishedAt = finalPublishedAt.get(job.id!) ?? ackedAt;
  published.push({ task: job.id!, step: STEPS_PER_TASK, version: STEPS_PER_TASK, publishedAt, ackedAt });
  round.onCompleted();
});
worker.on('failed', (job, error) => tell({ kind: 'failed', message: `job ${job?.id} failed: ${error.message}` }));

onCommand(async (command) => {
  switch (command.kind) {
    case 'create': {
      round = new Round(round.number + 1);
      published.length = 0;
      observed.length = 0;
      const created = await Promise.all(
        Array.from({ length: config.shape.tasks }, async (_, index) => {
          const jobId = round.jobId(index);
          const publishedAt = now();
          await queue.add('ingest', { index }, { jobId });
          published.push({ task: jobId, step: 1, version: 1, publishedAt, ackedAt: now() });
          return { task: jobId, requestedVersion: 1 };
        }),
      );
      return tell({ kind: 'created', tasks: created });
    }
    case 'go':
      round.go();
      await round.done;
      return tell({ kind: 'published' });
    case 'report':
      return tell({ kind: 'publisher-report', published, observed });
    case 'stop':
      await worker.close();
      await observer.close();
      // The run's keys go with it: the machine's Redis is shared.
      await queue.obliterate({ force: true });
      await queue.close();
      return;
    default:
      throw new Error(`the worker does not take '${command.kind}'`);
  }
});
tell({ kind: 'ready' });

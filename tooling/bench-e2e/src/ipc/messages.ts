import { z } from 'zod';

/**
 * What the bench's processes tell each other over Node's IPC channel. Each side parses what it
 * receives: the channel is a process boundary like any other.
 */

/** One step of one task, as its publisher saw it. `version` is what a subscriber receives for it. */
export const PublishedRecordSchema = z.object({
  task: z.string(),
  step: z.number().int(),
  version: z.number().int(),
  publishedAt: z.number(),
  ackedAt: z.number(),
});
export type PublishedRecord = z.infer<typeof PublishedRecordSchema>;

/** A status (Symbology: `status.<taskId>` on NATS; BullMQ: a QueueEvents event) seen on the bus. */
export const ObservedRecordSchema = z.object({ task: z.string(), version: z.number().int(), seenAt: z.number() });
export type ObservedRecord = z.infer<typeof ObservedRecordSchema>;

/** Everything one subscriber received; `versions[i]` arrived at `times[i]`. */
export const SubscriberRecordSchema = z.object({
  task: z.string(),
  versions: z.array(z.number().int()),
  times: z.array(z.number()),
  /** The server ended the subscription (Symbology) or sent the final state (BullMQ). */
  completed: z.boolean(),
  error: z.string().nullable(),
});
export type SubscriberRecord = z.infer<typeof SubscriberRecordSchema>;

export const CreatedTaskSchema = z.object({ task: z.string(), requestedVersion: z.number().int() });
export type CreatedTask = z.infer<typeof CreatedTaskSchema>;

/** Orchestrator -> publisher, client or server process. */
export const CommandSchema = z.discriminatedUnion('kind', [
  /** Publisher: a new round's tasks (fresh ids; the records of an earlier round are dropped). */
  z.object({ kind: z.literal('create') }),
  z.object({ kind: z.literal('go') }),
  /** Client process: open its subscribers (the first `count` of them) to these tasks (`ready` once each has its first state). */
  z.object({
    kind: z.literal('subscribe'),
    tasks: z.array(z.string()).min(1),
    count: z.number().int().positive().optional(),
  }),
  /** Client process: close the round's subscribers (`closed` once they are). */
  z.object({ kind: z.literal('close') }),
  z.object({ kind: z.literal('report') }),
  z.object({ kind: z.literal('stop') }),
]);
export type Command = z.infer<typeof CommandSchema>;

/** Publisher, client or server process -> orchestrator. */
export const ReplySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), port: z.number().int().optional() }),
  z.object({ kind: z.literal('created'), tasks: z.array(CreatedTaskSchema) }),
  z.object({ kind: z.literal('published') }),
  z.object({ kind: z.literal('finished') }),
  z.object({ kind: z.literal('closed') }),
  z.object({
    kind: z.literal('publisher-report'),
    published: z.array(PublishedRecordSchema),
    observed: z.array(ObservedRecordSchema),
  }),
  z.object({
    kind: z.literal('client-report'),
    subscribers: z.array(SubscriberRecordSchema),
    /** The client process's event-loop delay (ms) while receiving: high means the clients, not the server, were slow. */
    loopDelayMs: z.object({ p99: z.number(), max: z.number() }),
  }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);
export type Reply = z.infer<typeof ReplySchema>;
export type ReplyOf<K extends Reply['kind']> = Extract<Reply, { kind: K }>;

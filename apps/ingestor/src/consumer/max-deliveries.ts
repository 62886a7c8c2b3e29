import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { INGEST_ADVISORIES_STREAM, INGEST_STREAM, MAX_DELIVERIES_CONSUMER, parseEvent } from '@symbology/contracts';
import { backoffDelay, ensureDurable, type DurableConfig } from '@symbology/service';
import { z } from 'zod';
import { endInterrupted } from '../ingest/end-interrupted';
import type { IngestTaskDeps } from '../ingest/run-ingest-task';
import { takeLease } from '../ingest/task-lease';
import type { Logger } from '../logger';
import { startConsumeLoop } from './consume-loop';

/** io.nats.jetstream.advisory.v1.max_deliver, the fields read here. */
const AdvisorySchema = z.object({ stream_seq: z.number().int().positive(), deliveries: z.number().int() });

/**
 * Every advisory the stream holds, from its first: one stored before this durable existed (no
 * ingestor had run yet) is handled too. Handling takes a stream read and a publish; a delivery not
 * acked within ack_wait comes back, and a failed one is nakked with a backoff, never given up.
 */
export const MAX_DELIVERIES_CONSUMER_CONFIG: DurableConfig = {
  durable_name: MAX_DELIVERIES_CONSUMER,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All,
  ack_wait: nanos(30_000),
  max_deliver: -1,
};

export type MaxDeliveriesWatch = { stop(): Promise<void> };

export type MaxDeliveriesOptions = {
  js: JetStreamClient;
  jsm: JetStreamManager;
  task: Pick<IngestTaskDeps, 'db' | 'history' | 'publish' | 'now'>;
  logger: Logger;
  retryBaseMs: number;
  /** The task lease is taken first, so a holder still running somewhere stops at its next step. */
  leases: KV;
  holder: string;
};

/**
 * Ends the tasks of advisories stored before the `ingestor` durable stopped giving requests up
 * (its `max_deliver` is unbounded now, and a delivery past INGEST_MAX_DELIVER ends the task: see
 * consumer/handle-request.ts). Under the old setting a request killed on each of its deliveries
 * was never delivered again, and the server's max-deliveries advisory, kept on INGEST_ADVISORIES,
 * was its only trace: a deployment upgraded with such advisories unhandled still ends those
 * tasks. The request is read back, and the task is ended with what it stored (endInterrupted) unless its history
 * already holds a terminal event; the advisory is acked only then, and the event id is
 * deterministic, so an advisory handled twice ends its task once.
 */
export async function watchMaxDeliveries(options: MaxDeliveriesOptions): Promise<MaxDeliveriesWatch> {
  await ensureDurable(options.jsm, INGEST_ADVISORIES_STREAM, MAX_DELIVERIES_CONSUMER_CONFIG);
  const consumer = await options.js.consumers.get(INGEST_ADVISORIES_STREAM, MAX_DELIVERIES_CONSUMER);
  const settle = async (msg: JsMsg): Promise<void> => {
    try {
      await endTask(msg.data, options);
      msg.ack();
    } catch (error) {
      const delay = backoffDelay(msg.info.deliveryCount, { baseMs: options.retryBaseMs, maxMs: MAX_RETRY_MS });
      options.logger.warn(
        { err: error, retryInMs: delay },
        'could not end a task that ran out of deliveries; retrying',
      );
      msg.nak(delay);
    }
  };
  // A short pull: stop() waits for the open one to expire, and this drain of old advisories
  // should not hold a replica's stop for the main loop's 2 s (it stops alongside it).
  const loop = startConsumeLoop({
    consumer,
    concurrency: 1,
    handle: settle,
    logger: options.logger,
    pullExpiresMs: LEGACY_PULL_EXPIRES_MS,
  });
  return { stop: () => loop.stop() };
}

/** How long one pull of the advisories waits: the stream holds only what an earlier version stored. */
const LEGACY_PULL_EXPIRES_MS = 1_000;

/** The longest wait between two attempts at ending a task from a stored advisory. */
const MAX_RETRY_MS = 30_000;

async function endTask(data: Uint8Array, options: MaxDeliveriesOptions): Promise<void> {
  const { jsm, logger } = options;
  const advisory = AdvisorySchema.safeParse(parseJson(data));
  if (!advisory.success) {
    logger.warn({ issues: advisory.error.issues }, 'max-deliveries advisory not understood; ignored');
    return;
  }
  const { stream_seq: seq, deliveries } = advisory.data;
  const stored = await jsm.streams.getMessage(INGEST_STREAM, { seq });
  const parsed = stored ? parseEvent(stored.data) : undefined;
  if (!parsed?.ok || parsed.event.type !== 'IngestRequested') {
    logger.warn({ seq }, 'a message that ran out of deliveries is not a readable IngestRequested; nothing to end');
    return;
  }
  const request = parsed.event;
  const log = logger.child({ taskId: request.taskId, seq, deliveries });
  const lease = await takeLease(options.leases, request.taskId, options.holder);
  const ended = await endInterrupted(request, { ...options.task, logger: log }, `after ${deliveries} deliveries`);
  if (ended)
    log.warn({ terminal: ended }, 'request ran out of deliveries without ending; ended it with what it stored');
  await lease.release();
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

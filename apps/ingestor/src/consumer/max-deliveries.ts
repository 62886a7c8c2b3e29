import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import {
  INGEST_ADVISORIES_STREAM,
  INGEST_STREAM,
  INGESTOR_MAX_DELIVERIES_SUBJECT,
  MAX_DELIVERIES_CONSUMER,
  parseEvent,
} from '@symbology/contracts';
import { backoffDelay, ensureDurable, type DurableConfig } from '@symbology/service';
import { z } from 'zod';
import { failUnlessTerminal } from '../ingest/fail-unless-terminal';
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
  /** The advisories are also heard as they fire (see listenForAdvisories). */
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  task: Pick<IngestTaskDeps, 'history' | 'publish' | 'now'>;
  logger: Logger;
  retryBaseMs: number;
  /** The task lease is taken first, so a holder still running somewhere stops at its next step. */
  leases: KV;
  holder: string;
};

/**
 * Ends every task whose request ran out of deliveries without a terminal event: the handler ends
 * an interrupted task on its last delivery itself, but a process killed during that delivery
 * never gets the chance, and the task would stay `processing` for good. The server's advisory
 * names the request's stream sequence; INGEST_ADVISORIES keeps it until an ingestor has handled
 * it, however long none runs. The request is read back, and IngestFailed is published unless the
 * task's history already holds a terminal event; the advisory is acked only then. Replicas share
 * the durable, and the event id is deterministic, so an advisory handled twice ends its task once.
 * Each replica also hears the advisory as it fires (listenForAdvisories), for one the stream did
 * not store.
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
  const loop = startConsumeLoop({ consumer, concurrency: 1, handle: settle, logger: options.logger });
  const stopped = new AbortController();
  const heard = listenForAdvisories(options, stopped.signal);
  return {
    stop: async () => {
      heard.unsubscribe();
      stopped.abort();
      await loop.stop();
    },
  };
}

/** The longest wait between two attempts at ending a task, stored advisory or heard. */
const MAX_RETRY_MS = 30_000;

/** Attempts at ending a task from an advisory heard as it fired (not redelivered: kept in memory). */
const HEARD_ATTEMPTS = 8;

/**
 * The advisory is a core NATS message the server sends once. INGEST_ADVISORIES stores it unless
 * the stream has no leader as it fires (an election after a node is lost): then it is stored
 * nowhere, and the task would stay `processing` for good. So every replica also listens for it and
 * ends the task itself, retried with backoff while it runs; the stored copy, when there is one,
 * ends it again as a no-op (the lease, the history check and the event id make it once).
 */
function listenForAdvisories(options: MaxDeliveriesOptions, stopped: AbortSignal): Subscription {
  return options.nc.subscribe(INGESTOR_MAX_DELIVERIES_SUBJECT, {
    callback: (error, msg) => {
      if (error) return options.logger.warn({ err: error }, 'listening for max-deliveries advisories failed');
      void endHeard(msg.data, options, stopped);
    },
  });
}

/** Ends a heard advisory's task, retried with backoff until it works, HEARD_ATTEMPTS pass or the watch stops. */
async function endHeard(data: Uint8Array, options: MaxDeliveriesOptions, stopped: AbortSignal): Promise<void> {
  for (let attempt = 1; !stopped.aborted; attempt++) {
    try {
      return await endTask(data, options);
    } catch (error) {
      if (attempt === HEARD_ATTEMPTS || stopped.aborted) {
        return options.logger.error(
          { err: error },
          'could not end a task from a max-deliveries advisory heard as it fired; the stored copy, if any, will',
        );
      }
      const delay = backoffDelay(attempt, { baseMs: options.retryBaseMs, maxMs: MAX_RETRY_MS });
      await sleep(delay, undefined, { signal: stopped }).catch(() => undefined);
    }
  }
}

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
  const ended = await failUnlessTerminal(request, { ...options.task, logger: log }, `after ${deliveries} deliveries`);
  if (ended) log.warn('request ran out of deliveries without ending; task failed');
  await lease.release();
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

import type { JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM, INGESTOR_CONSUMER, parseEvent } from '@symbology/contracts';
import { backoffDelay } from '@symbology/service';
import { z } from 'zod';
import { failUnlessTerminal } from '../ingest/fail-unless-terminal';
import type { IngestTaskDeps } from '../ingest/run-ingest-task';
import { takeLease } from '../ingest/task-lease';
import type { Logger } from '../logger';

/** Where nats-server announces a message of the `ingestor` durable that ran out of deliveries. */
export const MAX_DELIVERIES_SUBJECT = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${INGEST_STREAM}.${INGESTOR_CONSUMER}`;

/** io.nats.jetstream.advisory.v1.max_deliver, the fields read here. */
const AdvisorySchema = z.object({ stream_seq: z.number().int().positive(), deliveries: z.number().int() });

const ATTEMPTS = 5;

export type MaxDeliveriesWatch = { stop(): Promise<void> };

/**
 * Ends every task whose request ran out of deliveries without a terminal event: the handler ends
 * an interrupted task on its last delivery itself, but a process killed during that delivery
 * never gets the chance, and the task would stay `processing` for good. The server's advisory
 * names the request's stream sequence; the request is read back, and IngestFailed is published
 * unless the task's history already holds a terminal event. One replica of the queue group
 * handles each advisory; its deterministic event id makes a second one harmless anyway.
 * An advisory is core NATS: one sent while no ingestor runs is not seen (see docs/operations.md).
 */
export function watchMaxDeliveries(options: {
  nc: NatsConnection;
  jsm: JetStreamManager;
  task: Pick<IngestTaskDeps, 'history' | 'publish' | 'now'>;
  logger: Logger;
  retryBaseMs: number;
  /** The task lease is taken first, so a holder still running somewhere stops at its next step. */
  leases: KV;
  holder: string;
}): MaxDeliveriesWatch {
  const { nc, jsm, logger } = options;
  const sub = nc.subscribe(MAX_DELIVERIES_SUBJECT, { queue: `${INGESTOR_CONSUMER}-max-deliveries` });
  const handle = async (data: Uint8Array): Promise<void> => {
    const advisory = AdvisorySchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
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
  };
  const loop = (async () => {
    for await (const m of sub) {
      for (let attempt = 1; ; attempt++) {
        try {
          await handle(m.data);
          break;
        } catch (error) {
          if (attempt >= ATTEMPTS || sub.isClosed()) {
            logger.error({ err: error }, 'could not end a task that ran out of deliveries');
            break;
          }
          await new Promise((r) =>
            setTimeout(r, backoffDelay(attempt, { baseMs: options.retryBaseMs, maxMs: 30_000 })),
          );
        }
      }
    }
  })();
  return {
    stop: async () => {
      await sub.drain().catch(() => {});
      await loop;
    },
  };
}

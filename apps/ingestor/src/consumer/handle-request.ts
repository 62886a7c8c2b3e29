import type { JsMsg } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { createStepEvent, parseEvent, parseIngestSubject, type IngestRequested } from '@symbology/contracts';
import type { Database } from '@symbology/db';
import { backoffDelay, isPostgresUnavailable, postgresCheck } from '@symbology/service';
import { endInterrupted } from '../ingest/end-interrupted';
import { stepContext } from '../ingest/step-publisher';
import { LeaseLost, takeLease, type TaskLease } from '../ingest/task-lease';
import {
  HandedBack,
  runIngestTask,
  type Delivery,
  type IngestTaskDeps,
  type RetryPolicy,
  type TaskOutcome,
} from '../ingest/run-ingest-task';
import type { Logger } from '../logger';
import type { IngestorMetrics } from '../ops/metrics';
import { HAND_BACK } from './consume-loop';
import type { IsolationGate } from './isolation-gate';
import { outageHold, PROBE_TIMEOUT_MS } from './outage-hold';
import { TaskStalled, watchStall, type StallWatch } from './stall-watch';
import { recordDeadLetter } from '../storage/dead-letters';

export type HandlerDeps = {
  task: IngestTaskDeps;
  db: Database;
  logger: Logger;
  metrics: IngestorMetrics;
  ackWaitMs: number;
  maxDeliver: number;
  retry: RetryPolicy;
  /** A delivery with no progress for this long is given up (consumer/stall-watch.ts). */
  stallMs: number;
  /**
   * Acknowledges a delivery whose task is terminal; `msg.ackAck()` unless a test puts a fault at
   * exactly that point (the step after the terminal event is on the stream).
   */
  acknowledge?: (msg: JsMsg) => Promise<unknown>;
  /** The `ingest_leases` bucket, and this replica's name in it. */
  leases: KV;
  holder: string;
  /** How long one delivery may be held while Postgres does not answer (consumer/outage-hold.ts); 0: never. */
  outageHoldMs: number;
  /** Aborted when the replica drains: a held delivery is handed back at once. */
  drain?: AbortSignal;
  /** Runs a delivery whose last one died unsettled with nothing beside it (isolation-gate.ts). */
  gate: IsolationGate;
};

/** The task's deps with every publish fenced: a holder whose lease was taken stops before publishing. */
function fenced(task: IngestTaskDeps, lease: TaskLease): IngestTaskDeps {
  return {
    ...task,
    publish: async (event) => {
      await lease.check();
      return task.publish(event);
    },
  };
}

/**
 * Settles one `ingest.<taskId>.requested` delivery: term + dead letter when it is not a valid
 * request; otherwise run the task and ack only once its terminal event is on the stream; nak with
 * a delay when EDGAR or our own infrastructure failed in a way a later delivery may get past.
 */
export function createRequestHandler(deps: HandlerDeps): (msg: JsMsg) => Promise<void | typeof HAND_BACK> {
  const postgres = postgresCheck(deps.db.$client, { timeoutMs: PROBE_TIMEOUT_MS });
  const probe = async () => postgres.run();
  return async (msg) => {
    const log = deps.logger.child({ seq: msg.seq, subject: msg.subject, delivery: msg.info.deliveryCount });
    const request = validRequest(msg);
    if (!request.ok) {
      await deadLetter(msg, request.reason, deps, log);
      return;
    }
    const event = request.event;
    const taskLog = log.child({ taskId: event.taskId, correlationId: event.correlationId });
    if (msg.info.deliveryCount > deps.maxDeliver) {
      await endSpentRequest(msg, event, deps, taskLog);
      return;
    }
    const delivery = { number: msg.info.deliveryCount, max: deps.maxDeliver };
    const stall = watchStall(deps.stallMs);
    // Heartbeat so a long EDGAR stretch (rate limit, retries) is not mistaken for a crash, as long
    // as the task progresses: a stuck one stops being kept, and its worker is freed.
    const heartbeat = setInterval(
      () => {
        if (!stall.check()) return clearInterval(heartbeat);
        try {
          msg.working();
        } catch (error) {
          // A closed connection: the delivery will come back after ack_wait; nothing to do here.
          taskLog.debug({ err: error }, 'heartbeat failed');
        }
      },
      Math.max(500, Math.floor(deps.ackWaitMs / 3)),
    );
    deps.metrics.tasksInFlight.inc();
    let task: IngestTaskDeps = { ...deps.task, logger: taskLog };
    let lease: TaskLease | undefined;
    let leave: (() => void) | undefined;
    // Every way a delivery settles gives the lease back: one found still taken marks a crash.
    const release = () => lease && giveBack(lease, taskLog);
    try {
      let outcome: TaskOutcome;
      try {
        lease = await takeLease(deps.leases, event.taskId, holderOf(msg, deps));
        const { vanished } = lease;
        if (vanished && vanished.diedAlone >= DIED_ALONE_LIMIT) {
          await endCrashingRequest(msg, event, vanished.diedAlone, { ...deps, task }, taskLog);
          await release();
          return;
        }
        if (vanished)
          taskLog.warn({ diedAlone: vanished.diedAlone }, 'the last delivery died unsettled: running alone');
        // Waiting on the gate is no stall: the tasks in hand it waits for have bounds of their own.
        leave = await stall.paused(deps.gate.enter(vanished ? 'alone' : 'beside'));
        if (vanished) await lease.markAlone(vanished.diedAlone);
        task = stall.watched(fenced(task, lease));
        const run = () => Promise.race([runIngestTask(event, delivery, task, deps.retry), stall.stalled]);
        const announce = announceHold(event, delivery, task);
        outcome = await holdingThroughOutages(run, { ...deps, probe, stall, announce }, taskLog);
      } catch (error) {
        if (error instanceof LeaseLost) {
          // Another delivery of this request holds the task now (we were cut off past ack_wait):
          // the message is theirs to settle; this holder just stops.
          deps.metrics.tasks.inc({ outcome: 'lease_lost' });
          taskLog.warn('lease lost: another delivery holds this task now; stopping here');
          return;
        }
        if (error instanceof HandedBack) {
          // Shutting down: the loop hands it back without delay (once its own pulls are closed), so
          // another replica (or this one restarted) resumes at once.
          deps.metrics.tasks.inc({ outcome: 'handed_back' });
          taskLog.info('draining: request handed back after the filing in hand');
          await release();
          return HAND_BACK;
        }
        if (error instanceof TaskStalled) {
          // What it awaits may still settle: its next publish is fenced by the lease the next
          // delivery takes. Retried (or ended on the last delivery) like any infrastructure error.
          deps.metrics.tasks.inc({ outcome: 'stalled' });
          taskLog.error({ err: error }, 'task stalled; giving its delivery up');
        }
        await onInfrastructureError(msg, event, error, { ...deps, task }, taskLog);
        await release();
        return;
      }
      if (outcome.kind === 'retry') {
        taskLog.warn(
          { delayMs: outcome.delayMs, reason: outcome.reason },
          'EDGAR failed before the filings; retrying the task later',
        );
        deps.metrics.tasks.inc({ outcome: 'retry' });
        msg.nak(outcome.delayMs);
        await release();
        return;
      }
      // The terminal event is on the stream: the task is over, whatever happens to this ack.
      deps.metrics.tasks.inc({ outcome: outcome.alreadyDone ? 'already_done' : outcome.terminal });
      taskLog.info({ terminal: outcome.terminal, alreadyDone: outcome.alreadyDone }, 'task finished');
      await acknowledgeTerminal(msg, deps, taskLog);
      await release();
    } finally {
      leave?.();
      clearInterval(heartbeat);
      deps.metrics.tasksInFlight.dec();
    }
  };
}

/**
 * Deliveries that ran alone (isolation-gate.ts) and whose process died under them before a task
 * is ended as the cause: run once more it would take its process down again. Two, so that one
 * crash that merely coincided (an OOM kill from outside, a deploy) is not blamed on it.
 */
const DIED_ALONE_LIMIT = 2;

/** Ends a request whose process died under it each time it ran alone, with what it stored. */
function endCrashingRequest(msg: JsMsg, event: IngestRequested, diedAlone: number, deps: HandlerDeps, log: Logger) {
  return endUnrun(msg, event, deps, log.child({ diedAlone }), {
    why: `because its process stopped each of the ${diedAlone} times it worked on it alone`,
    // Asking again would stop it again: no promise that a retry helps.
    advice: 'something in what EDGAR serves for this company stops it. What was stored is kept.',
    outcome: 'crashed_alone',
    level: 'error',
    said: 'the ingestor died under this request each time it ran alone; ended it',
  });
}

type Ending = { why: string; advice?: string; outcome: string; level: 'warn' | 'error'; said: string };

/**
 * Ends a task without running it again, with what it stored (endInterrupted: unless it already
 * ended), counts and logs why, and acks the delivery.
 */
async function endUnrun(msg: JsMsg, event: IngestRequested, deps: HandlerDeps, log: Logger, ending: Ending) {
  const ended = await endInterrupted(event, { ...deps.task, logger: log }, ending.why, ending.advice);
  if (ended) {
    deps.metrics.tasks.inc({ outcome: ending.outcome });
    log[ending.level]({ terminal: ended }, ending.said);
  }
  await acknowledgeTerminal(msg, deps, log);
}

/** Gives the lease back; a failure only costs the next delivery a needless run alone. */
const giveBack = (lease: TaskLease, log: Logger) =>
  lease.release().catch((error: unknown) => log.warn({ err: error }, 'could not release the task lease'));

/** This delivery's name in the task lease: the replica, the request and the delivery number. */
const holderOf = (msg: JsMsg, deps: HandlerDeps) => `${deps.holder}/${msg.seq}/${msg.info.deliveryCount}`;

/**
 * Runs the task; while it fails because Postgres is down, holds the delivery (heartbeats go on, so
 * it is not redelivered and its delivery count does not grow) until the database answers, then runs
 * it again: what was committed is skipped, as on a redelivery. An outage is ours, not the task's:
 * it must not spend the request's deliveries nor end it `failed`. Past INGEST_OUTAGE_HOLD_MS, or on
 * any other error, throws as before; on a drain, hands the request back.
 */
async function holdingThroughOutages(
  run: () => Promise<TaskOutcome>,
  deps: HandlerDeps & { probe: () => Promise<unknown>; stall: StallWatch; announce: HoldAnnouncer },
  log: Logger,
): Promise<TaskOutcome> {
  const hold = outageHold({ maxMs: deps.outageHoldMs, probe: deps.probe, drain: deps.drain });
  for (let holds = 1; ; holds++) {
    try {
      return await run();
    } catch (error) {
      if (deps.outageHoldMs <= 0 || !isPostgresUnavailable(error)) throw error;
      log.warn({ err: error }, 'Postgres unavailable: holding the task until it answers again');
      deps.metrics.tasksHeld.inc();
      // Awaited before the run goes on, so a resumed step never lands before the pause it follows.
      const announced = deps
        .announce(hold.until(), holds)
        .catch((cause: unknown) => log.warn({ err: cause }, 'could not announce the hold; holding all the same'));
      const held = Promise.all([hold.waitForDatabase(), announced]).then(([end]) => end);
      const end = await deps.stall.paused(held).finally(() => deps.metrics.tasksHeld.dec());
      deps.metrics.outageHolds.inc({ outcome: end.kind });
      if (end.kind === 'handed_back') {
        throw new HandedBack('replica draining while the task was held for Postgres', { cause: error });
      }
      if (end.kind === 'expired') {
        log.warn({ heldMs: end.heldMs }, 'Postgres still unavailable at the end of the hold; giving the delivery up');
        throw error;
      }
      log.info({ heldMs: end.heldMs }, 'Postgres answers again: resuming the task');
    }
  }
}

/** Publishes that the delivery is held for the database (its `holds`-th hold), until `untilMs` at the latest. */
type HoldAnnouncer = (untilMs: number, holds: number) => Promise<void>;

const DATABASE_DOWN = "Symbology's database is not answering";

/**
 * The hold as the task's watchers see it: an IngestDelayed of kind `held`, one per hold of this
 * delivery (its id is fixed by both), published with the task's fenced publish.
 */
function announceHold(request: IngestRequested, delivery: Delivery, task: IngestTaskDeps): HoldAnnouncer {
  const ctx = stepContext(request, task.now);
  return async (untilMs, holds) => {
    const data = {
      kind: 'held',
      error: { code: 'database_unavailable', message: DATABASE_DOWN },
      attempt: delivery.number,
      attempts: delivery.max,
      retryAt: new Date(untilMs).toISOString(),
    } as const;
    await task.publish(createStepEvent(ctx, { type: 'IngestDelayed', data }, `held-${delivery.number}-${holds}`));
  };
}

/**
 * Acks a delivery whose task already has its terminal event. A failure here is NATS trouble, not
 * the task's: it is logged and nothing else is published; the redelivery finds the terminal event
 * in the task's history and acks.
 */
async function acknowledgeTerminal(msg: JsMsg, deps: HandlerDeps, log: Logger): Promise<void> {
  try {
    await (deps.acknowledge ?? ((m: JsMsg) => m.ackAck()))(msg);
  } catch (error) {
    deps.metrics.tasks.inc({ outcome: 'ack_failed' });
    log.warn({ err: error }, 'could not ack a finished task; its terminal event stands and a redelivery acks it');
  }
}

type Validated = { ok: true; event: IngestRequested } | { ok: false; reason: string };

function validRequest(msg: JsMsg): Validated {
  const parsed = parseEvent(msg.data);
  if (!parsed.ok) return { ok: false, reason: `${parsed.reason}: ${parsed.message}` };
  const { event } = parsed;
  if (event.type !== 'IngestRequested')
    return { ok: false, reason: `expected IngestRequested on ${msg.subject}, got ${event.type}` };
  if (parseIngestSubject(msg.subject)?.taskId !== event.taskId) {
    return { ok: false, reason: `taskId ${event.taskId} does not match the subject ${msg.subject}` };
  }
  return { ok: true, event };
}

async function deadLetter(msg: JsMsg, reason: string, deps: HandlerDeps, log: Logger): Promise<void> {
  try {
    await recordDeadLetter(deps.db, {
      subject: msg.subject,
      seq: msg.seq,
      payload: new TextDecoder().decode(msg.data),
      reason,
    });
    msg.term(reason.slice(0, 200));
    deps.metrics.deadLetters.inc();
    log.warn({ reason }, 'poison message recorded as a dead letter and terminated');
  } catch (error) {
    // Not recorded means not terminated: the message comes back once Postgres does.
    log.error({ err: error }, 'could not record a dead letter; will retry the message');
    msg.nak(retryDelay(msg.info.deliveryCount, deps.retry));
  }
}

/**
 * A delivery past INGEST_MAX_DELIVER: every earlier one was interrupted before it could end the
 * task (killed, or NATS gone as it tried). It fetches nothing: it takes the lease (a stale holder
 * stops at its next step), ends the task with what it stored unless it already ended, and acks. If that fails too, the
 * request comes back after a backoff (or ack_wait, if this process dies): the server never gives a
 * request up (provision-consumer.ts), so every request reaches a terminal event.
 */
async function endSpentRequest(msg: JsMsg, event: IngestRequested, deps: HandlerDeps, log: Logger): Promise<void> {
  try {
    const lease = await takeLease(deps.leases, event.taskId, holderOf(msg, deps));
    await endUnrun(msg, event, deps, log, {
      why: attemptsSpent(deps.maxDeliver),
      outcome: 'deliveries_spent',
      level: 'warn',
      said: 'request ran out of deliveries without ending; ended it with what it stored',
    });
    await giveBack(lease, log);
  } catch (error) {
    log.error({ err: error }, 'could not end a request whose deliveries ran out; it comes back');
    msg.nak(retryDelay(msg.info.deliveryCount, deps.retry));
  }
}

const attemptsSpent = (maxDeliver: number) => `after ${maxDeliver} ${maxDeliver === 1 ? 'attempt' : 'attempts'}`;

/**
 * Postgres or NATS failed under the task. Whatever was committed stays (and is skipped on the next
 * delivery); until the last delivery the request goes back for a retry. On the last one the task
 * ends with what it stored (endInterrupted), unless it already ended: a task is never ended twice.
 */
async function onInfrastructureError(
  msg: JsMsg,
  event: IngestRequested,
  error: unknown,
  deps: HandlerDeps,
  log: Logger,
): Promise<void> {
  log.error({ err: error }, 'task interrupted by an infrastructure error');
  deps.metrics.tasks.inc({ outcome: 'error' });
  if (msg.info.deliveryCount < deps.maxDeliver) {
    msg.nak(retryDelay(msg.info.deliveryCount, deps.retry));
    return;
  }
  try {
    await endInterrupted(event, deps.task, attemptsSpent(deps.maxDeliver));
  } catch (final) {
    // Neither the history nor the stream answers: leave the message to ack_wait; its next
    // delivery, past the last, ends the task (endSpentRequest).
    log.error({ err: final }, 'could not end the task on its last delivery');
    return;
  }
  await acknowledgeTerminal(msg, deps, log);
}

function retryDelay(deliveryCount: number, retry: RetryPolicy): number {
  return backoffDelay(deliveryCount, { baseMs: retry.baseDelayMs, maxMs: retry.maxDelayMs });
}

import {
  createStepEvent,
  type EventContext,
  type IngestEvent,
  type IngestRequested,
  type TerminalEventType,
} from '@symbology/contracts';
import type { Database } from '@symbology/db';
import { backoffDelay } from '@symbology/service';
import type { EdgarClient } from '../edgar/edgar-client';
import type { Extractor } from '../edgar/workers/extraction-pool';
import type { FactsReader } from '../edgar/workers/facts-pool';
import type { TickerDirectory } from '../edgar/ticker-directory';
import type { Logger } from '../logger';
import { cancelledData } from './cancel-watch';
import { loadFacts, type CompanyFactsSource } from './load-facts';
import { ingestFiling } from './ingest-filing';
import { filingEvent } from './filing-outcome';
import { settleFilings } from './end-interrupted';
import type { PlannedFiling, WorkPlan } from './plan-work';
import { toSelectedFiling } from './resolve-company';
import { resolveWork, type ResolvedWork } from './resolve-work';
import { createStepPublisher, stepContext, type PublishFn, type StepPublisher } from './step-publisher';
import { TaskFailure } from './task-errors';
import { taskProgress, totals, type FilingOutcome, type TaskProgress } from './task-progress';

export type IngestTaskDeps = {
  edgar: EdgarClient;
  extractor: Extractor;
  /** Reads companyfacts in a worker thread, within its budget. */
  factsReader: FactsReader;
  tickers: TickerDirectory;
  db: Database;
  publish: PublishFn;
  /** The task's own events so far, in stream order. */
  history: (taskId: string) => Promise<IngestEvent[]>;
  /** Whether someone asked to cancel the task (asked between filings). */
  cancelRequested: (taskId: string) => Promise<boolean>;
  now: () => Date;
  logger: Logger;
  /**
   * True once this replica is shutting down: the task stops after the filing in hand and its
   * request goes back to the stream at once, for another replica to resume (not after ack_wait).
   */
  draining?: () => boolean;
  /**
   * How long one delivery of a task may spend on its filings, reading companyfacts included
   * (INGEST_TASK_BUDGET_MS):
   * past it, the documents left are recorded missing (retryable) and the task ends, freeing its
   * slot for the tasks queued behind it. Unset: no budget.
   */
  taskBudgetMs?: number;
};

/** Thrown between two filings when the replica drains; the handler hands the request back. */
export class HandedBack extends Error {
  override readonly name = 'HandedBack';
}

/** Which delivery of the request this is, so a transient failure can be retried until the last one. */
export type Delivery = { number: number; max: number };
export type RetryPolicy = { baseDelayMs: number; maxDelayMs: number };

export type TaskOutcome =
  | { kind: 'finished'; terminal: TerminalEventType; alreadyDone: boolean }
  | { kind: 'retry'; delayMs: number; reason: string };

/**
 * Runs one ingestion task from where its own events say it stands: resolve the company, then each
 * selected filing not yet finished, then the terminal event. Every step has a deterministic event
 * id, so running this again after a crash publishes nothing twice and stores no row twice.
 */
export async function runIngestTask(
  request: IngestRequested,
  delivery: Delivery,
  deps: IngestTaskDeps,
  retry: RetryPolicy,
): Promise<TaskOutcome> {
  const progress = taskProgress(await deps.history(request.taskId));
  if (progress.terminal) {
    return {
      kind: 'finished',
      terminal: progress.terminal.type,
      alreadyDone: true,
    };
  }
  const ctx = stepContext(request, deps.now);
  const publish = createStepPublisher(deps.publish, progress.published, deps.logger);
  try {
    // Cancelled before this delivery (or while an earlier one ran): stop before reading EDGAR at all.
    if (progress.cancelRequested) {
      const listed = progress.resolved?.data.filings.map((f) => f.accession) ?? [];
      return await cancel(ctx, publish, listed, progress, deps);
    }
    const lastDelivery = delivery.number >= delivery.max;
    const { profile, plan, listGap } = await resolveAndAnnounce(request, deps, ctx, progress, publish, lastDelivery);
    const stopped = await ingestFilings(profile.cik, plan.filings, deps, ctx, progress, publish, lastDelivery);
    if (stopped) {
      return await cancel(
        ctx,
        publish,
        plan.filings.map((p) => p.filing.accession),
        progress,
        deps,
      );
    }
    // The company's newest reports held from before count: a refresh whose one new report could
    // not be read leaves the company's stored reports as they were, which is no failure of them.
    const heldBefore = plan.alreadyStored + plan.heldInPart > 0;
    const stored =
      (heldBefore ? undefined : nothingStored(profile.name, progress.finished, listGap)) ??
      nothingHeld(profile.name, plan);
    if (stored) throw stored;
    await publish(createStepEvent(ctx, { type: 'IngestCompleted', data: totals(progress.finished, listGap) }));
    return { kind: 'finished', terminal: 'IngestCompleted', alreadyDone: false };
  } catch (error) {
    if (!(error instanceof TaskFailure)) throw error;
    if (error.retryable && delivery.number < delivery.max) {
      const backoff = backoffDelay(delivery.number, { baseMs: retry.baseDelayMs, maxMs: retry.maxDelayMs });
      // EDGAR's Retry-After wins over our own schedule, up to the same cap.
      const delayMs = Math.min(retry.maxDelayMs, Math.max(backoff, error.retryAfterMs ?? 0));
      // Said on the stream, so whoever watches the task sees why nothing moves and until when.
      const retryAt = new Date(deps.now().getTime() + delayMs).toISOString();
      const data = {
        kind: 'retry',
        error: error.info,
        attempt: delivery.number,
        attempts: delivery.max,
        retryAt,
      } as const;
      await publish(createStepEvent(ctx, { type: 'IngestDelayed', data }, `attempt-${delivery.number}`));
      return { kind: 'retry', delayMs, reason: error.message };
    }
    await publish(createStepEvent(ctx, { type: 'IngestFailed', data: { error: error.info } }));
    return { kind: 'finished', terminal: 'IngestFailed', alreadyDone: false };
  }
}

async function resolveAndAnnounce(
  request: IngestRequested,
  deps: IngestTaskDeps,
  ctx: EventContext,
  progress: TaskProgress,
  publish: StepPublisher,
  lastDelivery: boolean,
): Promise<ResolvedWork> {
  const work = await resolveWork(request, deps, progress, lastDelivery);
  const { profile, plan, listGap } = work;
  const filings = plan.filings.map((p) => toSelectedFiling(p.filing));
  await publish(
    createStepEvent(ctx, {
      type: 'CompanyResolved',
      data: {
        ...profile,
        filings,
        alreadyStored: plan.alreadyStored,
        heldInPart: plan.heldInPart,
        heldNothing: plan.heldNothing,
        ...(listGap && { listGap }),
      },
    }),
  );
  return work;
}

/**
 * Ends the task `cancelled` after the filing in hand, counting what its filings hold. A filing an
 * earlier delivery started and did not finish gets its outcome first, from what it stored.
 */
async function cancel(
  ctx: EventContext,
  publish: StepPublisher,
  listed: readonly string[],
  progress: TaskProgress,
  deps: IngestTaskDeps,
): Promise<TaskOutcome> {
  const resolved = progress.resolved?.data;
  if (resolved) {
    const cut = resolved.filings.filter(
      (f) => progress.started.has(f.accession) && !progress.finished.has(f.accession),
    );
    const message = 'Cancelled while this filing was being worked on; asking for the company again fetches the rest.';
    await settleFilings(cut, { cik: resolved.cik, message }, deps, ctx, publish, progress);
  }
  await publish(createStepEvent(ctx, { type: 'IngestCancelled', data: cancelledData(listed, progress.finished) }));
  return { kind: 'finished', terminal: 'IngestCancelled', alreadyDone: false };
}

/** Works on each planned filing not finished yet; true when it stopped for a cancel request. */
async function ingestFilings(
  cik: string,
  planned: readonly PlannedFiling[],
  deps: IngestTaskDeps,
  ctx: EventContext,
  progress: TaskProgress,
  publish: StepPublisher,
  lastDelivery: boolean,
): Promise<boolean> {
  const remaining = planned.filter((p) => !progress.finished.has(p.filing.accession));
  if (remaining.length === 0) return false;
  const deadline = deps.taskBudgetMs === undefined ? undefined : Date.now() + deps.taskBudgetMs;
  // A retry whose filings hold their facts does not read companyfacts again.
  const factsWanted = remaining.filter((p) => p.parts.includes('facts')).map((p) => p.filing.accession);
  const facts = factsWanted.length > 0 ? await loadFacts(deps, cik, factsWanted, lastDelivery) : FACTS_NOT_NEEDED;
  for (const { filing, parts } of remaining) {
    if (deps.draining?.()) throw new HandedBack('replica draining: handing the task back after the filing in hand');
    if (progress.cancelRequested || (await deps.cancelRequested(ctx.taskId))) return true;
    const { accession } = filing;
    const log = deps.logger.child({ accession });
    await publish(
      createStepEvent(
        ctx,
        { type: 'FilingStarted', data: { accession, form: filing.form, fiscalYear: filing.fiscalYear } },
        accession,
      ),
    );
    const work = {
      taskId: ctx.taskId,
      cik,
      filing,
      parts: new Set(parts),
      ...(deadline !== undefined && { deadline }),
    };
    const result = await ingestFiling({ ...deps, logger: log }, work, facts);
    await publish(createStepEvent(ctx, filingEvent(accession, result), accession));
    progress.finished.set(accession, result.outcome);
    if (result.outcome === 'failed')
      log.warn({ error: result.error }, 'nothing of the filing stored; going on with the next');
    else log.info({ outcome: result.outcome, missing: result.missing.map((m) => m.part) }, 'filing ingested');
  }
  return false;
}

const FACTS_NOT_NEEDED: CompanyFactsSource = { kind: 'loaded', byAccession: new Map() };

/**
 * A task with nothing to fetch for a company that holds nothing of its newest annual reports (each
 * part missing for good: no facts, no document) is no success either: say so, do not say "up to date".
 */
function nothingHeld(name: string, plan: WorkPlan): TaskFailure | undefined {
  const { filings, alreadyStored, heldInPart, heldNothing } = plan;
  if (filings.length > 0 || alreadyStored + heldInPart > 0 || heldNothing === 0) return undefined;
  const which = heldNothing === 1 ? 'its annual report' : `any of its ${heldNothing} newest annual reports`;
  return new TaskFailure(
    'nothing_stored',
    `Nothing is stored for ${name}: EDGAR gives nothing Symbology can store for ${which}, and lists no newer one (each filing's reasons are on the company page)`,
    false,
  );
}

/** A task whose every filing failed stored nothing a person can use: it fails, it never shows green. */
function nothingStored(
  name: string,
  finished: ReadonlyMap<string, FilingOutcome>,
  listGap: string | undefined,
): TaskFailure | undefined {
  const outcomes = [...finished.values()];
  if (outcomes.length === 0 || outcomes.some((o) => o !== 'failed')) return undefined;
  const reports = `${outcomes.length} annual report${outcomes.length === 1 ? '' : 's'}`;
  return new TaskFailure(
    'nothing_stored',
    `Nothing could be stored for ${name}: none of its ${reports} could be read from EDGAR (each filing says why).${listGap ? ` ${listGap}` : ''}`,
    false,
  );
}

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
import type { Extractor } from '../edgar/extraction/extraction-pool';
import type { TickerDirectory } from '../edgar/ticker-directory';
import type { Logger } from '../logger';
import { loadFacts } from './load-facts';
import { ingestFiling } from './ingest-filing';
import { cancelledData } from './cancel-watch';
import type { PlannedFiling } from './plan-work';
import { toSelectedFiling } from './resolve-company';
import { resolveWork, type ResolvedWork } from './resolve-work';
import { createStepPublisher, type PublishFn, type StepPublisher } from './step-publisher';
import { TaskFailure } from './task-errors';
import { missingSections } from './missing-parts';
import { taskProgress, totals, type TaskProgress } from './task-progress';

export type IngestTaskDeps = {
  edgar: EdgarClient;
  extractor: Extractor;
  tickers: TickerDirectory;
  db: Database;
  publish: PublishFn;
  /** The task's own events so far, in stream order. */
  history: (taskId: string) => Promise<IngestEvent[]>;
  /** Whether someone asked to cancel the task (asked between filings). */
  cancelRequested: (taskId: string) => Promise<boolean>;
  now: () => Date;
  logger: Logger;
};

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
  const ctx: EventContext = {
    taskId: request.taskId,
    correlationId: request.correlationId,
    causationId: request.eventId,
    now: deps.now,
  };
  const publish = createStepPublisher(deps.publish, progress.published, deps.logger);
  try {
    if (progress.cancelRequested && !progress.resolved) return await cancel(ctx, publish, [], progress);
    const { profile, plan } = await resolveAndAnnounce(request, deps, ctx, progress, publish);
    const stopped = await ingestFilings(profile.cik, plan.filings, deps, ctx, progress, publish);
    if (stopped) return await cancel(ctx, publish, plan.filings, progress);
    await publish(createStepEvent(ctx, { type: 'IngestCompleted', data: totals(progress.finished) }));
    return { kind: 'finished', terminal: 'IngestCompleted', alreadyDone: false };
  } catch (error) {
    if (!(error instanceof TaskFailure)) throw error;
    if (error.retryable && delivery.number < delivery.max) {
      const backoff = backoffDelay(delivery.number, { baseMs: retry.baseDelayMs, maxMs: retry.maxDelayMs });
      // EDGAR's Retry-After wins over our own schedule, up to the same cap.
      const delayMs = Math.min(retry.maxDelayMs, Math.max(backoff, error.retryAfterMs ?? 0));
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
): Promise<ResolvedWork> {
  const work = await resolveWork(request, deps, progress);
  const { profile, plan } = work;
  await publish(
    createStepEvent(ctx, {
      type: 'CompanyResolved',
      data: {
        ...profile,
        filings: plan.filings.map((p) => toSelectedFiling(p.filing)),
        alreadyStored: plan.alreadyStored,
      },
    }),
  );
  return work;
}

/** Ends the task `cancelled` after the filing in hand, counting what its filings hold. */
async function cancel(
  ctx: EventContext,
  publish: StepPublisher,
  planned: readonly PlannedFiling[],
  progress: TaskProgress,
): Promise<TaskOutcome> {
  const listed = planned.map((p) => p.filing.accession);
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
): Promise<boolean> {
  const remaining = planned.filter((p) => !progress.finished.has(p.filing.accession));
  if (remaining.length === 0) return false;
  const facts = await loadFacts(deps, cik);
  for (const { filing } of remaining) {
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
    const result = await ingestFiling(deps, cik, filing, facts.get(accession) ?? []);
    if (result.ok) {
      const { factsStored, sectionsStored, primaryDocumentUrl } = result;
      const missing = missingSections(result.sections);
      const outcome = missing.length === 0 ? 'completed' : 'partial';
      await publish(
        createStepEvent(
          ctx,
          {
            type: 'FilingCompleted',
            data: { accession, outcome, factsStored, sectionsStored, primaryDocumentUrl, missing },
          },
          accession,
        ),
      );
      progress.finished.set(accession, outcome);
      log.info({ factsStored, sectionsStored, missing: missing.map((m) => m.part) }, 'filing ingested');
    } else {
      await publish(
        createStepEvent(
          ctx,
          { type: 'FilingFailed', data: { accession, error: result.error, retryable: result.retryable } },
          accession,
        ),
      );
      progress.finished.set(accession, 'failed');
      log.warn({ error: result.error }, 'filing failed; going on with the next');
    }
  }
  return false;
}

import {
  createStepEvent,
  FilingPartSchema,
  type EventContext,
  type IngestRequested,
  type SelectedFiling,
  type TerminalEventType,
} from '@symbology/contracts';
import { secArchiveUrl } from '../edgar/sec-archive-url';
import { readParts, type PartRecord } from '../storage/filing-parts';
import { filingEvent, filingResult } from './filing-outcome';
import type { IngestTaskDeps } from './run-ingest-task';
import { createStepPublisher, stepContext, type StepPublisher } from './step-publisher';
import { taskProgress, totals, type TaskProgress } from './task-progress';

type EndDeps = Pick<IngestTaskDeps, 'db' | 'history' | 'publish' | 'now' | 'logger'>;

/**
 * Ends a task that could not finish (every delivery was interrupted), saying what it holds: each
 * filing it listed and left without an outcome gets one from what Postgres holds of it now, and
 * the task ends `IngestCompleted` (with errors) when some filing holds something, `IngestFailed`
 * only when none does: the data a task stored before it was cut off is never reported as nothing.
 * Unless the task's history already holds a terminal event: a task is never ended twice. Every
 * event id is the one the task itself would have used, so replicas that both end it store it once.
 * `why` ends "could not finish this task …"; `advice` says what follows for the person.
 * Returns the terminal event this call published, if any.
 */
export async function endInterrupted(
  request: IngestRequested,
  deps: EndDeps,
  why: string,
  advice = 'it was interrupted each time. Ask for the company again to retry.',
): Promise<TerminalEventType | undefined> {
  const progress = taskProgress(await deps.history(request.taskId));
  if (progress.terminal) {
    deps.logger.info({ terminal: progress.terminal.type }, 'task already ended; not ending it again');
    return undefined;
  }
  const ctx = stepContext(request, deps.now);
  const publish = createStepPublisher(deps.publish, progress.published, deps.logger);
  // The cause is in the logs; the events say what a person can do about it.
  const message = `The ingestor could not finish this task ${why}: ${advice}`;
  const resolved = progress.resolved?.data;
  if (resolved) {
    const unsettled = resolved.filings.filter((f) => !progress.finished.has(f.accession));
    const cut = unsettled.filter((f) => progress.started.has(f.accession));
    const unreached = unsettled.filter((f) => !progress.started.has(f.accession));
    await settleFilings(cut, { cik: resolved.cik, message }, deps, ctx, publish, progress);
    const notReached = `The task was interrupted before it reached this filing (it could not finish ${why}). Ask for the company again to fetch it.`;
    await settleFilings(unreached, { cik: resolved.cik, message: notReached }, deps, ctx, publish, progress);
  }
  if ([...progress.finished.values()].some((outcome) => outcome !== 'failed')) {
    const data = totals(progress.finished, progress.resolved?.data.listGap);
    await publish(createStepEvent(ctx, { type: 'IngestCompleted', data }));
    return 'IngestCompleted';
  }
  await publish(createStepEvent(ctx, { type: 'IngestFailed', data: { error: { code: 'internal_error', message } } }));
  return 'IngestFailed';
}

/**
 * Gives each of `filings` its outcome from what Postgres holds of it now (whichever delivery
 * stored it), publishes it with the id the task's own step has, and records it in `progress`.
 * A part with no record at all was never reached: missing because the task stopped, retryable.
 */
export async function settleFilings(
  filings: readonly SelectedFiling[],
  why: { cik: string; message: string },
  deps: Pick<IngestTaskDeps, 'db'>,
  ctx: EventContext,
  publish: StepPublisher,
  progress: TaskProgress,
): Promise<void> {
  for (const filing of filings) {
    const held = await readParts(deps.db, { cik: why.cik, accession: filing.accession });
    const unreached = FilingPartSchema.options
      .filter((part) => !held.some((h) => h.part === part))
      .map((part): PartRecord => ({ part, status: 'missing', size: 0, ...interrupted(why.message) }));
    const url = secArchiveUrl(why.cik, filing.accession, filing.primaryDocument ?? null);
    const result = filingResult([...held, ...unreached], url);
    await publish(createStepEvent(ctx, filingEvent(filing.accession, result), filing.accession));
    progress.finished.set(filing.accession, result.outcome);
  }
}

const interrupted = (message: string) => ({ code: 'task_interrupted', message, retryable: true });

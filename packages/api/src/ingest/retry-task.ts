import { isTerminal, TickerSchema, type TaskStatus } from '@symbology/contracts';
import { filingsToRetry, readFilingHoldings, REFUSED_BY_SYMBOLOGY } from '@symbology/db';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { admitIngestRequest, countForPeer, ensureIngestQueueRoom, ensurePeerRoom } from './admission';
import { claimTicker } from './claim-ticker';
import { readLiveStatus } from './read-live-status';
import { answer, type IngestRequestResult } from './request-ingest';

/**
 * An explicit retry of what task `taskId` left undone: its failed, partial (with a part that may
 * now be had) and never attempted filings, as a `retry` task with `retryOf`. A task in flight for
 * the same ticker is joined instead (one task per ticker).
 */
export async function retryTask(ctx: TrpcContext, taskId: string): Promise<IngestRequestResult> {
  const status = await readLiveStatus(ctx, taskId);
  if (!status) throw new AppError('NOT_FOUND', `No ingestion task ${taskId}`);
  if (!isTerminal(status)) {
    throw new AppError('CONFLICT', `Task ${taskId} is still ${status.status}: it can be retried once it has ended`);
  }
  const nothing = await nothingToRetry(ctx, status);
  if (nothing) throw new AppError('CONFLICT', `Task ${taskId} left nothing to retry: ${nothing}`);
  admitIngestRequest(ctx);
  const ticker = TickerSchema.parse(status.ticker);
  const outcome = await claimTicker(ctx, ticker, async () => {
    await ensurePeerRoom(ctx);
    await ensureIngestQueueRoom(ctx);
    return { mode: 'retry', retryOf: taskId };
  });
  if (outcome.kind === 'started') countForPeer(ctx, outcome.taskId);
  return answer(ctx, ticker, outcome);
}

/** Why a retry of the task would have nothing to do, in words for the person who asked; undefined when it would. */
async function nothingToRetry(ctx: TrpcContext, status: TaskStatus): Promise<string | undefined> {
  // A task that ended before it listed the company's filings (EDGAR down, cancelled early) is retried whole.
  if ((status.status === 'failed' || status.status === 'cancelled') && status.filings.length === 0) return undefined;
  if (!status.company) return undefined;
  const holdings = await readFilingHoldings(ctx.db, {
    cik: status.company.cik,
    accessions: status.filings.map((f) => f.accession),
  });
  if (filingsToRetry(holdings, status.filings).length > 0) return undefined;
  const missing = holdings.flatMap((h) => h.parts.filter((p) => p.status === 'missing'));
  if (missing.length === 0) return 'every filing it worked on is stored';
  // A part one of our own limits refused is fetched again by the company's next refresh, not by a retry.
  return missing.some((p) => p.code !== null && REFUSED_BY_SYMBOLOGY.has(p.code))
    ? 'asking again now would get the same answer: what its filings miss was refused by a limit of Symbology’s (each filing says which), and the company’s next refresh with EDGAR reads it again'
    : 'what its filings miss is missing for good (EDGAR said the document or data does not exist), so asking again would get the same answer';
}

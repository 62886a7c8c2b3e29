import type { DeferredBecause, RouterOutputs } from '@symbology/api';
import type { TaskStatus } from '@symbology/contracts';
import type { SymbologyClient } from '../../client';
import { ExitCode, exitCodeForTask } from '../exit-codes';
import { followTask } from '../follow-task';
import { createProgressView, filingProblems, taskGap } from '../progress-view';

export type IngestOptions = { ticker: string; follow: boolean; poll: boolean; json: boolean; retry?: boolean };
type IngestAnswer = RouterOutputs['ingest']['request'];

/**
 * `symbology ingest AAPL [--follow]`: asks for an ingestion, and with --follow watches it to the end.
 * A company already stored answers at once; a refresh or retry the API starts behind it is followed
 * like any task. `--retry` asks for a retry of what the company's last tasks could not store.
 */
export async function ingestCommand(
  client: SymbologyClient,
  options: IngestOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const answer = options.retry
    ? await requestRetry(client, options.ticker)
    : await client.api.ingest.request.mutate({ ticker: options.ticker });
  if (typeof answer === 'number') return answer;
  const task = taskOf(answer);
  if (!task) return knownCompany(client, answer, options.json, out);
  if (!options.follow) {
    out.write(options.json ? `${JSON.stringify(answer)}\n` : `${task.taskId}${task.note}\n`);
    return ExitCode.Ok;
  }
  if (!options.json) process.stderr.write(`task ${task.taskId}${task.note}\n`);
  return followToOutcome(client, task.taskId, options, out);
}

/**
 * A known company with nothing started: "stored and up to date" only when something is stored and
 * no update waits for room in the queue. A company whose ingestion stored no annual report (every
 * one failed for good) exits 4, not found, so a script never reads the answer as a success.
 */
async function knownCompany(
  client: SymbologyClient,
  answer: IngestAnswer,
  json: boolean,
  out: NodeJS.WritableStream,
): Promise<ExitCode> {
  const company = await client.api.company.byTicker.query({ ticker: answer.ticker });
  const nothingStored = !company?.storedAny;
  const deferred = answer.status === 'exists' ? answer.deferred : null;
  out.write(json ? `${JSON.stringify(answer)}\n` : `${knownCompanyLine(answer.ticker, nothingStored, deferred)}\n`);
  return nothingStored ? ExitCode.NotFound : ExitCode.Ok;
}

export function knownCompanyLine(ticker: string, nothingStored: boolean, deferred: DeferredBecause | null): string {
  const why = `symbology company ${ticker}`;
  const wait =
    deferred === 'peer_busy'
      ? 'an update from EDGAR is due, but the ingestions you asked for fill your share of the queue: ask again once one has started or finished'
      : 'an update from EDGAR is due, but the ingestion queue is full: ask again in a while';
  if (nothingStored) {
    return deferred
      ? `${ticker} is known, but no annual report of it is stored; ${wait}. Why it has none: ${why}`
      : `${ticker} is known, but no annual report of it is stored, and EDGAR was read for it recently: asking again now would get the same answers. Why it has none: ${why}`;
  }
  return deferred ? `${ticker} is stored (${why}); ${wait}` : `${ticker} is stored and up to date: ${why}`;
}

/**
 * Follows a task to its end: live progress on stderr (or each status as a JSON line on stdout),
 * then the summary; returns the exit code of the outcome.
 */
export async function followToOutcome(
  client: SymbologyClient,
  taskId: string,
  options: { poll: boolean; json: boolean },
  out: NodeJS.WritableStream,
): Promise<ExitCode> {
  const view = createProgressView(process.stderr);
  const final = await followTask(client, taskId, {
    pollOnly: options.poll,
    onStatus: (status) => (options.json ? out.write(`${JSON.stringify(status)}\n`) : view.render(status)),
  });
  if (!options.json) out.write(`${summary(final)}\n`);
  return exitCodeForTask(final.status);
}

/** The task an answer points at, with a note saying what it is; undefined when nothing runs. */
function taskOf(answer: IngestAnswer): { taskId: string; note: string } | undefined {
  if (answer.status !== 'exists') {
    const kind = answer.mode === 'initial' ? '' : `a ${answer.mode}`;
    const note = answer.status === 'in_flight' ? ` (already in progress${kind && `: ${kind}`})` : kind && ` (${kind})`;
    return { taskId: answer.taskId, note };
  }
  if (!answer.background) return undefined;
  const { taskId, mode, joined } = answer.background;
  return {
    taskId,
    note: ` (${answer.ticker} is stored; ${joined ? 'joining the' : 'started a'} ${mode} in the background)`,
  };
}

/**
 * `--retry`: retries, through `ingest.retry`, the newest task that left a part missing; a company
 * holding no filing at all is asked for again (the API retries its last task when that is due).
 */
async function requestRetry(client: SymbologyClient, ticker: string): Promise<IngestAnswer | number> {
  const company = await client.api.company.byTicker.query({ ticker });
  if (!company) {
    process.stderr.write(
      `${ticker} is not ingested yet, so there is nothing to retry: symbology ingest ${ticker} --follow\n`,
    );
    return ExitCode.NotFound;
  }
  if (company.filings.length === 0) return client.api.ingest.request.mutate({ ticker });
  const tried = company.filings.flatMap((f) => f.missing.flatMap((m) => (m.taskId ? [m.taskId] : [])));
  // Task ids are UUIDv7: the greatest is the newest.
  const taskId = tried.sort().at(-1);
  if (!taskId) {
    process.stderr.write(`Nothing to retry for ${ticker}: every stored filing holds all its parts.\n`);
    return ExitCode.Conflict;
  }
  return client.api.ingest.retry.mutate({ taskId });
}

/** The last line of a followed task: its message, then each filing that is not whole and why. */
export function summary(status: TaskStatus): string {
  const head = status.status === 'failed' ? `failed: ${status.error ?? status.message}` : status.message;
  return [head, ...taskGap(status), ...filingProblems(status)].join('\n');
}

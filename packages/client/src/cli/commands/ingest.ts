import type { TaskStatus } from '@symbology/contracts';
import type { SymbologyClient } from '../../client';
import { ExitCode, exitCodeForTask } from '../exit-codes';
import { followTask } from '../follow-task';
import { createProgressView, filingProblems } from '../progress-view';

export type IngestOptions = { ticker: string; follow: boolean; poll: boolean; json: boolean };

/** `symbology ingest AAPL [--follow]`: asks for an ingestion, and with --follow watches it to the end. */
export async function ingestCommand(
  client: SymbologyClient,
  options: IngestOptions,
  out = process.stdout,
): Promise<number> {
  const answer = await client.api.ingest.request.mutate({ ticker: options.ticker });
  if (answer.status === 'exists') {
    out.write(
      options.json
        ? `${JSON.stringify(answer)}\n`
        : `${answer.ticker} is already ingested: symbology company ${answer.ticker}\n`,
    );
    return ExitCode.Ok;
  }
  if (!options.follow) {
    const note = answer.status === 'in_flight' ? ' (already in progress)' : '';
    out.write(options.json ? `${JSON.stringify(answer)}\n` : `${answer.taskId}${note}\n`);
    return ExitCode.Ok;
  }
  if (!options.json) process.stderr.write(`task ${answer.taskId}\n`);
  const view = createProgressView(process.stderr);
  const final = await followTask(client, answer.taskId, {
    pollOnly: options.poll,
    onStatus: (status) => (options.json ? out.write(`${JSON.stringify(status)}\n`) : view.render(status)),
  });
  if (!options.json) out.write(`${summary(final)}\n`);
  return exitCodeForTask(final.status);
}

/** The last line of a followed task: its message, then each filing that is not whole and why. */
export function summary(status: TaskStatus): string {
  const head = status.status === 'failed' ? `failed: ${status.error ?? status.message}` : status.message;
  return [head, ...filingProblems(status)].join('\n');
}

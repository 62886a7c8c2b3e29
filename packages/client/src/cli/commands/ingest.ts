import type { TaskStatus } from '@symbology/contracts';
import type { SymbologyClient } from '../../client';
import { ExitCode } from '../exit-codes';
import { followTask } from '../follow-task';
import { createProgressView } from '../progress-view';

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
  return final.status === 'completed' ? ExitCode.Ok : ExitCode.TaskFailed;
}

function summary(status: TaskStatus): string {
  if (status.status === 'failed') return `failed: ${status.error ?? status.message}`;
  const failed = status.filings.filter((f) => f.status === 'failed');
  const lines = [
    status.message,
    ...failed.map((f) => `  FY${f.fiscalYear} ${f.form} ${f.accession}: ${f.error ?? 'failed'}`),
  ];
  return lines.join('\n');
}

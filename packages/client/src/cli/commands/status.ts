import type { SymbologyClient } from '../../client';
import { ExitCode } from '../exit-codes';
import { filingChips, progressLine } from '../progress-view';

/** `symbology status <taskId>`: the projected status, once. */
export async function statusCommand(
  client: SymbologyClient,
  taskId: string,
  json: boolean,
  out = process.stdout,
): Promise<number> {
  const status = await client.api.ingest.status.query({ taskId });
  out.write(
    json
      ? `${JSON.stringify(status)}\n`
      : `${status.ticker} ${status.status}\n${progressLine(status)}\n${filingChips(status)}\n`,
  );
  if (status.status === 'failed') return ExitCode.TaskFailed;
  return ExitCode.Ok;
}

import type { SymbologyClient } from '../../client';
import { ExitCode } from '../exit-codes';
import { followToOutcome } from './ingest';

/**
 * `symbology cancel <taskId> [--follow]`: asks the ingestor to stop the task after the filing in
 * hand (what it stored is kept). With --follow, watches it end and exits with its outcome
 * (`cancelled`: 6; a task that finished before the request reached it: its own outcome). A task
 * that has already ended is a conflict (exit 7).
 */
export async function cancelCommand(
  client: SymbologyClient,
  options: { taskId: string; follow: boolean; poll: boolean; json: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const answer = await client.api.ingest.cancel.mutate({ taskId: options.taskId });
  if (!options.follow) {
    out.write(
      options.json
        ? `${JSON.stringify(answer)}\n`
        : `cancel requested: task ${answer.taskId} stops after the filing in hand (symbology status ${answer.taskId})\n`,
    );
    return ExitCode.Ok;
  }
  if (!options.json) process.stderr.write(`cancel requested: task ${answer.taskId}\n`);
  return followToOutcome(client, answer.taskId, options, out);
}

import type { TaskStatus } from '@symbology/contracts';
import type { SymbologyClient } from '../../client';
import { exitCodeForTask, type ExitCode } from '../exit-codes';
import { filingChips, filingProblems, progressLine, taskGap } from '../progress-view';

/** `symbology status <taskId>`: the projected status, once; exits with the task's outcome. */
export async function statusCommand(
  client: SymbologyClient,
  taskId: string,
  json: boolean,
  out: NodeJS.WritableStream = process.stdout,
): Promise<ExitCode> {
  const status = await client.api.ingest.status.query({ taskId });
  out.write(json ? `${JSON.stringify(status)}\n` : `${describeTask(status)}\n`);
  return exitCodeForTask(status.status);
}

/** The task's state, its bar, a chip per filing and, for each filing not whole, why. */
export function describeTask(status: TaskStatus): string {
  const heading = `${status.ticker} ${status.status.replaceAll('_', ' ')}${status.mode === 'initial' ? '' : ` (${status.mode})`}`;
  return [
    heading,
    progressLine(status),
    filingChips(status),
    ...taskGap(status),
    ...filingProblems(status),
    ...(status.status === 'failed' && status.error ? [`  ${status.error}`] : []),
  ]
    .filter(Boolean)
    .join('\n');
}

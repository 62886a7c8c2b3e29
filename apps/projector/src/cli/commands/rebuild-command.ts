import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CheckpointMismatchError, EmptyRebuildScopeError, RebuildBusyError } from '../../errors';
import { rebuild, type RebuildScope } from '../../rebuild/rebuild';
import { line, withConnections, type CliIo } from '../context';
import { rebuildProgressBar } from '../progress-bar';

const ArgsSchema = z.object({
  task: z.uuid().optional(),
  'from-seq': z.coerce.number().int().positive().optional(),
  verbose: z.boolean().optional(),
});

export async function rebuildCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { task: { type: 'string' }, 'from-seq': { type: 'string' }, verbose: { type: 'boolean' } },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success || (parsed.data.task && parsed.data['from-seq'])) {
    line(io.out, 'usage: symbology-projector rebuild [--task <taskId> | --from-seq <n>]');
    return 2;
  }
  const { task, 'from-seq': fromSeq, verbose } = parsed.data;
  const scope: RebuildScope = task
    ? { kind: 'task', taskId: task }
    : fromSeq
      ? { kind: 'from-seq', fromSeq }
      : { kind: 'all' };
  return withConnections(io, verbose ?? false, async ({ conns, logger }) => {
    const bar = rebuildProgressBar(io.err);
    try {
      const r = await rebuild({
        ...conns,
        logger,
        scope,
        workers: io.env.PROJECTOR_REBUILD_WORKERS,
        onProgress: (p) => bar.update(p),
      });
      bar.stop();
      const rate = Math.round(r.read / Math.max(r.seconds, 0.001));
      line(
        io.out,
        `rebuilt ${describe(scope)}: ${r.tasks} tasks (${r.changedTasks} changed), ${r.filings} filings (${r.changedFilings} changed) from ${r.read} events (${r.skipped} skipped) ` +
          `through seq ${r.throughSeq} in ${r.seconds.toFixed(1)} s, swap ${r.swapSeconds.toFixed(2)} s (${rate} events/s)${r.resetCheckpoint ? '; checkpoint reset to this stream' : ''}`,
      );
      return 0;
    } catch (error) {
      bar.stop();
      if (
        error instanceof RebuildBusyError ||
        error instanceof CheckpointMismatchError ||
        error instanceof EmptyRebuildScopeError
      ) {
        line(io.out, `rebuild refused: ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

function describe(scope: RebuildScope): string {
  switch (scope.kind) {
    case 'all':
      return 'all tasks';
    case 'task':
      return `task ${scope.taskId}`;
    case 'from-seq':
      return `the tasks with events from seq ${scope.fromSeq}`;
    default:
      return scope satisfies never;
  }
}

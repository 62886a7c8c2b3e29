import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CheckpointMismatchError, RebuildBusyError } from '../../errors';
import { classifyEntry } from '../../projections/task-status/classify-entry';
import { getDeadLetter, listDeadLetters, markDeadLetterRetried } from '../../projections/task-status/dead-letters';
import { rebuild } from '../../rebuild/rebuild';
import { line, withConnections, type CliIo } from '../context';

const USAGE = 'usage: symbology-projector dead-letters list [--all] [--limit <n>] [--json] | dead-letters retry <id>';

export async function deadLettersCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') return list(rest, io);
  if (sub === 'retry') return retry(rest, io);
  line(io.out, USAGE);
  return 2;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { all: { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const limit = z.coerce
    .number()
    .int()
    .positive()
    .safeParse(values.limit ?? 100);
  if (!limit.success) return usage(io);
  return withConnections(io, false, async ({ conns }) => {
    const rows = await listDeadLetters(conns.sql, { includeRetried: values.all ?? false, limit: limit.data });
    if (values.json) {
      line(io.out, JSON.stringify(rows));
      return 0;
    }
    if (rows.length === 0)
      line(io.out, values.all ? 'no dead letters' : 'no dead letters waiting (use --all to include retried ones)');
    for (const d of rows) {
      const retried = d.retriedAt ? `retried ${d.retriedAt.toISOString()}` : 'not retried';
      line(
        io.out,
        `#${d.id}  seq ${d.seq ?? '-'}  ${d.at.toISOString()}  ${d.subject}  ${retried}\n    ${d.reason.split('\n').join('\n    ')}`,
      );
    }
    return 0;
  });
}

/**
 * Parses the stored message again with this build (a fix or an upcaster may have shipped), and
 * if it now is a valid event re-folds its task from the stream: the event belongs between its
 * neighbours, so folding it alone onto the current status would be wrong.
 */
async function retry(args: string[], io: CliIo): Promise<number> {
  const id = z.coerce.number().int().positive().safeParse(args[0]);
  if (!id.success || args.length !== 1) return usage(io);
  return withConnections(io, false, async ({ conns, logger }) => {
    const letter = await getDeadLetter(conns.sql, id.data);
    if (!letter) {
      line(io.out, `no dead letter #${id.data}`);
      return 1;
    }
    const c = classifyEntry({ seq: letter.seq ?? 0, subject: letter.subject, payload: letter.payload });
    if (!c.ok) {
      line(io.out, `dead letter #${letter.id} is still unusable (${c.reason}): ${c.message}`);
      return 1;
    }
    try {
      const onSwap = (tx: Parameters<typeof markDeadLetterRetried>[0]) => markDeadLetterRetried(tx, letter.id);
      const r = await rebuild({
        ...conns,
        logger,
        scope: { kind: 'task', taskId: c.event.taskId },
        onSwap,
        retrying: letter.id,
        workers: io.env.PROJECTOR_REBUILD_WORKERS,
      });
      line(
        io.out,
        `dead letter #${letter.id} retried: task ${c.event.taskId} re-folded from ${r.read} events through seq ${r.throughSeq}`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof RebuildBusyError || error instanceof CheckpointMismatchError)) throw error;
      line(io.out, `retry refused: ${error.message}`);
      return 1;
    }
  });
}

function usage(io: CliIo): number {
  line(io.out, USAGE);
  return 2;
}

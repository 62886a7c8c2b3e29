import { parseArgs } from 'node:util';
import { TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { readLag } from '../../ops/lag';
import { line, withConnections, type CliIo } from '../context';

export async function lagCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, verbose: { type: 'boolean' } } });
  return withConnections(io, values.verbose ?? false, async ({ conns }) => {
    const r = await readLag(conns);
    if (values.json) {
      line(io.out, JSON.stringify(r));
      return 0;
    }
    line(io.out, `stream        ${r.stream} head ${r.head} (created ${r.streamCreated})`);
    line(
      io.out,
      `checkpoint    ${r.checkpoint ?? 'none'}${r.checkpointUpdatedAt ? ` (updated ${r.checkpointUpdatedAt})` : ''}${r.checkpointFits ? '' : '  DOES NOT FIT THIS STREAM'}`,
    );
    line(io.out, `lag           ${r.lag} events`);
    const c = r.consumer;
    line(
      io.out,
      `consumer      ${TASK_STATUS_PROJECTION}: ${c ? `${c.pending} pending, ${c.ackPending} awaiting ack, ${c.redelivered} redelivered` : 'not created yet'}`,
    );
    line(io.out, `dead letters  ${r.deadLetters.total} (${r.deadLetters.pending} not retried)`);
    return 0;
  });
}

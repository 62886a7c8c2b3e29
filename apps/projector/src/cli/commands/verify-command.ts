import { parseArgs } from 'node:util';
import { verify } from '../../verify/verify';
import { line, withConnections, type CliIo } from '../context';

/** Prints every difference between the tables and the fold of the stream; exit 1 if any. */
export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { verbose: { type: 'boolean' } } });
  return withConnections(io, values.verbose ?? false, async ({ conns }) => {
    const r = await verify(conns);
    for (const p of r.problems) line(io.out, `PROBLEM ${p}`);
    for (const d of r.differences) {
      line(
        io.out,
        `DIFF task ${d.taskId} ${d.field}: expected ${JSON.stringify(d.expected)}, found ${JSON.stringify(d.found)}`,
      );
    }
    for (const a of r.setAside) line(io.out, `SET ASIDE seq ${a.seq}: ${a.reason}`);
    const bad = r.differences.length + r.problems.length;
    const verdict = bad === 0 ? 'OK' : `${r.differences.length} difference(s), ${r.problems.length} problem(s)`;
    const attention =
      r.setAside.length === 0
        ? ''
        : `; ATTENTION: ${r.setAside.length} event(s) could not be written and were set aside (their tasks show an error): see \`dead-letters list\``;
    line(
      io.out,
      `verify: ${r.tasks} tasks folded from the stream through seq ${r.throughSeq} (head ${r.head}, ${r.skipped} dead-lettered events): ${verdict}${attention}`,
    );
    // An event set aside is a task whose status is not the fold of its events: a person must look.
    return bad === 0 && r.setAside.length === 0 ? 0 : 1;
  });
}

import { z } from 'zod';

/** The operator's page for every refusal the launcher leaves down (exit code 78). */
export const REFUSAL_DOCS = 'docs/operations.md, "When the projector refuses to start"';

const LogLineSchema = z.looseObject({ level: z.number(), msg: z.string() });

/**
 * Why a process that exited with code 78 refused, in one line, from its last lines of output: the
 * last plain (non-JSON) line, the one it prints for an operator, else the message of its last error
 * log line. The stack traces of its JSON log are what an operator does not need to read again.
 */
export function refusalReason(lines: readonly string[]): string | undefined {
  const plain = lines.filter((line) => line.trim() && !line.trimStart().startsWith('{'));
  if (plain.length) return plain.at(-1)?.trim();
  for (const line of [...lines].reverse()) {
    try {
      const parsed = LogLineSchema.safeParse(JSON.parse(line));
      if (parsed.success && parsed.data.level >= 50) return parsed.data.msg;
    } catch {
      // not JSON after all
    }
  }
  return undefined;
}

/** The one line that says a process refused to run until an operator acts, and why. */
export function describeRefusal(name: string, lines: readonly string[]): string {
  const reason = refusalReason(lines);
  return `${name} exited with code 78, refusing to run until an operator acts${reason ? `: ${reason}` : ''}`;
}

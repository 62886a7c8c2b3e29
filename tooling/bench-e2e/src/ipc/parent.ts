import type { z } from 'zod';
import { CommandSchema, type Command, type Reply } from './messages';

/** The side of a bench child process that talks to the orchestrator. */

/** This process's configuration: the JSON argument the orchestrator started it with. */
export function readConfig<S extends z.ZodType>(schema: S): z.infer<S> {
  return schema.parse(JSON.parse(process.argv[2] ?? 'null'));
}

export function tell(reply: Reply): void {
  process.send?.(reply);
}

/**
 * Runs `handler` for each command; a handler that throws is reported as `failed`. `stop` runs the
 * handler (to clean up) and then exits. An orphan (the orchestrator died) exits too.
 */
export function onCommand(handler: (command: Command) => Promise<void> | void): void {
  const failed = (error: unknown) =>
    tell({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.on('message', (raw) => {
    const parsed = CommandSchema.safeParse(raw);
    if (!parsed.success) return failed(new Error(`malformed command: ${parsed.error.message}`));
    const command = parsed.data;
    Promise.resolve()
      .then(() => handler(command))
      .then(
        () => command.kind === 'stop' && process.exit(0),
        (error: unknown) => (command.kind === 'stop' ? process.exit(1) : failed(error)),
      );
  });
  process.once('disconnect', () => process.exit(0));
  process.on('uncaughtException', failed);
  process.on('unhandledRejection', failed);
}

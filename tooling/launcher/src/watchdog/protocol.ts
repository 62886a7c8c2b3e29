import { z } from 'zod';

/**
 * What the launcher tells its watchdog, one JSON object per line on the watchdog's stdin:
 * `watch` a child (its process group when it leads one), `forget` one that exited, and a file to
 * `remove` if the launcher dies (the state file).
 */
export const WatchdogMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('watch'),
    pid: z.number().int().positive(),
    signal: z.enum(['SIGTERM', 'SIGINT']),
    group: z.boolean(),
  }),
  z.object({ kind: z.literal('forget'), pid: z.number().int().positive() }),
  z.object({ kind: z.literal('remove'), path: z.string().min(1) }),
]);
export type WatchdogMessage = z.infer<typeof WatchdogMessageSchema>;
export type WatchedProcess = Extract<WatchdogMessage, { kind: 'watch' }>;

import { z } from 'zod';

/** What one client process is told to do (see client-process.ts). */
export const ClientConfigSchema = z.object({
  system: z.enum(['symbology', 'bullmq']),
  httpUrl: z.string(),
  wsUrl: z.string(),
  /** Subscriber i of the whole run watches tasks[i % tasks.length] of a round; this process has [offset, offset+count). */
  offset: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  /** Subscriptions opened at once, so that thousands of handshakes do not hit the listen backlog together. */
  connectConcurrency: z.number().int().positive(),
});
export type ClientConfig = z.infer<typeof ClientConfigSchema>;

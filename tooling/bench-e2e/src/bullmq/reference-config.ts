import { z } from 'zod';
import { LoadShapeSchema } from '../load/load-shape';

/** The reference server process (ws-server-process.ts). */
export const WsServerConfigSchema = z.object({ redisUrl: z.string(), queue: z.string() });
export type WsServerConfig = z.infer<typeof WsServerConfigSchema>;

/** The reference worker process (worker-process.ts), BullMQ's counterpart of the Symbology publisher. */
export const WorkerConfigSchema = WsServerConfigSchema.extend({ shape: LoadShapeSchema });
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

export const JobDataSchema = z.object({ index: z.number().int().nonnegative() });

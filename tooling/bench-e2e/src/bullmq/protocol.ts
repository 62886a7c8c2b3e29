import { z } from 'zod';

/** The reference server's WebSocket protocol: the client asks for one job, the server pushes its steps. */
export const SubscribeMessageSchema = z.object({ subscribe: z.string().min(1) });
export type SubscribeMessage = z.infer<typeof SubscribeMessageSchema>;

export const StepMessageSchema = z.object({ jobId: z.string(), step: z.number().int(), final: z.boolean() });
export type StepMessage = z.infer<typeof StepMessageSchema>;

/** What the worker passes to `job.updateProgress` and returns at the end. */
export const StepProgressSchema = z.object({ step: z.number().int() });

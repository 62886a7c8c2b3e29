import { z } from 'zod';
import { PersonMessageSchema } from './person-text';

/** Fields every event on the INGEST stream carries, whatever its type. */
export const EnvelopeSchema = z.object({
  eventId: z.uuid(),
  schemaVersion: z.number().int().positive(),
  taskId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The eventId of the event that caused this one; null for the request that starts a task. */
  causationId: z.uuid().nullable(),
  /** Ties every event and log line of one user request together across services. */
  correlationId: z.string().min(1).max(200),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** A machine-readable code (snake_case) and a message a person can act on. */
export const ErrorCodeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'snake_case error code');

export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  message: PersonMessageSchema,
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

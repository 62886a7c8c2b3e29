import { z } from 'zod';

/** Fields every event on the INGEST stream carries, whatever its type. */
export const EnvelopeSchema = z.object({
  eventId: z.uuid(),
  schemaVersion: z.number().int().positive(),
  taskId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The eventId of the event that caused this one; null for the request that starts a task. */
  causationId: z.uuid().nullable(),
  /** Ties every event and log line of one user request together across services. */
  correlationId: z.string().min(1),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export const ErrorInfoSchema = z.object({
  code: z.string().min(1),
  message: z.string().min(1),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

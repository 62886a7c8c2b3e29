import { z } from 'zod';
import { LoadShapeSchema } from '../load/load-shape';

const CredentialSchema = z.object({ user: z.string(), pass: z.string() });

/** What the Symbology publisher process is told (see publisher-process.ts). */
export const PublisherConfigSchema = z.object({
  natsUrl: z.string(),
  /** `web` publishes the requests (as apps/web does), `ingestor` the progress, `subscriber` observes status.>. */
  credentials: z.object({ web: CredentialSchema, ingestor: CredentialSchema, subscriber: CredentialSchema }),
  shape: LoadShapeSchema,
});
export type PublisherConfig = z.infer<typeof PublisherConfigSchema>;

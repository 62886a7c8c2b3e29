import { z } from 'zod';
import { TickerSchema } from '../ticker';
import { EnvelopeSchema, ErrorInfoSchema } from './envelope';

/** Annual report forms the ingestor selects: 10-K for US filers, 20-F / 40-F for foreign ones. */
export const AnnualFormSchema = z.enum(['10-K', '20-F', '40-F']);
export type AnnualForm = z.infer<typeof AnnualFormSchema>;

/** SEC accession number in its dashed form, e.g. 0000320193-24-000123. */
export const AccessionSchema = z.string().regex(/^\d{10}-\d{2}-\d{6}$/, 'accession like 0000320193-24-000123');
/** Central Index Key, zero-padded to ten digits. */
export const CikSchema = z.string().regex(/^\d{10}$/, 'CIK zero-padded to 10 digits');
const IsoDateSchema = z.iso.date();

function event<T extends string, D extends z.ZodType>(type: T, data: D) {
  return EnvelopeSchema.extend({ type: z.literal(type), data });
}

export const IngestRequestedSchema = event(
  'IngestRequested',
  z.object({
    ticker: TickerSchema,
    /** Client id of whoever asked: the browser session or CLI that sent the request. */
    requestedBy: z.string().min(1).max(200),
    requestedAt: z.iso.datetime({ offset: true }),
  }),
);
export type IngestRequested = z.infer<typeof IngestRequestedSchema>;

export const SelectedFilingSchema = z.object({
  accession: AccessionSchema,
  form: AnnualFormSchema,
  fiscalYear: z.number().int().min(1990).max(2100),
  reportDate: IsoDateSchema,
  filingDate: IsoDateSchema,
});
export type SelectedFiling = z.infer<typeof SelectedFilingSchema>;

export const CompanyResolvedSchema = event(
  'CompanyResolved',
  z.object({
    cik: CikSchema,
    name: z.string().min(1),
    tickers: z.array(z.string()),
    exchanges: z.array(z.string()),
    sic: z.string().nullable(),
    sicDescription: z.string().nullable(),
    /** MMDD, as EDGAR gives it (Apple: "0926"); null where EDGAR has none. */
    fiscalYearEnd: z
      .string()
      .regex(/^\d{4}$/)
      .nullable(),
    /** Newest first: the annual reports this task will ingest. */
    filings: z.array(SelectedFilingSchema).max(5),
  }),
);
export type CompanyResolved = z.infer<typeof CompanyResolvedSchema>;

export const FilingStartedSchema = event(
  'FilingStarted',
  z.object({ accession: AccessionSchema, form: AnnualFormSchema, fiscalYear: z.number().int() }),
);
export type FilingStarted = z.infer<typeof FilingStartedSchema>;

export const FilingCompletedSchema = event(
  'FilingCompleted',
  z.object({
    accession: AccessionSchema,
    factsStored: z.number().int().nonnegative(),
    sectionsStored: z.number().int().nonnegative(),
    primaryDocumentUrl: z.url(),
  }),
);
export type FilingCompleted = z.infer<typeof FilingCompletedSchema>;

export const FilingFailedSchema = event(
  'FilingFailed',
  z.object({
    accession: AccessionSchema,
    error: ErrorInfoSchema,
    /** True when the same filing may succeed if ingested again later (EDGAR down, rate limited). */
    retryable: z.boolean(),
  }),
);
export type FilingFailed = z.infer<typeof FilingFailedSchema>;

export const IngestCompletedSchema = event(
  'IngestCompleted',
  z.object({ completed: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }),
);
export type IngestCompleted = z.infer<typeof IngestCompletedSchema>;

export const IngestFailedSchema = event('IngestFailed', z.object({ error: ErrorInfoSchema }));
export type IngestFailed = z.infer<typeof IngestFailedSchema>;

/** Every event on the INGEST stream. */
export const IngestEventSchema = z.discriminatedUnion('type', [
  IngestRequestedSchema,
  CompanyResolvedSchema,
  FilingStartedSchema,
  FilingCompletedSchema,
  FilingFailedSchema,
  IngestCompletedSchema,
  IngestFailedSchema,
]);
export type IngestEvent = z.infer<typeof IngestEventSchema>;
export type IngestEventType = IngestEvent['type'];
export type IngestEventOf<T extends IngestEventType> = Extract<IngestEvent, { type: T }>;

/** Each event type's own schema, for a parser that already knows the type from the envelope. */
export const INGEST_EVENT_SCHEMAS = {
  IngestRequested: IngestRequestedSchema,
  CompanyResolved: CompanyResolvedSchema,
  FilingStarted: FilingStartedSchema,
  FilingCompleted: FilingCompletedSchema,
  FilingFailed: FilingFailedSchema,
  IngestCompleted: IngestCompletedSchema,
  IngestFailed: IngestFailedSchema,
} as const satisfies Record<IngestEventType, z.ZodType>;

export const INGEST_EVENT_TYPES = IngestEventSchema.options.map(
  (o) => o.shape.type.value,
) as readonly IngestEventType[];

/** The schema version publishers write today, per event type. Bump it with an upcaster. */
export const CURRENT_SCHEMA_VERSION: Record<IngestEventType, number> = {
  IngestRequested: 1,
  CompanyResolved: 1,
  FilingStarted: 1,
  FilingCompleted: 1,
  FilingFailed: 1,
  IngestCompleted: 1,
  IngestFailed: 1,
};

export function isTerminalEvent(event: IngestEvent): boolean {
  return event.type === 'IngestCompleted' || event.type === 'IngestFailed';
}

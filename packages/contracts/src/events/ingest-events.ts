import { z } from 'zod';
import { TickerSchema } from '../ticker';
import { EnvelopeSchema, ErrorCodeSchema, ErrorInfoSchema } from './envelope';
import { PersonMessageSchema, StorableTextSchema } from './person-text';
import { MAX_PRIMARY_DOCUMENT_CHARS } from '../primary-document';

/** Annual report forms the ingestor selects: 10-K for US filers, 20-F / 40-F for foreign ones. */
export const AnnualFormSchema = z.enum(['10-K', '20-F', '40-F']);
export type AnnualForm = z.infer<typeof AnnualFormSchema>;

/** SEC accession number in its dashed form, e.g. 0000320193-24-000123. */
export const AccessionSchema = z.string().regex(/^\d{10}-\d{2}-\d{6}$/, 'accession like 0000320193-24-000123');
/** Central Index Key, zero-padded to ten digits. */
export const CikSchema = z.string().regex(/^\d{10}$/, 'CIK zero-padded to 10 digits');
const IsoDateSchema = z.iso.date();
const CountSchema = z.number().int().nonnegative();

/**
 * The parts of a filing, each stored whenever it can be had, whatever happens to the others: its
 * XBRL facts (from companyfacts) and the text sections cut from its primary document.
 */
export const FilingPartSchema = z.enum(['facts', 'business', 'risk_factors', 'mdna']);
export type FilingPart = z.infer<typeof FilingPartSchema>;

/** A part a filing does not hold, and why, in words a person can act on. */
export const MissingPartSchema = z.object({
  part: FilingPartSchema,
  code: ErrorCodeSchema,
  message: PersonMessageSchema,
  /** True when asking again later may get it (EDGAR down, rate limited, timed out). */
  retryable: z.boolean(),
});
export type MissingPart = z.infer<typeof MissingPartSchema>;

/**
 * What a task was asked to do. `initial`: a company not held yet. `refresh`: a known company last
 * checked against EDGAR too long ago (new annual reports are picked up). `retry`: only the parts
 * earlier tasks could not store. All three skip what is already stored.
 */
export const IngestModeSchema = z.enum(['initial', 'refresh', 'retry']);
export type IngestMode = z.infer<typeof IngestModeSchema>;

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
    mode: IngestModeSchema,
    /** The task whose failures an explicit retry picks up; null otherwise. */
    retryOf: z.uuid().nullable(),
  }),
);
export type IngestRequested = z.infer<typeof IngestRequestedSchema>;

export const SelectedFilingSchema = z.object({
  accession: AccessionSchema,
  form: AnnualFormSchema,
  fiscalYear: z.number().int().min(1990).max(2100),
  reportDate: IsoDateSchema,
  filingDate: IsoDateSchema,
  /**
   * The filing's main document as EDGAR's list names it (null: it names none), so that a task
   * resumed on another delivery works from what it announced instead of reading the list again.
   * Absent in events written before it was carried.
   */
  primaryDocument: z.string().min(1).max(MAX_PRIMARY_DOCUMENT_CHARS).nullable().optional(),
});
export type SelectedFiling = z.infer<typeof SelectedFilingSchema>;

export const CompanyResolvedSchema = event(
  'CompanyResolved',
  z.object({
    cik: CikSchema,
    name: StorableTextSchema.pipe(z.string().min(1)),
    tickers: z.array(z.string()),
    exchanges: z.array(z.string()),
    sic: z.string().nullable(),
    sicDescription: StorableTextSchema.nullable(),
    /** MMDD, as EDGAR gives it (Apple: "0926"); null where EDGAR has none. */
    fiscalYearEnd: z
      .string()
      .regex(/^\d{4}$/)
      .nullable(),
    /** Newest first: the annual reports this task will work on (those with something left to store). */
    filings: z.array(SelectedFilingSchema).max(5),
    /** Of the five newest annual reports, how many were already stored whole and need no work. */
    alreadyStored: CountSchema.max(5),
    /**
     * Of the five newest, how many hold some of their parts and nothing a fetch could add: the
     * other parts are missing for good (the document has no such item, say). 0 in events written
     * before this was counted, when these were counted in `alreadyStored`.
     */
    heldInPart: CountSchema.max(5).default(0),
    /** Of the five newest, how many hold no part and nothing a fetch could get (no facts, no document). */
    heldNothing: CountSchema.max(5).default(0),
    /**
     * Set when EDGAR did not serve a page of the company's filing list that could hold one of its
     * five newest annual reports: `filings` then holds only what was filed after that page, and the
     * task cannot end `completed`. Says which page and what could not be looked for.
     */
    listGap: PersonMessageSchema.optional(),
  }),
);
export type CompanyResolved = z.infer<typeof CompanyResolvedSchema>;

export const FilingStartedSchema = event(
  'FilingStarted',
  z.object({ accession: AccessionSchema, form: AnnualFormSchema, fiscalYear: z.number().int() }),
);
export type FilingStarted = z.infer<typeof FilingStartedSchema>;

/** `completed`: the filing holds every part its form offers. `partial`: some, `missing` says which not. */
export const FilingOutcomeSchema = z.enum(['completed', 'partial']);

export const FilingCompletedSchema = event(
  'FilingCompleted',
  z
    .object({
      accession: AccessionSchema,
      outcome: FilingOutcomeSchema,
      /** What the filing holds now (stored by this task or an earlier one). */
      factsStored: CountSchema,
      sectionsStored: CountSchema,
      /** The document on SEC's own site (never a mirror's address). */
      primaryDocumentUrl: z.url(),
      missing: z.array(MissingPartSchema),
    })
    .refine((d) => (d.outcome === 'partial') === d.missing.length > 0, {
      message: 'outcome is partial exactly when some part is missing',
    }),
);
export type FilingCompleted = z.infer<typeof FilingCompletedSchema>;

export const FilingFailedSchema = event(
  'FilingFailed',
  z.object({
    accession: AccessionSchema,
    /** Nothing of the filing is stored; the error says why (the first part's failure). */
    error: ErrorInfoSchema,
    /** True when the same filing may succeed if ingested again later (EDGAR down, rate limited). */
    retryable: z.boolean(),
    /**
     * Each part and why it is not stored, as in FilingCompleted, so a reader can tell which reasons
     * may pass. Absent from the events of ingestors before it was added.
     */
    missing: z.array(MissingPartSchema).optional(),
  }),
);
export type FilingFailed = z.infer<typeof FilingFailedSchema>;

/**
 * `completed_with_errors`: something was stored, and some filings are partial or failed or part of
 * the company's filing list could not be read (`CompanyResolved.listGap`).
 */
export const TaskOutcomeSchema = z.enum(['completed', 'completed_with_errors']);

/** How the filings a task worked on ended, counted. */
const FilingTallySchema = z.object({ completed: CountSchema, partial: CountSchema, failed: CountSchema });

export const IngestCompletedSchema = event(
  'IngestCompleted',
  z.object({ outcome: TaskOutcomeSchema, ...FilingTallySchema.shape }),
);
export type IngestCompleted = z.infer<typeof IngestCompletedSchema>;

export const IngestFailedSchema = event('IngestFailed', z.object({ error: ErrorInfoSchema }));
export type IngestFailed = z.infer<typeof IngestFailedSchema>;

export const IngestCancelRequestedSchema = event(
  'IngestCancelRequested',
  z.object({
    requestedBy: z.string().min(1).max(200),
    requestedAt: z.iso.datetime({ offset: true }),
  }),
);
export type IngestCancelRequested = z.infer<typeof IngestCancelRequestedSchema>;

export const IngestCancelledSchema = event(
  'IngestCancelled',
  FilingTallySchema.extend({
    /** Filings the task had listed but did not start before it stopped. */
    notAttempted: CountSchema,
    reason: PersonMessageSchema,
  }),
);
export type IngestCancelled = z.infer<typeof IngestCancelledSchema>;

/**
 * How a delayed task waits:
 * - `retry`: `attempt` has ended (EDGAR unavailable, rate limiting, timing out); the task is tried
 *   again from where it stands at `retryAt`.
 * - `held`: `attempt` is paused, not ended: Symbology's own database does not answer. It goes on
 *   from where it stopped as soon as the database answers; `retryAt` is the latest the pause lasts,
 *   after which the attempt ends and the `retry` rules apply.
 * Events written before `held` existed have no kind: they are all `retry`.
 */
export const DelayKindSchema = z.enum(['retry', 'held']);
export type DelayKind = z.infer<typeof DelayKindSchema>;

/**
 * The task cannot go on now and says why and until when (see DelayKindSchema). Not terminal; when
 * the last attempt fails too, IngestFailed follows instead.
 */
export const IngestDelayedSchema = event(
  'IngestDelayed',
  z.object({
    kind: DelayKindSchema.default('retry'),
    error: ErrorInfoSchema,
    attempt: z.number().int().positive(),
    attempts: z.number().int().positive(),
    retryAt: z.iso.datetime({ offset: true }),
  }),
);
export type IngestDelayed = z.infer<typeof IngestDelayedSchema>;

/** Every event on the INGEST stream. */
export const IngestEventSchema = z.discriminatedUnion('type', [
  IngestRequestedSchema,
  CompanyResolvedSchema,
  FilingStartedSchema,
  FilingCompletedSchema,
  FilingFailedSchema,
  IngestCompletedSchema,
  IngestFailedSchema,
  IngestCancelRequestedSchema,
  IngestCancelledSchema,
  IngestDelayedSchema,
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
  IngestCancelRequested: IngestCancelRequestedSchema,
  IngestCancelled: IngestCancelledSchema,
  IngestDelayed: IngestDelayedSchema,
} as const satisfies Record<IngestEventType, z.ZodType>;

export const INGEST_EVENT_TYPES = IngestEventSchema.options.map(
  (o) => o.shape.type.value,
) as readonly IngestEventType[];

/**
 * The schema version publishers write today, per event type. Bump it with an upcaster from the
 * previous version (events/upcasters.ts), so events already on the stream keep folding.
 */
export const CURRENT_SCHEMA_VERSION: Record<IngestEventType, number> = {
  IngestRequested: 2,
  CompanyResolved: 2,
  FilingStarted: 1,
  FilingCompleted: 2,
  FilingFailed: 1,
  IngestCompleted: 2,
  IngestFailed: 1,
  IngestCancelRequested: 1,
  IngestCancelled: 1,
  IngestDelayed: 1,
};

export type TerminalEventType = 'IngestCompleted' | 'IngestFailed' | 'IngestCancelled';

/** A task ends in exactly one of these; nothing after it changes the task's status. */
export function isTerminalEvent(event: IngestEvent): event is IngestEventOf<TerminalEventType> {
  return event.type === 'IngestCompleted' || event.type === 'IngestFailed' || event.type === 'IngestCancelled';
}

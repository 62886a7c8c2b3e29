import { z } from 'zod';
import { storableText } from './extraction/storable-text';
import { CikInputSchema } from './identifiers';

/** The longest profile text kept: what an event carries of a name (StorableTextSchema in contracts). */
const MAX_TEXT_CHARS = 1_000;
/** The most tickers (and exchanges) kept: Fannie Mae lists 16; CompanyResolved carries them all. */
const MAX_TICKERS = 100;

/**
 * EDGAR's text as Postgres and the events can hold it (storableText, at most MAX_TEXT_CHARS): a
 * NUL in a company's name, stored as given, is refused (SQLSTATE 22021), and a name or ticker list
 * of megabytes makes CompanyResolved larger than NATS takes (max_payload, 1 MB), each on every
 * delivery, before the first filing.
 */
const Text = z.string().transform((value) => storableText(value).slice(0, MAX_TEXT_CHARS));
/** EDGAR writes "absent" as "", null or by leaving the key out, depending on field and year. */
const OptionalText = Text.nullish().transform((value) => (value ? value : null));

const Column = <T extends z.ZodType>(item: T) => z.array(item).optional();

/**
 * A cell of another type than text, as text for its row to be judged by (and the log): a number,
 * a boolean or null as written, an array or object by its kind. (Not JSON.stringify: a cell nested
 * a few thousand deep, which JSON.parse takes, overflows its stack.)
 */
const otherText = (value: unknown): string =>
  typeof value === 'object' && value !== null ? (Array.isArray(value) ? '[array]' : '[object]') : String(value);
/**
 * One row's cell as text. A value of another type is no annual form, accession or date, so its
 * row is left out (and logged) alone, not the company's whole filing list.
 */
const Cell = z.unknown().transform((value) => (typeof value === 'string' ? value : otherText(value)));
/** A cell EDGAR may leave empty ("" or null); a value of another type as text, as Cell. */
const OptionalCell = z
  .unknown()
  .transform((value) => (value == null || typeof value === 'string' ? (value ?? null) : otherText(value)));

/**
 * The column-oriented filing list: index i across the arrays is one filing, newest first. Only
 * accessionNumber, filingDate and form are needed by everyone; the rest vary between captures.
 * Only the columns read are checked (acceptanceDateTime, size, isXBRL ... are not): a column the
 * ingestor never uses cannot cost the list.
 */
export const FilingColumnsSchema = z
  .looseObject({
    accessionNumber: z.array(Cell),
    filingDate: z.array(Cell),
    form: z.array(Cell),
    reportDate: Column(OptionalCell),
    // A name that is not text is no name: the filing has no primary document (no_primary_document).
    primaryDocument: Column(z.unknown().transform((value) => (typeof value === 'string' ? value : null))),
  })
  .superRefine((columns, ctx) => {
    const length = columns.accessionNumber.length;
    for (const key of ['filingDate', 'form', 'reportDate', 'primaryDocument'] as const) {
      const column = columns[key];
      if (column && column.length !== length) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `has ${column.length} entries, accessionNumber ${length}`,
        });
      }
    }
  });
export type FilingColumns = z.infer<typeof FilingColumnsSchema>;

/** One entry of filings.files: an older page of the same columns, at data.sec.gov/submissions/<name>. */
export const SubmissionsPageRefSchema = z.looseObject({
  name: z.string().regex(/^CIK\d{10}-submissions-\d{3}\.json$/),
  filingCount: z.number().int().nonnegative(),
  // Dates, said back in CompanyResolved.listGap when the page is not served: bounded, like any event text.
  filingFrom: Text,
  filingTo: Text,
});
export type SubmissionsPageRef = z.infer<typeof SubmissionsPageRefSchema>;

/** data.sec.gov/submissions/CIK##########.json: the company profile and its filings. */
export const SubmissionsSchema = z.looseObject({
  cik: CikInputSchema,
  name: Text,
  entityType: OptionalText,
  sic: OptionalText,
  sicDescription: OptionalText,
  tickers: z
    .array(Text.nullable())
    .default([])
    .transform((t) => t.filter((x): x is string => !!x).slice(0, MAX_TICKERS)),
  // Exchanges line up with tickers, so a missing exchange stays in place as "".
  exchanges: z
    .array(Text.nullable())
    .default([])
    .transform((e) => e.slice(0, MAX_TICKERS).map((x) => x ?? '')),
  fiscalYearEnd: z
    .string()
    .regex(/^(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/)
    .nullable()
    .optional()
    .catch(null)
    .transform((fye) => fye ?? null),
  stateOfIncorporation: OptionalText,
  filings: z.object({
    recent: FilingColumnsSchema,
    files: z.array(SubmissionsPageRefSchema).default([]),
  }),
});
export type Submissions = z.infer<typeof SubmissionsSchema>;

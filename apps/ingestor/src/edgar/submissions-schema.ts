import { z } from 'zod';
import { CikInputSchema } from './identifiers';

/** EDGAR writes "absent" as "", null or by leaving the key out, depending on field and year. */
const OptionalText = z
  .string()
  .nullish()
  .transform((value) => (value ? value : null));

const Column = <T extends z.ZodType>(item: T) => z.array(item).optional();

/**
 * The column-oriented filing list: index i across the arrays is one filing, newest first. Only
 * accessionNumber, filingDate and form are needed by everyone; the rest vary between captures.
 */
export const FilingColumnsSchema = z
  .looseObject({
    accessionNumber: z.array(z.string()),
    filingDate: z.array(z.string()),
    form: z.array(z.string()),
    reportDate: Column(z.string().nullable()),
    acceptanceDateTime: Column(z.string().nullable()),
    primaryDocument: Column(z.string().nullable()),
    primaryDocDescription: Column(z.string().nullable()),
    isXBRL: Column(z.number().nullable()),
    isInlineXBRL: Column(z.number().nullable()),
    size: Column(z.number().nullable()),
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
  filingFrom: z.string(),
  filingTo: z.string(),
});
export type SubmissionsPageRef = z.infer<typeof SubmissionsPageRefSchema>;

/** data.sec.gov/submissions/CIK##########.json: the company profile and its filings. */
export const SubmissionsSchema = z.looseObject({
  cik: CikInputSchema,
  name: z.string(),
  entityType: OptionalText,
  sic: OptionalText,
  sicDescription: OptionalText,
  tickers: z
    .array(z.string().nullable())
    .default([])
    .transform((t) => t.filter((x): x is string => !!x)),
  // Exchanges line up with tickers, so a missing exchange stays in place as "".
  exchanges: z
    .array(z.string().nullable())
    .default([])
    .transform((e) => e.map((x) => x ?? '')),
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

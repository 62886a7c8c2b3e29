import type { FilingColumns } from './submissions-schema';

/** One filing out of the parallel arrays; "" from EDGAR becomes null. */
export type FilingRow = {
  accession: string;
  form: string;
  filingDate: string;
  reportDate: string | null;
  primaryDocument: string | null;
};

export function filingRows(columns: FilingColumns): FilingRow[] {
  return columns.accessionNumber.map((accession, i) => ({
    accession,
    form: columns.form[i] ?? '',
    filingDate: columns.filingDate[i] ?? '',
    reportDate: columns.reportDate?.[i] || null,
    primaryDocument: columns.primaryDocument?.[i] || null,
  }));
}

import type { FilingPart } from '@symbology/contracts';
import type { Database, RefusalCode } from '@symbology/db';
import type { EdgarClient } from '../edgar/edgar-client';
import { isEdgarError } from '../edgar/edgar-error';
import { looksCutShort } from '../edgar/cut-short';
import type { Extractor } from '../edgar/workers/extraction-pool';
import { formSections } from '../edgar/extraction/form-sections';
import { SECTION_KINDS, type FilingSection, type SectionKind } from '../edgar/extraction/section-extraction';
import { secArchiveUrl } from '../edgar/sec-archive-url';
import type { AnnualFiling } from '../edgar/select-annual-filings';
import type { Logger } from '../logger';
import { dataErrorCode } from '../storage/database-errors';
import { storeFacts, storeFilingRow, storeSections } from '../storage/filing-data';
import { readParts, recordParts, type HeldFiling, type PartRecord } from '../storage/filing-parts';
import { filingResult, type FilingResult } from './filing-outcome';
import type { CompanyFactsSource } from './load-facts';

export type FilingDeps = { edgar: EdgarClient; extractor: Extractor; db: Database; logger: Logger; now: () => Date };

/**
 * How long after its filing date a filing companyfacts does not list is taken to be not listed
 * yet: SEC updates a company's filing list before its companyfacts, so a refresh right after a new
 * annual report finds the filing without its facts. The lag is minutes to hours; a week leaves
 * room, and bounds the retries a retryable part draws (a request for the company starts one).
 */
const FACTS_LAG_MS = 7 * 24 * 60 * 60 * 1000;

/** One filing to work on, and which of its parts to fetch (`planWork`: never a part already stored). */
export type FilingWork = {
  taskId: string;
  cik: string;
  filing: AnnualFiling;
  parts: ReadonlySet<FilingPart>;
  /** The end of the task's time budget (epoch ms): no document is asked for, nor retried, past it. */
  deadline?: number;
};

type Missing = { code: string; message: string; retryable: boolean };

/**
 * One annual report, part by part: its XBRL facts from companyfacts, its text sections from its
 * primary document. Each part is stored (or recorded missing, with the reason) on its own, so a
 * document that cannot be had never costs the facts, and facts missing never cost the text. The
 * outcome is read back from what the filing's parts hold. EDGAR, extraction and data errors become
 * missing parts; any other error (Postgres or NATS unwell) is thrown, for the task to be retried.
 */
export async function ingestFiling(
  deps: FilingDeps,
  work: FilingWork,
  facts: CompanyFactsSource,
): Promise<FilingResult> {
  const { cik, filing } = work;
  const held = heldFiling(work);
  const url = secArchiveUrl(cik, filing.accession, filing.primaryDocument);
  const rowRefused = await storingData(deps, 'filing', () =>
    storeFilingRow(deps.db, {
      accession: filing.accession,
      cik,
      form: filing.form,
      fiscalYear: filing.fiscalYear,
      reportDate: filing.reportDate,
      filingDate: filing.filingDate,
      primaryDocument: filing.primaryDocument,
      primaryDocumentUrl: url,
    }),
  );
  if (rowRefused) {
    // An earlier task stored the row and some parts: they are still there, and the parts this task
    // would have fetched say why they were not.
    if ((await readParts(deps.db, held)).length > 0) {
      await recordMissing(deps, work, [...work.parts], rowRefused);
      return filingResult(await readParts(deps.db, held), url);
    }
    // Without its own row the filing can hold no part at all.
    const { code, message } = rowRefused;
    return {
      outcome: 'failed',
      error: { code, message },
      retryable: false,
      primaryDocumentUrl: url,
      missing: [...work.parts].map((part) => ({ part, code, message, retryable: false })),
    };
  }
  if (work.parts.has('facts')) await factsPart(deps, work, facts);
  const textParts = SECTION_KINDS.filter((s) => work.parts.has(s));
  if (textParts.length > 0) await textPart(deps, work, textParts);
  return filingResult(await readParts(deps.db, held), url);
}

/** The filing as this task's company holds it (a jointly filed report is held by each registrant apart). */
function heldFiling(work: FilingWork): HeldFiling {
  return { cik: work.cik, accession: work.filing.accession };
}

async function factsPart(deps: FilingDeps, work: FilingWork, source: CompanyFactsSource): Promise<void> {
  const { filing, taskId } = work;
  if (source.kind === 'unavailable') return recordMissing(deps, work, ['facts'], source.reason);
  const facts = source.byAccession.get(filing.accession) ?? [];
  if (facts.length === 0) return recordMissing(deps, work, ['facts'], notInCompanyFacts(filing, deps.now()));
  const refused = await storingData(deps, 'facts', () => storeFacts(deps.db, heldFiling(work), taskId, facts));
  if (refused) await recordMissing(deps, work, ['facts'], refused);
}

async function textPart(deps: FilingDeps, work: FilingWork, wanted: readonly SectionKind[]): Promise<void> {
  const { filing, cik } = work;
  const form = formSections(filing.form);
  if (form.kind === 'not_cut') {
    const records = wanted.map((part): PartRecord => ({
      part,
      status: 'not_offered',
      code: 'form_not_cut',
      message: form.message,
      retryable: false,
      size: 0,
    }));
    return recordParts(deps.db, heldFiling(work), work.taskId, records);
  }
  if (!filing.primaryDocument) {
    return recordMissing(deps, work, wanted, {
      code: 'no_primary_document',
      message: `EDGAR lists no primary document for this ${filing.form}, so its text could not be cut`,
      retryable: false,
    });
  }
  if (work.deadline !== undefined && Date.now() >= work.deadline) {
    return recordMissing(deps, work, wanted, overBudget(filing.form));
  }
  let html: string;
  try {
    ({ text: html } = await deps.edgar.document(cik, filing.accession, filing.primaryDocument, {
      ...(work.deadline !== undefined && { deadline: work.deadline }),
    }));
  } catch (error) {
    if (!isEdgarError(error)) throw error;
    return recordMissing(deps, work, wanted, { code: error.code, message: error.message, retryable: error.retryable });
  }
  // Off the event loop, within a time and memory budget: a document that cannot be cut costs the text only.
  const extracted = await deps.extractor.extract(html, filing.form);
  if (!extracted.ok)
    return recordMissing(deps, work, wanted, { code: extracted.code, message: extracted.message, retryable: false });
  const { extraction } = extracted;
  if (extraction.kind === 'not_cut') {
    const records = wanted.map((part): PartRecord => ({
      part,
      status: 'not_offered',
      code: extraction.code,
      message: extraction.message,
      retryable: false,
      size: 0,
    }));
    return recordParts(deps.db, heldFiling(work), work.taskId, records);
  }
  // A section a document cut short lacks may be in the part that did not come: a retry may get it.
  const cutShort = looksCutShort(html);
  const found: FilingSection[] = [];
  for (const s of extraction.sections) {
    if (!wanted.includes(s.section)) continue;
    if (s.status === 'found') found.push({ section: s.section, title: s.title, text: s.text });
    else
      await recordMissing(
        deps,
        work,
        [s.section],
        cutShort ? documentCutShort(filing.form) : { code: s.code, message: s.message, retryable: false },
      );
  }
  const refused = await storingData(deps, 'sections', () =>
    storeSections(deps.db, heldFiling(work), work.taskId, found),
  );
  if (refused)
    await recordMissing(
      deps,
      work,
      found.map((s) => s.section),
      refused,
    );
}

/**
 * Why a document was not asked for: the task spent its INGEST_TASK_BUDGET_MS on EDGAR answering
 * slowly (or not at all), and leaves the rest for a retry rather than hold its slot from everyone
 * queued behind it. Retryable: a later task asks again.
 */
function overBudget(form: string): Missing {
  return {
    code: 'task_time_budget',
    message: `EDGAR answered this task so slowly that it used up its time before this ${form}’s document, so the document was left for later (its facts are kept); a retry fetches it`,
    retryable: true,
  };
}

/** Why a section is missing from a document that came cut short (looksCutShort): retryable. */
function documentCutShort(form: string): Missing {
  return {
    code: 'document_truncated',
    message: `EDGAR sent this ${form}’s document cut short (it stops before its closing </html>), and this section is not in the part that came; a retry may get the whole document`,
    retryable: true,
  };
}

/** Why companyfacts has no fact of the filing: not yet, for a filing of the last FACTS_LAG_MS; none, for an older one. */
function notInCompanyFacts(filing: FilingWork['filing'], now: Date): Missing {
  const filed = Date.parse(`${filing.filingDate}T00:00:00Z`);
  if (now.getTime() - filed < FACTS_LAG_MS) {
    return {
      code: 'facts_not_listed_yet',
      message: `EDGAR’s XBRL financial data (companyfacts) does not list this ${filing.form} yet: it was filed on ${filing.filingDate}, and SEC adds a new filing’s facts some time after it lists the filing. A retry later may get them.`,
      retryable: true,
    };
  }
  return {
    code: 'no_xbrl_facts',
    message: `EDGAR’s XBRL financial data (companyfacts) holds no facts reported in this ${filing.form}`,
    retryable: false,
  };
}

function recordMissing(deps: FilingDeps, work: FilingWork, parts: readonly FilingPart[], why: Missing): Promise<void> {
  const records = parts.map((part): PartRecord => ({ part, status: 'missing', size: 0, ...why }));
  return recordParts(deps.db, heldFiling(work), work.taskId, records);
}

/**
 * Runs one write; when Postgres refuses the data itself (SQLSTATE class 22 or 54), returns the
 * missing part's reason instead of throwing. The driver's message (SQL, parameters, the text)
 * goes to the log only, never into an event.
 */
async function storingData(deps: FilingDeps, what: string, write: () => Promise<void>): Promise<Missing | undefined> {
  try {
    await write();
    return undefined;
  } catch (error) {
    const sqlState = dataErrorCode(error);
    if (!sqlState) throw error;
    deps.logger.warn({ err: error, sqlState, what }, 'the database refused this filing’s data; recorded as missing');
    const subject =
      what === 'filing'
        ? 'EDGAR’s listing of this filing'
        : what === 'facts'
          ? 'Its financial facts'
          : 'Its text sections';
    return {
      code: 'data_not_storable' satisfies RefusalCode,
      message: `${subject} could not be stored: the database refused EDGAR’s data as invalid (SQLSTATE ${sqlState}). Asking again will not help until EDGAR corrects it; the company’s next refresh with EDGAR (daily by default) tries again.`,
      retryable: false,
    };
  }
}

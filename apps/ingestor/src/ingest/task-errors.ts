import type { ErrorInfo } from '@symbology/contracts';
import { isEdgarError, type EdgarError } from '../edgar/edgar-error';

/** IngestFailed codes the ingestor emits; the UI and operators key on them. */
export type IngestFailureCode =
  | 'unknown_ticker'
  | 'no_annual_reports'
  /** None in `recent`, and a page of the filing list that could hold some was not served. */
  | 'filing_list_incomplete'
  | 'company_not_found'
  | 'edgar_unreachable'
  | 'edgar_malformed'
  /** Every filing was worked on and none of them holds anything: nothing usable was stored. */
  | 'nothing_stored'
  | 'internal_error';

/**
 * A failure that ends the whole task with IngestFailed (raised before any filing is worked on).
 * `retryable` says whether a later delivery of the same request may succeed.
 */
export class TaskFailure extends Error {
  override readonly name = 'TaskFailure';
  constructor(
    readonly code: IngestFailureCode,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get info(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** An EDGAR error raised while resolving the company, as the task failure it amounts to. */
export function taskFailureFromEdgar(error: EdgarError): TaskFailure {
  const retryAfter = error.retryAfterMs;
  switch (error.code) {
    case 'unknown_ticker':
      return new TaskFailure('unknown_ticker', error.message, false, undefined, { cause: error });
    case 'not_found':
      return new TaskFailure('company_not_found', error.message, false, undefined, { cause: error });
    case 'malformed':
      return new TaskFailure('edgar_malformed', error.message, error.retryable, retryAfter, { cause: error });
    case 'document_too_large': // a JSON response over EDGAR_MAX_JSON_BYTES: the same bytes would come back
      return new TaskFailure('edgar_malformed', error.message, false, undefined, { cause: error });
    case 'rate_limited':
    case 'upstream':
    case 'unreachable':
      return new TaskFailure('edgar_unreachable', error.message, error.retryable, retryAfter, { cause: error });
    default: {
      const unknown: never = error.code;
      throw new Error(`unhandled EDGAR error code ${String(unknown)}`);
    }
  }
}

/** Wraps the EDGAR calls that come before the filings so their errors become TaskFailures. */
export async function beforeFilings<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isEdgarError(error)) throw taskFailureFromEdgar(error);
    throw error;
  }
}

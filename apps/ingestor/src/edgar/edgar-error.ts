export type EdgarErrorCode =
  'unknown_ticker' | 'not_found' | 'rate_limited' | 'upstream' | 'unreachable' | 'malformed' | 'document_too_large';

/**
 * Everything that can go wrong talking to EDGAR, as one type the ingestor maps onto
 * FilingFailed / IngestFailed: `code` for programs, `message` for the person reading the task,
 * `retryable` for whether asking again later may succeed.
 */
export class EdgarError extends Error {
  override readonly name = 'EdgarError';
  readonly code: EdgarErrorCode;
  readonly retryable: boolean;
  readonly url: string;
  readonly status?: number;
  /** How long EDGAR asked us to wait (Retry-After), when it did; a consumer can nak with it. */
  readonly retryAfterMs?: number;

  constructor(
    code: EdgarErrorCode,
    message: string,
    details: { url: string; retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retryable = details.retryable;
    this.url = details.url;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

export function isEdgarError(error: unknown): error is EdgarError {
  return error instanceof EdgarError;
}

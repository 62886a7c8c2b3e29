/** The application's error codes; trpc.ts maps each to a tRPC code (and so an HTTP status). */
export const APP_ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_INPUT',
  'RATE_LIMITED',
  /** A cap on what one client or the whole system may hold (subscriptions, queued ingestions). */
  'LIMIT_EXCEEDED',
  'UNAVAILABLE',
  'CONFLICT',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

// A brand rather than `instanceof`: Next bundles its own copy of this module beside the one the
// custom server loads, and an error from one must be recognised by the other.
const BRAND = Symbol.for('symbology.api.AppError');

/** The one error type procedures and domain functions throw for an expected failure. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly [BRAND] = true;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

export function isAppError(error: unknown): error is AppError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

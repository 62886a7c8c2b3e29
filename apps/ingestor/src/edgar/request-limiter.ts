/**
 * Grants permission for one HTTP request to EDGAR. The production limiter is shared by every
 * ingestor replica (SEC counts 10 requests per second per operator, not per process); the client
 * only needs to wait on it before each request, retries included.
 */
export interface RequestLimiter {
  acquire(): Promise<void>;
  /**
   * EDGAR answered 429: hold every request (every replica's, for a shared limiter) for `ms`. The
   * caller still waits on acquire() before its retry.
   */
  backOff?(ms: number): Promise<void>;
}

/** For tests and the local mirror, where there is no one to be fair to. */
export const unlimited: RequestLimiter = {
  acquire: () => Promise.resolve(),
};

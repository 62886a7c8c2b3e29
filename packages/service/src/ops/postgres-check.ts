import type postgres from 'postgres';
import { DEFAULT_CHECK_TIMEOUT_MS, type ReadinessCheck } from './readiness';

/**
 * Postgres answers `select 1`. A query still queued when the check times out is cancelled, so a
 * probe every few seconds during an outage does not pile queries up behind the dead connection.
 */
export function postgresCheck(sql: postgres.Sql, options: { name?: string; timeoutMs?: number } = {}): ReadinessCheck {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return {
    name: options.name ?? 'postgres',
    // The race in runReadiness reports the timeout; this one's timer cancels the query.
    timeoutMs,
    run: async () => {
      const query = sql`select 1`;
      const cancel = setTimeout(() => void query.cancel(), timeoutMs);
      try {
        await query;
        return { ok: true };
      } finally {
        clearTimeout(cancel);
      }
    },
  };
}

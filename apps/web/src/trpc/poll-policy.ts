import { isTerminal, type TaskState } from '@symbology/contracts';
import type { Transport } from './transport-state';

const POLL_MS = 1_500;
/**
 * How often an ended task is read again while its page is open (and visible). Ended is final for
 * the task, not for what was shown of it: the projector may correct a status after the fact (a
 * replay, `rebuild --task`, `dead-letters retry`) with a newer version, and the subscription has
 * ended by then. Without this, the screen kept the old state until a refocus or a reload.
 */
export const TERMINAL_RECHECK_MS = 30_000;
/** Attempts after a first failed status query, for errors that may pass (the client's default). */
const RETRIES = 2;

/** Any terminal state (completed, completed with errors, failed, cancelled): nothing more will come. */
export const isTerminalStatus = (s: { status: TaskState } | undefined): boolean => s !== undefined && isTerminal(s);

/** The tRPC code of a client error (`TRPCClientError.data.code`), or of a server-side `TRPCError`. */
function codeOf(error: unknown): unknown {
  const e = error as { data?: { code?: unknown } | null; code?: unknown } | null | undefined;
  return e?.data?.code ?? e?.code;
}

/**
 * An answer no repeat can change: the task id names no task (NOT_FOUND) or is no task id at all
 * (BAD_REQUEST). Polling, retrying or subscribing again would only ask the same question forever.
 */
export const isFinalError = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === 'NOT_FOUND' || code === 'BAD_REQUEST';
};

/** React Query's `retry` for the status query: a final answer is not asked again. */
export const shouldRetry = (failures: number, error: unknown): boolean => !isFinalError(error) && failures < RETRIES;

/**
 * Poll unless the subscription is delivering: the socket live AND the subscription not in error
 * (a subscription the server ended with an error stays ended while the socket is fine). Once the
 * task ended, only a slow re-read for a later correction; never once the server said there is no
 * such task.
 */
export function pollIntervalMs(state: {
  terminal: boolean;
  transport: Transport;
  subscriptionFailed: boolean;
  finalError?: boolean;
}) {
  if (state.finalError) return false;
  if (state.terminal) return TERMINAL_RECHECK_MS;
  return state.transport === 'live' && !state.subscriptionFailed ? false : POLL_MS;
}

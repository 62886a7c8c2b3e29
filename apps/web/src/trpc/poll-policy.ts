import { isTerminal, type TaskState } from '@symbology/contracts';
import type { Transport } from './transport-state';

const POLL_MS = 1_500;

/** Any terminal state (completed, completed with errors, failed, cancelled): nothing more will come. */
export const isTerminalStatus = (s: { status: TaskState } | undefined): boolean => s !== undefined && isTerminal(s);

/**
 * Poll unless the subscription is delivering: the socket live AND the subscription not in error
 * (a subscription the server ended with an error stays ended while the socket is fine).
 */
export function pollIntervalMs(state: { terminal: boolean; transport: Transport; subscriptionFailed: boolean }) {
  if (state.terminal) return false;
  return state.transport === 'live' && !state.subscriptionFailed ? false : POLL_MS;
}

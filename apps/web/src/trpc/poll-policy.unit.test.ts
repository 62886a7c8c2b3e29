import { describe, expect, it } from 'vitest';
import { isTerminalStatus, pollIntervalMs } from './poll-policy';

describe('when the task page polls', () => {
  it('polls while the subscription is in error, even with the socket live', () => {
    expect(pollIntervalMs({ terminal: false, transport: 'live', subscriptionFailed: true })).toBeGreaterThan(0);
  });

  it('polls while the socket is not live, and not while the subscription delivers', () => {
    expect(pollIntervalMs({ terminal: false, transport: 'reconnecting', subscriptionFailed: false })).toBeGreaterThan(
      0,
    );
    expect(pollIntervalMs({ terminal: false, transport: 'polling', subscriptionFailed: false })).toBeGreaterThan(0);
    expect(pollIntervalMs({ terminal: false, transport: 'live', subscriptionFailed: false })).toBe(false);
  });

  it('stops at every terminal state, including completed with errors and cancelled', () => {
    for (const status of ['completed', 'completed_with_errors', 'failed', 'cancelled'] as const)
      expect(isTerminalStatus({ status })).toBe(true);
    expect(isTerminalStatus({ status: 'processing' })).toBe(false);
    expect(pollIntervalMs({ terminal: true, transport: 'polling', subscriptionFailed: true })).toBe(false);
  });
});

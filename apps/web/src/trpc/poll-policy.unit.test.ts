import { describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { isFinalError, isTerminalStatus, pollIntervalMs, shouldRetry, TERMINAL_RECHECK_MS } from './poll-policy';

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

  it('at every terminal state, including completed with errors and cancelled, only re-reads slowly for a later correction', () => {
    for (const status of ['completed', 'completed_with_errors', 'failed', 'cancelled'] as const)
      expect(isTerminalStatus({ status })).toBe(true);
    expect(isTerminalStatus({ status: 'processing' })).toBe(false);
    for (const transport of ['live', 'reconnecting', 'polling'] as const)
      expect(pollIntervalMs({ terminal: true, transport, subscriptionFailed: true })).toBe(TERMINAL_RECHECK_MS);
    expect(TERMINAL_RECHECK_MS).toBeGreaterThanOrEqual(10_000);
  });
});

/** A client error as tRPC delivers it from the server: the tRPC code sits in `data.code`. */
const clientError = (code: string, message: string) =>
  new TRPCClientError(message, { result: { error: { code: -32_000, message, data: { code } } } });

describe('when the task id names no task', () => {
  it('given NOT_FOUND or BAD_REQUEST (an unknown or garbled id), then it is final: no poll, no retry', () => {
    for (const error of [clientError('NOT_FOUND', 'No ingestion task x'), clientError('BAD_REQUEST', 'Invalid UUID')]) {
      expect(isFinalError(error)).toBe(true);
      expect(shouldRetry(0, error)).toBe(false);
      for (const transport of ['live', 'reconnecting', 'polling'] as const)
        expect(pollIntervalMs({ terminal: false, transport, subscriptionFailed: true, finalError: true })).toBe(false);
    }
  });

  it('given an error that may pass (server down, rate limited), then it is retried and polling goes on', () => {
    const error = clientError('INTERNAL_SERVER_ERROR', 'boom');
    expect(isFinalError(error)).toBe(false);
    expect(isFinalError(new TypeError('Failed to fetch'))).toBe(false);
    expect(isFinalError(null)).toBe(false);
    expect(shouldRetry(0, error)).toBe(true);
    expect(shouldRetry(2, error)).toBe(false);
    expect(
      pollIntervalMs({ terminal: false, transport: 'polling', subscriptionFailed: false, finalError: false }),
    ).toBe(1_500);
  });
});

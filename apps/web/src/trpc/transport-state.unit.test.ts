import { describe, expect, it } from 'vitest';
import { KEEP_ALIVE } from './links';
import { createTransportStore, createTransportTracker, transportOf } from './transport-state';

const open = { state: 'pending', error: null } as const;
const failed = { state: 'connecting', error: new Error('WebSocket closed') } as const;

describe('transportOf: what the badge says', () => {
  it('given an open socket, then it is live only while the browser is online', () => {
    expect(transportOf(open, true)).toBe('live');
    expect(transportOf(open, false)).toBe('polling');
  });

  it('given a socket (re)opening, then reconnecting until an attempt fails, then polling', () => {
    expect(transportOf({ state: 'connecting', error: null }, true)).toBe('reconnecting');
    expect(transportOf(failed, true)).toBe('polling');
  });
});

describe('createTransportTracker: a dropped network', () => {
  it('given a live socket, when the browser goes offline, then it polls at once, and is live again only once reopened', () => {
    const store = createTransportStore(true);
    const tracker = createTransportTracker(store, true);
    tracker.socket(open);
    expect(store.get()).toBe('live');

    tracker.network(false);
    expect(store.get()).toBe('polling');
    tracker.socket(failed);
    tracker.network(true);
    expect(store.get()).toBe('polling');
    tracker.socket(open);
    expect(store.get()).toBe('live');
  });

  it('notices a silent dead socket within about 6 s: ping after 4 s, give up 2 s later', () => {
    expect(KEEP_ALIVE.enabled).toBe(true);
    expect(KEEP_ALIVE.intervalMs + KEEP_ALIVE.pongTimeoutMs).toBeLessThanOrEqual(6_000);
  });
});

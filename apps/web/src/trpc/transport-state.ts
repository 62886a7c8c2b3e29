import { useSyncExternalStore } from 'react';

/**
 * live: the WebSocket is open and subscriptions stream;
 * reconnecting: it is (re)opening, nothing failed yet;
 * polling: it is down (or disabled), so status queries poll while it retries.
 */
export type Transport = 'live' | 'reconnecting' | 'polling';

export type TransportStore = {
  /** False when the page was configured to never open a WebSocket. */
  wsEnabled: boolean;
  get(): Transport;
  set(value: Transport): void;
  subscribe(listener: () => void): () => void;
};

export function createTransportStore(wsEnabled: boolean): TransportStore {
  let value: Transport = wsEnabled ? 'reconnecting' : 'polling';
  const listeners = new Set<() => void>();
  return {
    wsEnabled,
    get: () => value,
    set(next) {
      if (next === value) return;
      value = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useTransportValue(store: TransportStore): Transport {
  return useSyncExternalStore(store.subscribe, store.get, () => 'reconnecting');
}

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

/** The WebSocket as tRPC's `connectionState` reports it: `pending` means open. */
export type SocketState = { state: 'idle' | 'connecting' | 'pending'; error: unknown };

/**
 * What the badge says: an open socket is live only while the browser says it is online (a socket
 * can look open for seconds after the network went away); one that failed to (re)open means polling.
 */
export function transportOf(socket: SocketState, online: boolean): Transport {
  if (!online) return 'polling';
  if (socket.state === 'pending') return 'live';
  return socket.error ? 'polling' : 'reconnecting';
}

/** Feeds the store from both sources: the socket's state changes and the browser's online/offline events. */
export function createTransportTracker(store: TransportStore, online: boolean) {
  let socket: SocketState = { state: 'connecting', error: null };
  const update = () => store.set(transportOf(socket, online));
  return {
    socket(next: SocketState) {
      socket = next;
      update();
    },
    network(next: boolean) {
      online = next;
      update();
    },
  };
}

export function useTransportValue(store: TransportStore): Transport {
  return useSyncExternalStore(store.subscribe, store.get, () => 'reconnecting');
}

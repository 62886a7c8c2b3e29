import type { ServerResponse } from 'node:http';
import { peerKey, type RefusalReason } from '@symbology/api';

export type HttpSendLimits = {
  /** Bytes queued unsent across one peer's answers past which its new requests are refused (HTTP_MAX_UNSENT_BYTES_PER_PEER). */
  maxUnsentBytesPerPeer: number;
  onRefused(reason: Extract<RefusalReason, 'http_send_buffer_full' | 'http_send_stalled'>): void;
};

/**
 * Bounds what one client can make this process hold by not reading its answers. A tRPC answer is
 * written whole (node-fetch-bridge.ts), a page as Next renders it; what the client does not read
 * waits in this process, on its connection. One client sending batched `filing.sections` GETs on
 * fresh connections and never reading took the process from 145 to 909 MB within the call rate,
 * held as long as its sockets stayed open. Here:
 * - a peer whose answers in flight hold more than `maxUnsentBytesPerPeer` unsent (the sum of their
 *   `writableLength`: a write Node has not finished handing to the kernel counts whole) has its
 *   new requests refused before any work, until it reads or its connections are cut;
 * - a connection whose answer makes no progress for the server's idle timeout
 *   (HTTP_SEND_IDLE_TIMEOUT_MS) is destroyed, its buffer freed. Node's timeout does not fire while
 *   bytes are leaving, however slowly; and while the server is still working on the answer
 *   (nothing queued) the connection is left alone: a slow answer is not the client's doing. An
 *   idle keep-alive connection is closed by Node as before, and an upgraded WebSocket is not an
 *   HTTP answer (`ws` clears its socket's timeout).
 * The answer says whether the request may be served; the response is counted as the peer's from
 * here until it closes, served or refused.
 */
export function limitHttpSends(limits: HttpSendLimits): (peer: string | undefined, res: ServerResponse) => boolean {
  const inFlight = new Map<string, Set<ServerResponse>>();
  const unsentOver = (answers: Iterable<ServerResponse>, max: number): boolean => {
    let unsent = 0;
    for (const res of answers) {
      unsent += res.writableLength;
      if (unsent > max) return true;
    }
    return false;
  };

  return (peer, res) => {
    const key = peerKey(peer);
    let answers = inFlight.get(key);
    if (!answers) inFlight.set(key, (answers = new Set()));
    const over = unsentOver(answers, limits.maxUnsentBytesPerPeer);
    answers.add(res);
    res.once('close', () => {
      answers.delete(res);
      if (answers.size === 0 && inFlight.get(key) === answers) inFlight.delete(key);
    });
    // A 'timeout' listener keeps Node from destroying the connection itself on its idle timeout.
    res.on('timeout', () => {
      if (res.writableLength === 0) return;
      limits.onRefused('http_send_stalled');
      res.destroy();
    });
    if (over) limits.onRefused('http_send_buffer_full');
    return !over;
  };
}

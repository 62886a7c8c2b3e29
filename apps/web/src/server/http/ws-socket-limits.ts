import type { RefusalReason } from '@symbology/api';
import type { WebSocket } from 'ws';

/** The close code for a socket closed by a limit (RFC 6455: policy violation). */
export const POLICY_VIOLATION = 1008;

export type SocketLimits = {
  /** Queries and mutations one frame may carry (TRPC_MAX_BATCH_SIZE, as an HTTP batch). */
  maxCallsPerFrame: number;
  /** Bytes queued on the socket past which it is closed rather than sent more (WS_MAX_BUFFERED_BYTES). */
  maxBufferedBytes: number;
  onRefused(reason: Extract<RefusalReason, 'batch_too_large' | 'ws_send_buffer_full'>): void;
};

/**
 * Bounds what one client can make this process queue for it. tRPC's handler answers every call
 * of a JSON-array frame and sends each reply whatever the socket has queued, so a client that
 * never reads could otherwise grow the server's memory without end (one 64 KiB frame of ~600
 * queries queued 36 MB). Here:
 * - a frame carrying more than `maxCallsPerFrame` queries and mutations closes the socket, none
 *   of it served. Subscription messages are not counted: the socket's subscriptions are capped
 *   on their own, and a reconnecting wsLink resends every live one in a single frame;
 * - a socket with more than `maxBufferedBytes` queued is closed, before it is handed another
 *   message or sent another reply. A client that reads never gets near it: status updates to a
 *   slow one are skipped from WS_SEND_HIGH_WATER_BYTES on, the terminal one excepted.
 * Replies are checked here (`ws.send`); the answer says whether an incoming message may be handed
 * on, for the socket's one message gate (ws-server.ts) to ask before anything else sees it.
 */
export function limitSocket(ws: WebSocket, limits: SocketLimits): (data: unknown, isBinary: unknown) => boolean {
  const overBuffer = (): boolean => {
    if (ws.bufferedAmount <= limits.maxBufferedBytes) return false;
    refuse('ws_send_buffer_full', `More than ${limits.maxBufferedBytes} bytes unread: read replies before sending`);
    return true;
  };
  const refuse = (reason: Parameters<SocketLimits['onRefused']>[0], message: string) => {
    if (ws.readyState !== ws.OPEN) return;
    limits.onRefused(reason);
    ws.close(POLICY_VIOLATION, message);
  };

  const send = ws.send.bind(ws) as (...args: unknown[]) => void;
  ws.send = ((...args: unknown[]) => {
    if (!overBuffer()) send(...args);
  }) as WebSocket['send'];

  return (data, isBinary) => {
    if (ws.readyState !== ws.OPEN || overBuffer()) return false;
    const calls = isBinary === false && Buffer.isBuffer(data) ? callsIn(data) : 0;
    if (calls <= limits.maxCallsPerFrame) return true;
    refuse('batch_too_large', `A message may hold at most ${limits.maxCallsPerFrame} calls (this one: ${calls})`);
    return false;
  };
}

/** The queries and mutations in a JSON-array frame; a single message is one call at most. */
function callsIn(data: Buffer): number {
  const text = data.toString('utf8');
  if (!text.trimStart().startsWith('[')) return 1;
  let messages: unknown;
  try {
    messages = JSON.parse(text);
  } catch {
    return 0; // tRPC answers the parse error, serving none of the frame
  }
  return Array.isArray(messages) ? messages.filter(isCall).length : 0;
}

function isCall(message: unknown): boolean {
  if (typeof message !== 'object' || message === null || !('method' in message)) return false;
  return message.method === 'query' || message.method === 'mutation';
}

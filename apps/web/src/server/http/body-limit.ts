import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`Request body too large (at most ${limit} bytes)`);
  }
}

/**
 * The request's body, read whole but never past `limit` bytes: a declared Content-Length over
 * the limit is refused before a byte is read, and a chunked body as soon as it crosses it. The
 * rest of a refused body is discarded as it arrives (the stream keeps flowing with no listener),
 * so the refusal can be answered without holding it.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      req.off('data', onData);
      req.resume();
      reject(new BodyTooLargeError(limit));
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) refuse();
      else chunks.push(chunk);
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) return refuse();
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * How long a refused request may go on sending its body after the refusal was answered. Closing
 * at once would reset the connection while the client still writes, and a reset can discard the
 * answer before the client reads it (it sees EPIPE instead of 413); reading and discarding for a
 * bounded while first is what nginx calls a lingering close.
 */
export const REFUSED_BODY_LINGER_MS = 2_000;

/**
 * Closes the connection of a refused request once its body has been read to the end (and so
 * discarded), or after `lingerMs` if the client is still sending, whichever comes first.
 */
export function closeAfterBody(req: IncomingMessage, lingerMs = REFUSED_BODY_LINGER_MS): void {
  const { socket } = req;
  if (req.complete) return void socket.end();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  req.resume();
  req.once('end', () => {
    clearTimeout(timer);
    socket.end();
  });
  socket.once('close', () => clearTimeout(timer));
}

import type { IncomingMessage } from 'node:http';

/**
 * Whether a WebSocket upgrade may proceed. Browsers always send Origin and cannot fake it, so
 * this stops other sites from opening sockets with a visitor's cookies; a client without an Origin
 * (a Node client, the CLI) is not a browser and is let through.
 */
export function isOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.length > 0) return allowed.includes(origin) || allowed.includes('*');
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

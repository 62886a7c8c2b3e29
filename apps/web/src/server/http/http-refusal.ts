import type { ServerResponse } from 'node:http';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';

/** A short JSON error in tRPC's envelope, so that a tRPC client reports its message and code. */
export function refusalBody(status: number, code: TRPC_ERROR_CODE_KEY, message: string): string {
  return JSON.stringify({
    error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, appCode: null } },
  });
}

/** `Retry-After` for a refusal that says when to try again: its wait in whole seconds, rounded up. */
export function retryAfter(waitMs: number): { 'retry-after': string } {
  return { 'retry-after': String(Math.ceil(waitMs / 1000)) };
}

/** Refuses a request before tRPC sees it. */
export function sendRefusal(
  res: ServerResponse,
  status: number,
  code: TRPC_ERROR_CODE_KEY,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = refusalBody(status, code, message);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

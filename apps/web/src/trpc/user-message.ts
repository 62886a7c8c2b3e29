import { TRPCClientError } from '@trpc/client';

export const UNREACHABLE = "Couldn't reach Symbology; try again in a moment.";

/**
 * What a failed call says to the person who made it. Only an answer from Symbology's API (a tRPC
 * error shape) carries words meant for them; a network failure or a body that is not the API's
 * JSON (a proxy's "upstream down") carries the browser's or the parser's words, so it is said plainly.
 */
export function userMessage(error: unknown): string {
  if (error instanceof TRPCClientError && error.shape) return error.message;
  return UNREACHABLE;
}

import type { z } from 'zod';
import { EdgarError } from './edgar-error';

/** Parses EDGAR's JSON at the boundary: bad JSON or an unexpected shape both become 'malformed'. */
export function parseEdgarJson<S extends z.ZodType>(url: string, text: string, schema: S): z.output<S> {
  return validEdgarJson(url, jsonOf(url, text), schema);
}

/**
 * The JSON value of EDGAR's text, or 'malformed' (retryable) when it is not JSON. Apart from the
 * validation so that a caller can let go of the text (up to EDGAR_MAX_JSON_BYTES) before that.
 */
export function jsonOf(url: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    // A cut-off body is the usual reason, so asking again may well succeed.
    return throwMalformed(url, `is not valid JSON (${text.length} bytes; truncated?)`, true, cause);
  }
}

/** EDGAR's JSON value checked against its schema; 'malformed' (not retryable) when it has another shape. */
export function validEdgarJson<S extends z.ZodType>(url: string, json: unknown, schema: S): z.output<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return throwMalformed(
      url,
      `does not have the expected shape: ${summariseIssues(parsed.error)}`,
      false,
      parsed.error,
    );
  }
  return parsed.data;
}

function throwMalformed(url: string, problem: string, retryable: boolean, cause: unknown): never {
  throw new EdgarError('malformed', `EDGAR's response from ${url} ${problem}`, { url, retryable, cause });
}

/** The first few issues, each as "path: message"; a schema mismatch on 24k facts can list thousands. */
export function summariseIssues(error: z.ZodError, max = 3): string {
  const shown = error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return shown.join('; ') + more;
}

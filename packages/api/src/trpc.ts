import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { isBackendUnavailable } from '@symbology/service';
import { AppError, isAppError, type AppErrorCode } from './app-error';
import type { TrpcContext } from './context';
import { admitCall } from './limits/call-rate';

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  INVALID_INPUT: 'BAD_REQUEST',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  LIMIT_EXCEEDED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CONFLICT: 'CONFLICT',
};

const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable: try again in a moment';
const INTERNAL_MESSAGE = 'Something went wrong on our side';

/**
 * The AppError a failure is to the client: its own, or UNAVAILABLE for a database or NATS outage
 * (whose driver message may hold SQL, parameters or addresses: it goes to the log, not the client).
 */
function asAppError(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  if (isBackendUnavailable(error)) return new AppError('UNAVAILABLE', UNAVAILABLE_MESSAGE, { cause: error });
  return undefined;
}

/**
 * Whether a failed call is the server's fault (a bug, or a backend outage): the ones to log with
 * their detail. A refusal (limit, not found, bad input) is the client's, and must not flood the log.
 */
export function isServerFault(error: TRPCError): boolean {
  const cause = error.cause ?? error;
  const app = asAppError(cause);
  return app ? app.code === 'UNAVAILABLE' : error.code === 'INTERNAL_SERVER_ERROR';
}

/** An AppError (or an outage) as the TRPCError the transport and createCaller users see. */
export function toTRPCError(error: unknown): unknown {
  const app = asAppError(error);
  if (!app) return error;
  return new TRPCError({ code: TRPC_CODE[app.code], message: app.message, cause: app });
}

const t = initTRPC.context<TrpcContext>().create({
  // Subscriptions throw from inside their generator, past any middleware: map AppErrors here too,
  // so every transport reports the same code, HTTP status and appCode.
  // Errors never carry internals: no stack (tRPC adds one outside production), no driver or SQL
  // text; the request id lets a person's report be matched with the logged detail.
  errorFormatter({ shape, error, ctx }) {
    const { stack: _stack, ...data } = shape.data;
    const requestId = ctx?.requestId ?? null;
    const app = asAppError(error.cause);
    if (!app) {
      const message =
        error.code === 'INTERNAL_SERVER_ERROR'
          ? `${INTERNAL_MESSAGE}${requestId ? ` (request ${requestId})` : ''}`
          : // Input refused by zod: say what is wrong in words, not as the issues' JSON.
            error.code === 'BAD_REQUEST'
            ? (inputIssues(error.cause) ?? shape.message)
            : shape.message;
      return { ...shape, message, data: { ...data, appCode: null, retryAfterMs: null, requestId } };
    }
    const mapped = new TRPCError({ code: TRPC_CODE[app.code], message: app.message });
    return {
      ...shape,
      message: app.message,
      code: TRPC_ERROR_CODES_BY_KEY[mapped.code],
      data: {
        ...data,
        requestId,
        code: mapped.code,
        httpStatus: getHTTPStatusCodeFromError(mapped),
        appCode: app.code,
        retryAfterMs: app.retryAfterMs ?? null,
      },
    };
  },
});

function inputIssues(cause: unknown): string | undefined {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  return issues.map((i: { message?: unknown }) => String(i.message)).join('; ');
}

const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next({ ctx: { logger: ctx.logger.child({ path }) } });
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.procedureSeconds.observe({ path, type, ok: String(result.ok) }, seconds);
  if (!result.ok) {
    const cause = result.error.cause ?? result.error;
    // The client sees a generic message for these: the detail is here, under the request id.
    if (isServerFault(result.error)) ctx.logger.error({ err: cause, path }, 'procedure failed');
    const error = toTRPCError(cause);
    if (error instanceof TRPCError && error.code !== result.error.code) return { ...result, error };
  }
  return result;
});

/** Every call counts against its peer's call rate, before its input is parsed (see limits/call-rate.ts). */
const rateLimited = t.middleware(({ ctx, next }) => {
  admitCall(ctx);
  return next();
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
// Limited inside `observed`, which maps the refusal to TOO_MANY_REQUESTS and times it like any call.
export const publicProcedure = t.procedure.use(observed).use(rateLimited);

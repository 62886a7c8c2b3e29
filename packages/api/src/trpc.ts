import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { isAppError, type AppErrorCode } from './app-error';
import type { TrpcContext } from './context';

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  INVALID_INPUT: 'BAD_REQUEST',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CONFLICT: 'CONFLICT',
};

/** An AppError as the TRPCError the transport and createCaller users see. */
export function toTRPCError(error: unknown): unknown {
  if (!isAppError(error)) return error;
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

const t = initTRPC.context<TrpcContext>().create({
  // Subscriptions throw from inside their generator, past any middleware: map AppErrors here too,
  // so every transport reports the same code, HTTP status and appCode.
  errorFormatter({ shape, error }) {
    const app = isAppError(error.cause) ? error.cause : undefined;
    if (!app) {
      // Input refused by zod: say what is wrong in words, not as the issues' JSON.
      const message = error.code === 'BAD_REQUEST' ? (inputIssues(error.cause) ?? shape.message) : shape.message;
      return { ...shape, message, data: { ...shape.data, appCode: null, retryAfterMs: null } };
    }
    const mapped = new TRPCError({ code: TRPC_CODE[app.code], message: app.message });
    return {
      ...shape,
      message: app.message,
      code: TRPC_ERROR_CODES_BY_KEY[mapped.code],
      data: {
        ...shape.data,
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
    const error = toTRPCError(result.error.cause ?? result.error);
    if (error instanceof TRPCError && error.code !== result.error.code) return { ...result, error };
    if (result.error.code === 'INTERNAL_SERVER_ERROR')
      ctx.logger.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(observed);

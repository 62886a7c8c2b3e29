// The tRPC API: apps/web mounts `appRouter` on its HTTP and WebSocket transports and builds the
// services below; clients import `type AppRouter` / `RouterOutputs` only.
export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './root';
export { createContext, type ApiConfig, type ApiServices, type NatsHandles, type TrpcContext } from './context';
export { AppError, isAppError, APP_ERROR_CODES, type AppErrorCode } from './app-error';
export { createApiMetrics, type ApiMetrics } from './metrics';
export { StatusFanout, type StatusFanoutDeps } from './ingest/status-fanout';
export { statusWireEncoder } from './ingest/status-wire';
export { RateLimiter } from './ingest/rate-limiter';

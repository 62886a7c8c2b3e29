// The tRPC API: apps/web mounts `appRouter` on its HTTP and WebSocket transports and builds the
// services below; clients import `type AppRouter` / `RouterOutputs` only.
export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './root';
export type { DeferredBecause } from './ingest/request-ingest';
export {
  createContext,
  type ApiConfig,
  type ApiServices,
  type NatsHandles,
  type RequestOrigin,
  type TrpcContext,
} from './context';
export { AppError, isAppError, APP_ERROR_CODES, type AppErrorCode } from './app-error';
export { isServerFault } from './trpc';
export { createApiMetrics, type ApiMetrics, type RefusalReason } from './metrics';
export { StatusFanout, type StatusFanoutDeps } from './ingest/status-fanout';
export { StatusBroadcaster } from './ingest/broadcast/status-broadcaster';
export { SocketSubscriptions, type SubscriberSocket } from './ingest/broadcast/socket-subscriptions';
export { statusFrame, statusUpdate, statusWireEncoder } from './ingest/status-wire';
export { textFrame } from './ingest/broadcast/text-frame';
export { RateLimiter } from './limits/rate-limiter';
export { PeerTasks } from './limits/peer-tasks';
export { TaskTimelines } from './ingest/task-timelines';
export { PeerSubscriptionSlots, SubscriptionSlots } from './limits/subscription-slots';
export { peerKey } from './limits/peer-key';
export { callWait, tooManyCalls } from './limits/call-rate';

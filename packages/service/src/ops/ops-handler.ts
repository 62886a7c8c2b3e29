import type { ServerResponse } from 'node:http';
import { runReadiness, type ReadinessCheck, type ReadinessReport } from './readiness';

/** The part of a prom-client Registry the ops endpoints need (each service keeps its own registry). */
export type MetricsSource = { metrics(): Promise<string>; readonly contentType: string };

export type OpsOptions = {
  /** Reported by /healthz and /readyz, so a caller can tell which process answered. */
  instanceId: string;
  checks: readonly ReadinessCheck[];
  metrics: MetricsSource;
};

/**
 * Answers `path` when it is an ops path and returns true; false leaves the request to the caller.
 * `details: false` leaves each check's `detail` out of /readyz (it may name internal addresses or
 * carry a driver's message): for a caller that is not the operator, as on the web's public port.
 */
export type OpsHandler = (path: string, res: ServerResponse, options?: { details?: boolean }) => Promise<boolean>;

/**
 * The same three endpoints on every service: `/healthz` (the process answers), `/readyz` (every
 * readiness check passes: 200, else 503 naming the failing ones) and `/metrics` (Prometheus text).
 */
export function createOpsHandler(options: OpsOptions): OpsHandler {
  const { instanceId } = options;
  return async (path, res, { details = true } = {}) => {
    if (path === '/healthz') {
      send(res, 200, 'application/json', JSON.stringify({ status: 'ok', instanceId }));
    } else if (path === '/readyz') {
      const report = await runReadiness(options.checks);
      const checks = details ? report.checks : withoutDetails(report.checks);
      const body = { ready: report.ready, instanceId, checks, failing: report.failing };
      send(res, report.ready ? 200 : 503, 'application/json', JSON.stringify(body));
    } else if (path === '/metrics') {
      send(res, 200, options.metrics.contentType, await options.metrics.metrics());
    } else {
      return false;
    }
    return true;
  };
}

function withoutDetails(checks: ReadinessReport['checks']): Record<string, { ok: boolean }> {
  return Object.fromEntries(Object.entries(checks).map(([name, { ok }]) => [name, { ok }]));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(type === 'application/json' ? `${body}\n` : body);
}

import type { NatsConnection } from '@nats-io/transport-node';
import type { ReadinessCheck } from './readiness';

/**
 * NATS as the service sees it right now. `isClosed()` alone says nothing with infinite reconnect
 * (the connection is never closed, only reconnecting), so this asks the server: `rtt()` fails at
 * once while the client is disconnected and times out when the server does not answer.
 */
export function natsCheck(nc: NatsConnection, options: { name?: string; timeoutMs?: number } = {}): ReadinessCheck {
  return {
    name: options.name ?? 'nats',
    timeoutMs: options.timeoutMs,
    run: async () => {
      if (nc.isClosed()) return { ok: false, detail: 'connection closed' };
      if (nc.isDraining()) return { ok: false, detail: 'connection draining' };
      const ms = await nc.rtt();
      return { ok: true, detail: `${nc.getServer()} rtt ${ms} ms` };
    },
  };
}

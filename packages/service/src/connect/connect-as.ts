import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';

/**
 * How a client leaves a server that stops answering without closing the socket (frozen,
 * SIGSTOPped, cut off by a partition): it pings every `NATS_PING_INTERVAL_MS`, drops the
 * connection when `NATS_MAX_PINGS_OUT` pings are unanswered (15 to 20 s after the server went
 * silent) and moves to another server of the list. The first server it tries may be the silent
 * one again (nats.js retries the server it first connected to before the others), which accepts
 * the TCP connection and never sends its INFO: `NATS_CONNECT_TIMEOUT_MS` bounds that wait. So a
 * client is serving again through another node within about 25 s, where nats.js's defaults
 * (pings every 2 min, 2 outstanding, 20 s to connect) kept every request through a frozen node
 * timing out for about 5 min while the other two nodes had quorum. Not shorter: a server or a
 * client busy for a few seconds must not be dropped, and each drop costs a reconnect.
 * See docs/decisions.md.
 */
export const NATS_PING_INTERVAL_MS = 5_000;
export const NATS_MAX_PINGS_OUT = 3;
export const NATS_CONNECT_TIMEOUT_MS = 5_000;

/** A role's login on NATS: the server URL(s), comma-separated for a cluster, and the role's user. */
export type NatsRoleCredentials = { servers: string; user: string; pass: string };

/**
 * Opens a NATS connection as one role (a user of nats.conf), named so `nats server report
 * connections` tells the services apart. It reconnects forever: a service outlives a NATS restart
 * or a leader election, and its readiness check, not a closed connection, says when it is cut off.
 * Requests (every JetStream publish waits for its PubAck through one) do not capture a stack
 * trace each: the client's default builds two Error objects per request for that, a tenth of a
 * publisher's CPU under load; a failed request still rejects with the same error types. A server
 * that goes silent is given up within about 25 s (above).
 */
export function connectAs(
  credentials: NatsRoleCredentials,
  name: string,
  options: Partial<ConnectionOptions> = {},
): Promise<NatsConnection> {
  return connect({
    servers: serverList(credentials.servers),
    user: credentials.user,
    pass: credentials.pass,
    name,
    maxReconnectAttempts: -1,
    pingInterval: NATS_PING_INTERVAL_MS,
    maxPingOut: NATS_MAX_PINGS_OUT,
    timeout: NATS_CONNECT_TIMEOUT_MS,
    noAsyncTraces: true,
    ...options,
  });
}

/** `nats://a:4222, nats://b:4222` -> both: the client takes a list, not a comma-separated string. */
export function serverList(servers: string): string[] {
  return servers
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

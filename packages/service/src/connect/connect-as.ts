import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';

/** A role's login on NATS: the server URL(s), comma-separated for a cluster, and the role's user. */
export type NatsRoleCredentials = { servers: string; user: string; pass: string };

/**
 * Opens a NATS connection as one role (a user of nats.conf), named so `nats server report
 * connections` tells the services apart. It reconnects forever: a service outlives a NATS restart
 * or a leader election, and its readiness check, not a closed connection, says when it is cut off.
 * Requests (every JetStream publish waits for its PubAck through one) do not capture a stack
 * trace each: the client's default builds two Error objects per request for that, a tenth of a
 * publisher's CPU under load; a failed request still rejects with the same error types.
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

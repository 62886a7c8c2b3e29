import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM } from '@symbology/contracts';
import { isStreamNotFound, jetStreamApiCode } from '../errors/jetstream-codes';
import { DEFAULT_CHECK_TIMEOUT_MS, type CheckResult, type ReadinessCheck } from './readiness';

export type NatsCheckOptions = {
  name?: string;
  timeoutMs?: number;
  /**
   * The stream whose leader must answer (its info), INGEST unless told otherwise: the stream every
   * service publishes to or consumes. `null` asks for a round trip only.
   */
  stream?: string | null;
};

/**
 * NATS as the service sees it right now. `isClosed()` alone says nothing with infinite reconnect
 * (the connection is never closed, only reconnecting), so this asks the server: `rtt()` fails at
 * once while the client is disconnected and times out when the server does not answer. A server
 * that answers is not yet a JetStream that can store: with 2 of 3 nodes down the survivor still
 * answers pings, and every publish fails. So it also asks for the stream's info: no answer,
 * JetStream's refusal (10008, no quorum), no leader or a leader cut off from its replicas fails
 * the check, each with its reason.
 */
export function natsCheck(nc: NatsConnection, options: NatsCheckOptions = {}): ReadinessCheck {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const stream = options.stream === undefined ? INGEST_STREAM : options.stream;
  // Most of the check's time, so that a silent JetStream is reported as such, not as the check's timeout.
  const jsTimeoutMs = Math.max(100, Math.floor(timeoutMs * 0.8));
  let jsm: Promise<JetStreamManager> | undefined;
  const manager = () => (jsm ??= jetstreamManager(nc, { timeout: jsTimeoutMs, checkAPI: false }));
  return {
    name: options.name ?? 'nats',
    timeoutMs: options.timeoutMs,
    run: async () => {
      if (nc.isClosed()) return { ok: false, detail: 'connection closed' };
      if (nc.isDraining()) return { ok: false, detail: 'connection draining' };
      const [ms, jetStream] = await Promise.all([
        nc.rtt(),
        stream ? streamCanStore(manager, stream, jsTimeoutMs) : undefined,
      ]);
      const server = `${nc.getServer()} rtt ${ms} ms`;
      if (!jetStream) return { ok: true, detail: server };
      return { ok: jetStream.ok, detail: `${jetStream.ok ? server + '; ' : ''}${jetStream.detail}` };
    },
  };
}

/**
 * A replica the leader has not heard from for this long (five of raft's one-second heartbeats) is
 * not counted towards the quorum; one whose server is known to be down (`offline`) never is.
 */
const REPLICA_SILENCE_NS = 5_000 * 1_000_000;

/**
 * Whether the stream can store now, as its info says: a leader, and a quorum of its replicas in
 * touch with it. Never throws: a failure is a result with its reason.
 */
async function streamCanStore(
  manager: () => Promise<JetStreamManager>,
  stream: string,
  timeoutMs: number,
): Promise<CheckResult> {
  try {
    const { cluster } = await (await manager()).streams.info(stream);
    const leader = cluster?.leader;
    if (!cluster) return { ok: true, detail: `stream ${stream} on this server` };
    // A replica answers without a leader while the stream has none (quorum lost, or electing).
    if (!leader) return { ok: false, detail: `JetStream cannot store: stream ${stream} has no leader` };
    // A leader keeps its title for a while (about 20 s) after losing its quorum, and commits nothing.
    const replicas = cluster.replicas ?? [];
    const heard = replicas.filter((r) => !r.offline && r.active < REPLICA_SILENCE_NS).length;
    if (heard + 1 <= (replicas.length + 1) / 2) {
      return {
        ok: false,
        detail: `JetStream cannot store: stream ${stream}'s leader ${leader} hears ${heard} of its ${replicas.length} replicas (no quorum)`,
      };
    }
    return { ok: true, detail: `stream ${stream} leader ${leader}` };
  } catch (error) {
    return { ok: false, detail: jetStreamFailure(error, stream, timeoutMs) };
  }
}

function jetStreamFailure(error: unknown, stream: string, timeoutMs: number): string {
  if (isStreamNotFound(error)) return `JetStream has no stream ${stream}: provision it (ensureStreams)`;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    const code = jetStreamApiCode(cause);
    if (code !== undefined) return `JetStream cannot serve stream ${stream}: ${cause.message} (err_code ${code})`;
    if (cause instanceof errors.TimeoutError) {
      return `JetStream did not answer for stream ${stream} within ${timeoutMs} ms`;
    }
    if (cause instanceof errors.NoRespondersError) {
      return `JetStream did not answer for stream ${stream}: no responders`;
    }
  }
  return `JetStream: ${error instanceof Error ? error.message || error.name : String(error)}`;
}

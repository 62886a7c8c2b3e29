import { JetStreamApiCodes } from '@nats-io/jetstream';

/**
 * The JetStream API error codes (nats-server's `err_code`, stable across releases, unlike the
 * description text) that the services act on. The client library names a few of them; the rest
 * are nats-server's `server/jetstream_errors_generated.go`.
 */
export const JetStreamErrorCode = {
  ...JetStreamApiCodes,
  /** JSStreamNameExistErr: a stream of this name exists with another configuration. */
  StreamNameInUse: 10058,
  /** JSConsumerNameExistErr: a consumer of this name exists (older create API). */
  ConsumerNameInUse: 10013,
  /** JSConsumerAlreadyExists: a create for a consumer that exists with another configuration. */
  ConsumerAlreadyExists: 10148,
  /** JSConsumerDoesNotExist: an update of a consumer that does not exist. */
  ConsumerDoesNotExist: 10149,
  /** JSClusterIncompleteErr (503): a cluster-wide answer missing some servers' parts. */
  ClusterIncomplete: 10004,
  /**
   * JSClusterNoPeersErrF: "no suitable peers for placement, peer offline": an R3 stream or
   * consumer created while a node is down or catching up.
   */
  ClusterNoPeers: 10005,
  /** JSClusterNotAvailErr (503): "JetStream system temporarily unavailable", no meta leader (quorum lost). */
  ClusterNotAvailable: 10008,
  /** JSClusterNotLeaderErr: the server asked is not (or no longer) the leader that can answer. */
  ClusterNotLeader: 10009,
  /** JSNotEnabledErr (503): JetStream not enabled, as a server answers while its JetStream starts. */
  JetStreamNotEnabled: 10076,
  /** JSStreamOfflineErr, JSConsumerOfflineErr: assigned but not running on its servers right now. */
  StreamOffline: 10118,
  ConsumerOffline: 10119,
} as const;

/**
 * The `err_code` of a JetStream API error, or undefined for anything else. Read from the value
 * rather than by `instanceof JetStreamApiError`, because a bundler (Next.js) may hold a second copy
 * of the class; status errors (`JetStreamStatusError`, codes 400-503) are not API errors.
 */
export function jetStreamApiCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; apiError?: unknown };
  return typeof candidate.code === 'number' && typeof candidate.apiError === 'function' ? candidate.code : undefined;
}

const hasCode =
  (...codes: number[]) =>
  (error: unknown): boolean => {
    const code = jetStreamApiCode(error);
    return code !== undefined && codes.includes(code);
  };

/** A compare-and-set (KV create/update, expected last sequence) lost: another writer got there first. */
export const isCasConflict = hasCode(
  JetStreamErrorCode.StreamWrongLastSequence,
  JetStreamErrorCode.StreamWrongLastSequenceUnknown,
);
export const isStreamNotFound = hasCode(JetStreamErrorCode.StreamNotFound);
export const isConsumerNotFound = hasCode(JetStreamErrorCode.ConsumerNotFound, JetStreamErrorCode.ConsumerDoesNotExist);
/** A create raced another process's create of the same stream, and the two configs differ. */
export const isStreamNameInUse = hasCode(JetStreamErrorCode.StreamNameInUse);
/** A create raced another process's create of the same consumer, and the two configs differ. */
export const isConsumerExists = hasCode(JetStreamErrorCode.ConsumerNameInUse, JetStreamErrorCode.ConsumerAlreadyExists);
/** A direct get or a KV get of a sequence or subject the stream does not hold. */
export const isNoMessageFound = hasCode(JetStreamErrorCode.NoMessageFound);

/**
 * JetStream answered, but cannot serve anyone right now: the cluster lost its quorum (no meta
 * leader, 10008), a leader is being elected or moved, a server's JetStream is still starting
 * ("not enabled", also for the account), a stream or consumer is offline, too few peers are up to
 * place one (10005; on a cluster smaller than the replicas asked for this lasts, and the services'
 * start-up says so in every log line while it waits). Not a refusal of the request: the same
 * request may pass once the cluster recovers.
 */
export const isJetStreamUnavailable = hasCode(
  JetStreamErrorCode.ClusterIncomplete,
  JetStreamErrorCode.ClusterNoPeers,
  JetStreamErrorCode.ClusterNotAvailable,
  JetStreamErrorCode.ClusterNotLeader,
  JetStreamErrorCode.JetStreamNotEnabled,
  JetStreamErrorCode.JetStreamNotEnabledForAccount,
  JetStreamErrorCode.StreamOffline,
  JetStreamErrorCode.ConsumerOffline,
);

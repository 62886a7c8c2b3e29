import { jetstreamManager, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  EDGAR_LIMITER_BUCKET,
  INFLIGHT_BUCKET,
  INGEST_ADVISORIES_STREAM,
  INGEST_LEASE_BUCKET,
  INGEST_STREAM,
  INGEST_SUBJECTS,
  INGESTOR_MAX_DELIVERIES_SUBJECT,
} from '@symbology/contracts';
import { isStreamNameInUse, isStreamNotFound } from '../errors/jetstream-codes';

/** How long JetStream remembers a Nats-Msg-Id: a retry within it is dropped as a duplicate. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** An in-flight entry (ticker -> taskId) expires on its own should a task never finish. */
export const INFLIGHT_TTL_MS = 30 * 60_000;
/** A task's lease outlives any task; a lease its holder never released goes away on its own. */
export const LEASE_TTL_MS = 24 * 60 * 60_000;

const ms = (n: number) => n * 1_000_000; // JetStream durations are nanoseconds

export const INGEST_STREAM_CONFIG = {
  name: INGEST_STREAM,
  subjects: [INGEST_SUBJECTS],
  storage: 'file' as StreamConfig['storage'],
  retention: 'limits' as StreamConfig['retention'],
  max_age: 0,
  duplicate_window: ms(DUPLICATE_WINDOW_MS),
  // The stream is the source of truth: nobody may delete or purge events.
  deny_delete: true,
  deny_purge: true,
  allow_direct: true,
  num_replicas: 1,
} satisfies Partial<StreamConfig>;

/** An advisory nobody handled for this long is of no use: its task was long since noticed. */
export const ADVISORY_MAX_AGE_MS = 7 * 24 * 60 * 60_000;

/**
 * Captures the server's max-deliveries advisories of the `ingestor` durable, so that one fired
 * while no ingestor ran is still handled by the next to start. Acks do not remove them (limits
 * retention): they age out, and the ingestor's durable remembers what it has handled.
 */
export const INGEST_ADVISORIES_STREAM_CONFIG = {
  name: INGEST_ADVISORIES_STREAM,
  subjects: [INGESTOR_MAX_DELIVERIES_SUBJECT],
  storage: 'file' as StreamConfig['storage'],
  retention: 'limits' as StreamConfig['retention'],
  max_age: ms(ADVISORY_MAX_AGE_MS),
  num_replicas: 1,
} satisfies Partial<StreamConfig>;

export type EnsureStreamsOptions = {
  replicas?: number;
};

/** Settings provisioning changed on an existing stream (a KV bucket is its stream `KV_<bucket>`). */
export type ProvisionChange = {
  stream: string;
  settings: Record<string, { from: unknown; to: unknown }>;
};

/** `KV_edgar_limiter: num_replicas 1 -> 3`, for a log line. */
export function describeChange(change: ProvisionChange): string {
  const settings = Object.entries(change.settings).map(
    ([key, { from, to }]) => `${key} ${JSON.stringify(from)} -> ${JSON.stringify(to)}`,
  );
  return `${change.stream}: ${settings.join(', ')}`;
}

/**
 * The replica count provisioning uses, from `NATS_STREAM_REPLICAS`: 1 for one server (the default),
 * 3 on a three-node cluster (an R3 stream keeps its quorum with one node down).
 */
export function streamReplicasFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.NATS_STREAM_REPLICAS?.trim();
  if (!raw) return 1;
  const replicas = Number(raw);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new Error(`NATS_STREAM_REPLICAS must be an integer from 1 to 5 (JetStream's limit), not "${raw}"`);
  }
  return replicas;
}

/**
 * Creates, or brings up to date, the INGEST and INGEST_ADVISORIES streams and the KV buckets the services share.
 * Safe to run at every start and from several processes at once. Needs the operator role.
 * Answers each existing stream or bucket whose settings it changed (the launcher logs them).
 */
export async function ensureStreams(
  nc: NatsConnection,
  options: EnsureStreamsOptions = {},
): Promise<ProvisionChange[]> {
  const jsm = await jetstreamManager(nc);
  const replicas = options.replicas ?? 1;
  const kvm = new Kvm(nc);
  const outcomes = [
    await upsertStream(jsm, { ...INGEST_STREAM_CONFIG, num_replicas: replicas }),
    await upsertStream(jsm, { ...INGEST_ADVISORIES_STREAM_CONFIG, num_replicas: replicas }),
    await upsertBucket(kvm, jsm, EDGAR_LIMITER_BUCKET, { history: 1, replicas }),
    await upsertBucket(kvm, jsm, INFLIGHT_BUCKET, { history: 1, replicas, ttl: INFLIGHT_TTL_MS }),
    await upsertBucket(kvm, jsm, INGEST_LEASE_BUCKET, { history: 1, replicas, ttl: LEASE_TTL_MS }),
  ];
  return outcomes.filter((change) => change !== undefined);
}

type BucketSettings = { history: number; replicas: number; ttl?: number };

/**
 * Creates the bucket, or brings an existing one's settings up to ours. `Kvm.create` of a bucket
 * that exists only reads its info: a bucket created at 1 replica stayed at 1 when provisioning
 * later asked for 3 (the streams did move), so the settings are compared and updated on the
 * bucket's stream, as for the streams.
 */
async function upsertBucket(
  kvm: Kvm,
  jsm: JetStreamManager,
  bucket: string,
  settings: BucketSettings,
): Promise<ProvisionChange | undefined> {
  await kvm.create(bucket, settings);
  const outcome = await updateIfExists(jsm, {
    name: `KV_${bucket}`,
    num_replicas: settings.replicas,
    max_msgs_per_subject: settings.history,
    max_age: settings.ttl === undefined ? 0 : ms(settings.ttl),
  });
  return changeOf(outcome);
}

async function upsertStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<ProvisionChange | undefined> {
  const outcome = await updateIfExists(jsm, config);
  if (outcome !== 'missing') return changeOf(outcome);
  try {
    await jsm.streams.add(config);
    return undefined;
  } catch (raced) {
    // Another process created it between our info and add. With the same config the server
    // answers success; it refuses only when the two differ: then bring it up to ours.
    if (!isStreamNameInUse(raced)) throw raced;
    return changeOf(await updateIfExists(jsm, config));
  }
}

/**
 * Updates the stream only when one of our settings differs from the server's. An update is not
 * free: nats-server 2.10 gives the stream a new `created` time after the next restart, which the
 * projector rightly reads as "the stream was recreated" and refuses to go on.
 * Answers the change made, `unchanged`, or `missing` when there is no such stream.
 */
async function updateIfExists(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<ProvisionChange | 'unchanged' | 'missing'> {
  try {
    const info = await jsm.streams.info(config.name);
    const current = info.config as unknown as Record<string, unknown>;
    const settings: ProvisionChange['settings'] = {};
    for (const [key, value] of Object.entries(config)) {
      if (JSON.stringify(value) !== JSON.stringify(current[key])) settings[key] = { from: current[key], to: value };
    }
    if (Object.keys(settings).length === 0) return 'unchanged';
    await jsm.streams.update(config.name, { ...info.config, ...config });
    return { stream: config.name, settings };
  } catch (error) {
    if (isStreamNotFound(error)) return 'missing';
    throw error;
  }
}

const changeOf = (outcome: ProvisionChange | 'unchanged' | 'missing') =>
  typeof outcome === 'object' ? outcome : undefined;

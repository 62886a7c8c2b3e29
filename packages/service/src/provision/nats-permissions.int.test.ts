import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import {
  INGEST_ADVISORIES_STREAM,
  INGEST_STREAM,
  INGESTOR_CONSUMER,
  INGESTOR_MAX_DELIVERIES_SUBJECT,
  MAX_DELIVERIES_CONSUMER,
  NATS_ROLES,
  TASK_STATUS_PROJECTION,
  type NatsRole,
} from '@symbology/contracts';
import { startNatsServer, type RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStreams } from './ensure-streams';

/** The consumer API subjects a role might send, for one consumer name on a stream (INGEST unless named). */
const OPERATIONS = {
  'create (filtered)': (c: string, stream = INGEST_STREAM) => `$JS.API.CONSUMER.CREATE.${stream}.${c}.ingest.t1.>`,
  'create (no filter)': (c: string, stream = INGEST_STREAM) => `$JS.API.CONSUMER.CREATE.${stream}.${c}`,
  'durable create': (c: string, stream = INGEST_STREAM) => `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${c}`,
  info: (c: string, stream = INGEST_STREAM) => `$JS.API.CONSUMER.INFO.${stream}.${c}`,
  'msg next': (c: string, stream = INGEST_STREAM) => `$JS.API.CONSUMER.MSG.NEXT.${stream}.${c}`,
  delete: (c: string, stream = INGEST_STREAM) => `$JS.API.CONSUMER.DELETE.${stream}.${c}`,
  ack: (c: string, stream = INGEST_STREAM) => `$JS.ACK.${stream}.${c}.1.1.1.1.0`,
} as const;
type Operation = keyof typeof OPERATIONS;

const EPHEMERAL = 'oc_probe_1';
const CONSUMERS = [INGESTOR_CONSUMER, TASK_STATUS_PROJECTION, EPHEMERAL] as const;
const ALL = Object.keys(OPERATIONS) as Operation[];
/** What a replaying role does with its own ordered consumers: create with a filter, inspect, pull. */
const REPLAY: Operation[] = ['create (filtered)', 'info', 'msg next'];

/** The permission matrix of nats.conf: which operations each role may send on each consumer. */
const ALLOWED: Record<NatsRole, Record<(typeof CONSUMERS)[number], Operation[]>> = {
  web: { ingestor: [], 'task-status-v1': [], [EPHEMERAL]: REPLAY },
  ingestor: {
    ingestor: ['create (filtered)', 'create (no filter)', 'info', 'msg next', 'ack'],
    'task-status-v1': [],
    [EPHEMERAL]: REPLAY,
  },
  projector: {
    ingestor: [],
    'task-status-v1': ['create (filtered)', 'create (no filter)', 'info', 'msg next', 'delete', 'ack'],
    [EPHEMERAL]: REPLAY,
  },
  subscriber: { ingestor: [], 'task-status-v1': [], [EPHEMERAL]: REPLAY },
  operator: { ingestor: ALL, 'task-status-v1': ALL, [EPHEMERAL]: ALL },
};

/** Sends the subject as that role: 'denied' when the server refuses it for permissions. */
async function probe(nc: NatsConnection, subject: string): Promise<'allowed' | 'denied'> {
  try {
    // An unknown consumer answers an error or nobody answers: either way the server let it through.
    await nc.request(subject, '{}', { timeout: 1_500 });
    return 'allowed';
  } catch (error) {
    return refusedForPermissions(error) ? 'denied' : 'allowed';
  }
}

/** The client wraps a refused request in a RequestError whose cause is the permission violation. */
function refusedForPermissions(error: unknown): boolean {
  if (error instanceof errors.PermissionViolationError) return true;
  return error instanceof Error && error.cause instanceof errors.PermissionViolationError;
}

describe('nats.conf: least privilege on the INGEST consumers', () => {
  let nats: RunningNatsServer;
  const connections = new Map<NatsRole, NatsConnection>();
  beforeAll(async () => {
    nats = await startNatsServer();
    for (const role of NATS_ROLES) connections.set(role, await nats.connect(role, `perm-${role}`));
    await ensureStreams(connections.get('operator')!);
  });
  afterAll(async () => {
    await Promise.all([...connections.values()].map((nc) => nc.close()));
    await nats?.stop();
  });

  // Not the durables themselves: a probe that is let through must not change them (the operator's
  // delete would). The consumers do not exist here; permissions are checked before existence.
  it.each(NATS_ROLES)('role %s: each consumer API subject is allowed or denied as the matrix says', async (role) => {
    const nc = connections.get(role)!;
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const consumer of CONSUMERS) {
      for (const operation of ALL) {
        const outcome = await probe(nc, OPERATIONS[operation](consumer));
        seen.push(`${consumer} ${operation}: ${outcome}`);
        wanted.push(`${consumer} ${operation}: ${ALLOWED[role][consumer].includes(operation) ? 'allowed' : 'denied'}`);
      }
    }
    // No consumer name at all (the pre-2.10 ephemeral create) is the operator's alone.
    seen.push(`unnamed create: ${await probe(nc, `$JS.API.CONSUMER.CREATE.${INGEST_STREAM}`)}`);
    wanted.push(`unnamed create: ${role === 'operator' ? 'allowed' : 'denied'}`);
    expect(seen).toEqual(wanted);
  });

  // The durable that ends the tasks of the stored advisories is the ingestor's; only the server
  // writes advisories: a role that could publish one could fail any task it names.
  it.each(NATS_ROLES)(
    'role %s: INGEST_ADVISORIES is read by the ingestor durable alone, written by nobody',
    async (role) => {
      const nc = connections.get(role)!;
      const own: Operation[] = ['create (no filter)', 'info', 'msg next', 'ack'];
      const allowed: Operation[] = role === 'ingestor' ? own : role === 'operator' ? ALL : [];
      const seen: string[] = [];
      const wanted: string[] = [];
      for (const consumer of [MAX_DELIVERIES_CONSUMER, EPHEMERAL]) {
        for (const operation of [
          'create (filtered)',
          'create (no filter)',
          'info',
          'msg next',
          'delete',
          'ack',
        ] as const) {
          seen.push(
            `${consumer} ${operation}: ${await probe(nc, OPERATIONS[operation](consumer, INGEST_ADVISORIES_STREAM))}`,
          );
          const mine = consumer === MAX_DELIVERIES_CONSUMER ? allowed : role === 'operator' ? ALL : [];
          wanted.push(`${consumer} ${operation}: ${mine.includes(operation) ? 'allowed' : 'denied'}`);
        }
      }
      seen.push(`forged advisory: ${await probe(nc, INGESTOR_MAX_DELIVERIES_SUBJECT)}`);
      wanted.push('forged advisory: denied');
      expect(seen).toEqual(wanted);
    },
  );

  it('no other role can rewrite, delete or pull from the ingestor durable (the attacks of issue 11)', async () => {
    const operator = await jetstreamManager(connections.get('operator')!);
    await operator.consumers.add(INGEST_STREAM, {
      durable_name: INGESTOR_CONSUMER,
      filter_subject: 'ingest.*.requested',
      ack_policy: AckPolicy.Explicit,
      ack_wait: 60_000_000_000,
    });
    for (const role of ['web', 'projector', 'subscriber'] as const) {
      const jsm = await jetstreamManager(connections.get(role)!, { checkAPI: false });
      const update = jsm.consumers.update(INGEST_STREAM, INGESTOR_CONSUMER, { ack_wait: 1_000_000_000 });
      expect(refusedForPermissions(await update.catch((e: unknown) => e))).toBe(true);
      const remove = jsm.consumers.delete(INGEST_STREAM, INGESTOR_CONSUMER);
      expect(refusedForPermissions(await remove.catch((e: unknown) => e))).toBe(true);
      // Binding to it (an INFO) is refused before any pull (MSG.NEXT, refused too: the matrix).
      const bind = jetstream(connections.get(role)!).consumers.get(INGEST_STREAM, INGESTOR_CONSUMER);
      expect(refusedForPermissions(await bind.catch((e: unknown) => e))).toBe(true);
    }
    const info = await operator.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER);
    expect(info.config.ack_wait).toBe(60_000_000_000);
  });
});

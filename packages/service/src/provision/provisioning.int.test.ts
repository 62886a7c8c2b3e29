import { AckPolicy, DeliverPolicy, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM } from '@symbology/contracts';
import { startNatsServer, type RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDurable, type DurableConfig } from './ensure-durable';
import { ensureStreams } from './ensure-streams';

const durable = (name: string, settings: Partial<DurableConfig>): DurableConfig => ({
  durable_name: name,
  ack_policy: AckPolicy.Explicit,
  ...settings,
});

describe('provisioning on a real nats-server', () => {
  let nats: RunningNatsServer;
  const open: NatsConnection[] = [];
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nats = await startNatsServer();
    const operators = await Promise.all([1, 2, 3].map(() => nats.connect('operator')));
    open.push(...operators);
    // Three processes provisioning at once (three services starting together): none fails.
    await Promise.all(operators.map((nc) => ensureStreams(nc)));
    jsm = await jetstreamManager(operators[0]!);
  });
  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => {})));
    await nats?.stop();
  });

  it('creates the stream once, whoever provisions, and a later run keeps it', async () => {
    await ensureStreams(open[1]!);
    const streams = await jsm.streams.names().next();
    expect(streams.filter((s) => s === INGEST_STREAM)).toHaveLength(1);
  });

  it('creates a durable at its start position, then leaves it alone when nothing changed', async () => {
    const config = durable('kit-start', {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: 42,
      ack_wait: nanos(30_000),
    });
    const first = await ensureDurable(jsm, INGEST_STREAM, config);
    expect(first.action).toBe('created');
    expect(first.info.config).toMatchObject({ deliver_policy: 'by_start_sequence', opt_start_seq: 42 });
    const again = await ensureDurable(jsm, INGEST_STREAM, config);
    expect(again.action).toBe('unchanged');
  });

  it('updates a changed setting but never the start position of an existing durable', async () => {
    const base = durable('kit-update', {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: 5,
      ack_wait: nanos(30_000),
      max_ack_pending: 100,
    });
    await ensureDurable(jsm, INGEST_STREAM, base);
    const changed = await ensureDurable(jsm, INGEST_STREAM, {
      ...base,
      opt_start_seq: 900, // a later checkpoint: applies to a new durable only
      ack_wait: nanos(5_000),
      max_ack_pending: 10,
    });
    expect(changed.action).toBe('updated');
    const info = await jsm.consumers.info(INGEST_STREAM, 'kit-update');
    expect(info.config).toMatchObject({ ack_wait: nanos(5_000), max_ack_pending: 10, opt_start_seq: 5 });
  });

  it('given replicas starting at once, then one creates, the others find it, none fails', async () => {
    const config = durable('kit-race', {
      deliver_policy: DeliverPolicy.All,
      filter_subject: 'ingest.*.requested',
      ack_wait: nanos(60_000),
    });
    const results = await Promise.all(
      open.map(async (nc) => ensureDurable(await jetstreamManager(nc), INGEST_STREAM, config)),
    );
    expect(results.filter((r) => r.action === 'created').length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.info.name === 'kit-race')).toBe(true);
  });

  it('given a stream that does not exist, then the error says so instead of a create being tried', async () => {
    await expect(ensureDurable(jsm, 'NO_SUCH_STREAM', { durable_name: 'x' })).rejects.toMatchObject({
      code: 10059,
    });
  });
});

describe('provisioning at every start', () => {
  it('leaves an unchanged stream alone, so its identity survives provisioning and restarts', async () => {
    const nats = await startNatsServer();
    try {
      const provision = async () => {
        const nc = await nats.connect('operator');
        await ensureStreams(nc);
        const info = await (await jetstreamManager(nc)).streams.info(INGEST_STREAM);
        await nc.close();
        return info.created;
      };
      const created = await provision();
      // What `npm start` does on every start: restart the server, provision again.
      for (let round = 0; round < 3; round++) {
        await nats.restart();
        expect(await provision()).toBe(created);
      }
    } finally {
      await nats.stop();
    }
  });
});

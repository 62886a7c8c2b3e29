import { Kvm } from '@nats-io/kv';
import { INGEST_LEASE_BUCKET, isTerminalEvent } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnIngestor, waitFor, type ChildIngestor } from '../testing/child-ingestor';
import { startHarness, type Harness } from '../testing/harness';

const ACK_WAIT_MS = 2_000;

describe('fencing: two holders of one task never both go on', () => {
  let h: Harness;
  let replicas: ChildIngestor[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of replicas) {
      c.process.kill('SIGCONT');
      if (c.process.exitCode === null) c.process.kill('SIGKILL');
    }
    await h?.close();
  });

  it('a holder frozen past ack_wait stops at its next step once the redelivered task is taken over', async () => {
    h.mirror.inject({ pattern: '/Archives/', delayMs: 700 });
    // One worker each: a frozen process's idle worker would hold a pull request the redelivery could land in.
    const env = { INGEST_ACK_WAIT_MS: String(ACK_WAIT_MS), INGEST_CONCURRENCY: '1' };
    replicas = [0, 1].map(() => spawnIngestor(h, process.env, env));
    await Promise.all(
      replicas.map((r) =>
        waitFor(async () => (/ingestor started/.test(r.output()) ? true : undefined), 30_000, 'start'),
      ),
    );
    const taskId = await h.request('SYMB');
    await waitFor(
      async () => ((await h.stored(taskId)).some((s) => s.event.type === 'FilingCompleted') ? true : undefined),
      30_000,
      'the first FilingCompleted',
    );
    const stale = await waitFor(
      async () => replicas.find((r) => r.output().includes(taskId)),
      10_000,
      'the holder’s log',
    );
    // Frozen (a GC pause, a stalled VM, a network cut): no heartbeat reaches the server, the
    // request is redelivered to the other replica, which takes the task over.
    const leases = await new Kvm(h.js).open(INGEST_LEASE_BUCKET);
    stale.process.kill('SIGSTOP');
    // The takeover shows in the lease: the other replica's delivery wrote its name over the stale one's.
    // (Not in its log: it may be waiting on a row the frozen holder's open transaction locks.)
    const heldBy = async () => (await leases.get(taskId))?.string();
    const before = await heldBy();
    await waitFor(async () => ((await heldBy()) !== before ? true : undefined), 45_000, 'the takeover');
    // Both hold the task now; the stale one wakes up mid-filing.
    stale.process.kill('SIGCONT');

    await waitFor(
      async () => (/lease lost/.test(stale.output()) ? true : undefined),
      30_000,
      'the stale holder to stop',
    );
    const events = await h.waitForTerminal(taskId, 60_000);
    const stored = await h.stored(taskId);
    expect(stored.filter((s) => isTerminalEvent(s.event)).map((s) => s.event.type)).toEqual(['IngestCompleted']);
    expect(events.filter((e) => e.type === 'FilingCompleted')).toHaveLength(5);
    // The stale holder fetched nothing after it woke but the document it had in hand: each of the
    // five documents was read once, and one (that filing) twice at most.
    const documents = h.mirror.requests().filter((r) => r.path.includes('/Archives/'));
    expect(documents.length).toBeLessThanOrEqual(6);
    expect(stale.output()).not.toMatch(/"msg":"task finished"[^\n]*/);
  });
});

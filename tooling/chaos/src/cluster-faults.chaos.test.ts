import { INGEST_STREAM } from '@symbology/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  requestMany,
  startChaosSystem,
  waitFor,
  type ChaosSystem,
  type ScenarioReport,
  type ServiceProcess,
} from './chaos-system';

const started = (s: ServiceProcess, line: string) =>
  waitFor(`${s.kind} started`, 60_000, async () => (s.output().includes(line) ? true : undefined));

function expectClean(report: ScenarioReport): void {
  expect(report).toMatchObject({ lost: 0, duplicates: 0, terminal: report.published, verify: 'ok' });
}

describe('more cluster faults (real processes on three nodes)', () => {
  let chaos: ChaosSystem;
  beforeAll(async () => {
    chaos = await startChaosSystem();
  });
  afterAll(async () => chaos?.stop());
  beforeEach(async () => chaos.reset());

  it('the INGEST leader frozen (SIGSTOP, a partition) for 15 s during load', async () => {
    await started(chaos.spawn('projector'), 'projector running');
    await started(chaos.spawn('ingestor'), 'ingestor started');
    chaos.mirror.inject({ pattern: '/Archives/', delayMs: 150 });
    const tasks = await requestMany(chaos, 12);
    await new Promise((r) => setTimeout(r, 1_000));
    const leader = await chaos.cluster.streamLeader(INGEST_STREAM);
    process.kill(leader.pid()!, 'SIGSTOP');
    try {
      // Longer than nats-server's election timeouts (at most 9 s), so the other two may elect a leader.
      await new Promise((r) => setTimeout(r, 15_000));
    } finally {
      process.kill(leader.pid()!, 'SIGCONT');
    }
    await chaos.waitTerminal(tasks, 120_000);
    expectClean(await chaos.report('leader-frozen', tasks));
    for (const s of chaos.services) expect(s.process.exitCode).toBeNull();
  });

  it('the projector crash-looping (kill -9 every 1 to 2 s) while a NATS node restarts', async () => {
    // Up before the faults: the ingestor's own start is not what this scenario is about.
    await started(chaos.spawn('ingestor'), 'ingestor started');
    chaos.mirror.inject({ pattern: '/Archives/', delayMs: 100 });
    const tasks = await requestMany(chaos, 12);
    const node = chaos.cluster.nodes[2]!;
    for (let round = 0; round < 6; round++) {
      chaos.spawn('projector');
      await new Promise((r) => setTimeout(r, 1_000 + Math.random() * 1_000));
      if (round === 2) await node.kill();
      if (round === 4) await node.start();
      await chaos.killAll('projector');
    }
    chaos.spawn('projector');
    await chaos.waitTerminal(tasks, 120_000);
    expectClean(await chaos.report('projector-crash-loop', tasks));
  });
});

import { INGEST_STREAM, isTerminalEvent } from '@symbology/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maxInAnyWindow } from '@symbology/edgar-mirror';
import {
  requestMany,
  startChaosSystem,
  waitFor,
  type ChaosSystem,
  type ScenarioReport,
  type ServiceProcess,
} from './chaos-system';

/** What every scenario must end with: 0 lost, 0 duplicated, 0 hung, and the read model agrees. */
function expectClean(report: ScenarioReport): void {
  expect(report).toMatchObject({ lost: 0, duplicates: 0, terminal: report.published, verify: 'ok' });
}

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

describe('the fault campaign on a three-node JetStream cluster (real processes, kill -9)', () => {
  let chaos: ChaosSystem;
  beforeAll(async () => {
    chaos = await startChaosSystem();
  });
  afterAll(async () => chaos?.stop());
  beforeEach(async () => chaos.reset());

  // First, on a fresh database: a ticker ingested before finished too fast here to be killed in two deliveries.
  it('max deliveries (INGEST_MAX_DELIVER=2): an ingestor killed in every delivery still ends the task', async () => {
    chaos.spawn('projector');
    const env = { INGEST_MAX_DELIVER: '2', INGEST_CONCURRENCY: '1' };
    // Every EDGAR answer slow, so each delivery is still running when it is killed (a ticker the
    // earlier scenarios ingested is re-checked, not downloaded again).
    chaos.mirror.inject({ pattern: '.', regex: true, delayMs: 2_000 });
    const [taskId] = await requestMany(chaos, 1);
    const started = (s: ServiceProcess) =>
      waitFor('an ingestor started', 30_000, async () => (s.output().includes('ingestor started') ? true : undefined));
    let holder = chaos.spawn('ingestor', env);
    for (let delivery = 1; delivery <= 2; delivery++) {
      const current = holder;
      await waitFor(`delivery ${delivery} under way`, 30_000, async () =>
        new RegExp(`"delivery":${delivery}`).test(current.output()) ? true : undefined,
      );
      // A survivor is running before the kill: the one that must notice the deliveries ran out.
      holder = chaos.spawn('ingestor', env);
      await started(holder);
      await current.kill();
    }
    chaos.mirror.clearFaults();
    await chaos.waitTerminal([taskId!], 60_000);
    const terminal = (await chaos.events()).filter((e) => e.taskId === taskId && isTerminalEvent(e));
    expect(terminal).toHaveLength(1);
    expectClean(await chaos.report('max-deliveries', [taskId!]));
  });

  it('kill -9 of the INGEST stream leader during 20 concurrent ingestions: all finish after the election', async () => {
    chaos.spawn('projector');
    const ingestor = chaos.spawn('ingestor');
    chaos.mirror.inject({ pattern: '/Archives/', delayMs: 200 });
    const tasks = await requestMany(chaos, 20);
    // These tasks' work, not an earlier scenario's: the kill must land mid-ingestion. A filing
    // started is the sign (a company an earlier scenario stored whole has no filing to complete;
    // FLKY's filings always start, and fail).
    await waitFor('work under way', 60_000, async () =>
      (await chaos.events()).some((e) => e.type === 'FilingStarted' && tasks.includes(e.taskId)) ? true : undefined,
    );
    const leader = await chaos.cluster.streamLeader(INGEST_STREAM);
    const killedAt = Date.now();
    await leader.kill();
    const next = await chaos.cluster.streamLeader(INGEST_STREAM);
    console.log(`chaos leader-kill: ${leader.name} killed, ${next.name} leads after ${Date.now() - killedAt} ms`);
    await chaos.waitTerminal(tasks, 120_000);
    await leader.start();
    expectClean(await chaos.report('leader-kill', tasks));
    expect(ingestor.process.exitCode).toBeNull();
  });

  it('kill -9 of each service at random points, repeatedly, during load', async () => {
    chaos.spawn('projector');
    chaos.spawn('ingestor');
    chaos.mirror.inject({ pattern: '/Archives/', delayMs: 150 });
    const tasks: string[] = [];
    for (let round = 0; round < 4; round++) {
      tasks.push(...(await requestMany(chaos, 5)));
      await new Promise((r) => setTimeout(r, random(300, 1_500)));
      const kind = round % 2 === 0 ? 'ingestor' : 'projector';
      await chaos.killAll(kind);
      chaos.spawn(kind);
    }
    await chaos.waitTerminal(tasks, 120_000);
    expectClean(await chaos.report('kill-services', tasks));
  });

  it('one NATS node stopped and restarted during load: it catches up, nothing is lost', async () => {
    chaos.spawn('projector');
    chaos.spawn('ingestor');
    chaos.mirror.inject({ pattern: '/Archives/', delayMs: 150 });
    const tasks = await requestMany(chaos, 10);
    const node = chaos.cluster.nodes[1]!;
    await node.stop();
    tasks.push(...(await requestMany(chaos, 5)));
    await new Promise((r) => setTimeout(r, 2_000));
    const restartedAt = Date.now();
    await node.start();
    await chaos.cluster.waitStreamCurrent(INGEST_STREAM);
    console.log(`chaos node-restart: ${node.name} current again ${Date.now() - restartedAt} ms after its start`);
    await chaos.waitTerminal(tasks, 120_000);
    expectClean(await chaos.report('node-restart', tasks));
  });

  it('two ingestors with clocks 800 ms apart and a 429 storm: never more than 10 requests in any second', async () => {
    chaos.spawn('projector');
    for (const offset of ['400', '-400']) {
      chaos.spawn('ingestor', { EDGAR_MAX_RPS: '10', SYMBOLOGY_TEST_CLOCK_OFFSET_MS: offset, EDGAR_MAX_ATTEMPTS: '6' });
    }
    chaos.mirror.clearRequests();
    // Every request answered 429 for a while, asking for a one-second pause.
    chaos.mirror.inject({ pattern: '.', regex: true, status: 429, retryAfter: 1, times: 25 });
    const tasks = await requestMany(chaos, 12);
    await chaos.waitTerminal(tasks, 120_000);
    const log = chaos.mirror.requests().sort((a, b) => a.time - b.time);
    const times = log.map((r) => r.time);
    const worst = maxInAnyWindow(times, 1_000);
    console.log(`chaos skew-429: ${times.length} EDGAR requests, at most ${worst} in any one-second window`);
    if (worst > 10) {
      const from = log.findIndex((r, i) => (log[i + 10]?.time ?? Infinity) - r.time < 1_000);
      console.log(log.slice(from, from + 11).map((r) => `${r.time - log[from]!.time} ms ${r.status} ${r.path}`));
    }
    // The storm was seen (all 25 refusals), and work went on after it.
    expect(log.filter((r) => r.status === 429)).toHaveLength(25);
    expect(log.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(10);
    expectClean(await chaos.report('skew-429', tasks));
  });
});

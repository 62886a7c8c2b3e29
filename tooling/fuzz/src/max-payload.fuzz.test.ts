import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { startProcessSystem, waitFor, type ProcessSystem } from '@symbology/chaos';
import {
  IngestEventSchema,
  newTaskId,
  TERMINAL_TASK_STATES,
  type IngestEvent,
  type MissingPart,
} from '@symbology/contracts';
import { SAMPLE_FILINGS, taskEvents, taskWithOneFailure } from '@symbology/contracts/testing';
import { EventPublishError, publishEvent } from '@symbology/service';
import { startTestSystem, type TestSystem } from '@symbology/test-system';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FILING = SAMPLE_FILINGS[0]!;
/** What one published event may weigh: nats.conf's max_payload. */
const MAX_PAYLOAD = 1024 * 1024;

const serialized = (event: IngestEvent) => JSON.stringify(IngestEventSchema.parse(event)).length;

/**
 * A FilingCompleted whose JSON, as publishEvent sends it, is exactly `bytes` long: as many parts
 * missing (each with a message of at most 500 characters, the cap) as it takes. `missing` has no
 * count cap in the contract, so this is the largest event a publisher can build.
 */
function filingCompletedOf(taskId: string, bytes: number): IngestEvent {
  const e = taskEvents(taskId);
  const part = (length: number): MissingPart => ({
    part: 'facts',
    code: 'fuzz_padding',
    message: 'x'.repeat(length),
    retryable: false,
  });
  const fixedId = e.partial(FILING, [part(1)]).eventId;
  const build = (missing: MissingPart[]) => ({ ...e.partial(FILING, missing), eventId: fixedId });
  // Enough parts of 500 characters to reach `bytes` (each further one adds its JSON and a comma),
  // then the first messages shortened by what overshoots.
  const one = serialized(build([part(500)]));
  const perPart = JSON.stringify(part(500)).length + 1;
  const lengths = Array.from({ length: 1 + Math.ceil(Math.max(0, bytes - one) / perPart) }, () => 500);
  let excess = one + (lengths.length - 1) * perPart - bytes;
  for (let i = 0; excess > 0; i++) {
    const cut = Math.min(excess, 499);
    lengths[i]! -= cut;
    excess -= cut;
  }
  const missing = lengths.map(part);
  const event = build(missing);
  expect(serialized(event)).toBe(bytes);
  return event;
}

describe('event payloads at and over NATS max_payload (1 MB), on the real projector (a process)', () => {
  let test: TestSystem;
  let system: ProcessSystem;
  let web: JetStreamClient;
  let ingestor: JetStreamClient;

  beforeAll(async () => {
    test = await startTestSystem();
    system = await startProcessSystem(test, test.nats, { group: 'fuzz' });
    system.spawn('projector');
    web = jetstream(await test.nats.connect('web', 'fuzz-web'));
    ingestor = jetstream(await test.nats.connect('ingestor', 'fuzz-ingestor'));
  });
  afterAll(async () => {
    await system?.stop();
  });

  const publish = (event: IngestEvent) => publishEvent(event.type === 'IngestRequested' ? web : ingestor, event);
  const publishTask = async (events: IngestEvent[]) => {
    for (const event of events) await publish(event);
  };

  it('stores and projects an event 1 KB under max_payload; refuses one byte over at once, with a clear error; the projector goes on', async () => {
    // At: 1 KB under the limit leaves room for the headers publishEvent sends (Nats-Msg-Id, expected stream).
    const atTask = newTaskId();
    const at = taskEvents(atTask);
    await publishTask([at.requested(), at.resolved([FILING]), at.started(FILING)]);
    const big = filingCompletedOf(atTask, MAX_PAYLOAD - 1024);
    const stored = await publish(big);
    expect(stored.duplicate).toBe(false);
    await publish(at.ingestCompleted(0, 0, 1));

    // Over: refused by the client before it is sent, not retried, and the connection still publishes.
    const overTask = newTaskId();
    const over = taskEvents(overTask);
    await publishTask([over.requested(), over.resolved([FILING]), over.started(FILING)]);
    const started = Date.now();
    const refusal = await publish(filingCompletedOf(overTask, MAX_PAYLOAD + 1)).then(
      () => undefined,
      (error: unknown) => error,
    );
    const refusedInMs = Date.now() - started;
    console.log(`fuzz max_payload: ${MAX_PAYLOAD + 1} bytes refused in ${refusedInMs} ms: ${String(refusal)}`);
    expect(refusal).toBeInstanceOf(EventPublishError);
    expect((refusal as Error).message).toMatch(
      new RegExp(
        `^could not publish FilingCompleted \\(${MAX_PAYLOAD + 1} bytes\\) for task ${overTask} .*max_payload size exceeded`,
      ),
    );
    expect(refusedInMs).toBeLessThan(1_000);
    // The publisher goes on with the same task, as the ingestor would after a refused event.
    await publishTask([over.partial(FILING), over.ingestCompleted(0, 0, 1)]);

    // A normal task after both: projected as usual.
    const normalTask = newTaskId();
    await publishTask(taskWithOneFailure(normalTask));

    const tasks = [atTask, overTask, normalTask];
    const sql = postgres(system.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await waitFor('every task projected terminal', 60_000, async () => {
        const found = await sql<{ task_id: string; status: string }[]>`
          select task_id, status from tasks where task_id = any(${tasks}) and status = any(${[...TERMINAL_TASK_STATES]})`;
        return found.length === tasks.length ? found : undefined;
      });
      expect(Object.fromEntries(rows.map((r) => [r.task_id, r.status]))).toEqual({
        [atTask]: 'completed_with_errors',
        [overTask]: 'completed_with_errors',
        [normalTask]: 'completed_with_errors',
      });
      const [dead] = await sql<{ n: number }[]>`select count(*)::int as n from dead_letters`;
      expect(dead?.n).toBe(0);
    } finally {
      await sql.end();
    }
    const report = await system.report('max-payload', tasks);
    expect(report).toMatchObject({ lost: 0, duplicates: 0, terminal: 3, verify: 'ok' });
    for (const service of system.services) expect(service.process.exitCode).toBeNull();
  });
});

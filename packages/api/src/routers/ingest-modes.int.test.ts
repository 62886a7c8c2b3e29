import { INGEST_STREAM, newTaskId, parseEvent, subjects, type SelectedFiling } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ApiServices } from '../context';
import { createCaller } from '../root';
import { startTestSystem, type TestSystem } from '../testing/test-system';

let system: TestSystem;
let services: ApiServices;
const caller = (clientId = 'client-1') => createCaller(createContext(services, { clientId, peer: '127.0.0.1' }));
const HOUR = 3_600_000;

beforeAll(async () => {
  system = await startTestSystem();
  services = await system.services({ refreshAfterMs: 24 * HOUR });
});
afterAll(async () => {
  await system?.stop();
});

type PartRow = { part: string; status: 'stored' | 'missing' | 'not_offered'; retryable?: boolean; taskId?: string };
let nextCik = 100;

/** Two 10-K filings of a new company, stored as `parts` say; the company last read from EDGAR `checkedHoursAgo`. */
async function seedCompany(ticker: string, checkedHoursAgo: number | null, parts: (f: SelectedFiling) => PartRow[]) {
  const cik = String(nextCik++).padStart(10, '0');
  const filings: SelectedFiling[] = [2024, 2023].map((fiscalYear, i) => ({
    accession: `${cik}-${String(fiscalYear + 1).slice(2)}-00000${i + 1}`,
    form: '10-K',
    fiscalYear,
    reportDate: `${fiscalYear}-12-31`,
    filingDate: `${fiscalYear + 1}-02-15`,
  }));
  const sql = system.db.$client;
  const checkedAt = checkedHoursAgo === null ? null : new Date(Date.now() - checkedHoursAgo * HOUR).toISOString();
  await sql`insert into companies (cik, name, tickers, checked_at) values (${cik}, ${`${ticker} Corp`}, ${[ticker]}, ${checkedAt})`;
  for (const f of filings) {
    await sql`insert into filings (accession, cik, form, fiscal_year, report_date, filing_date, primary_document, primary_document_url)
      values (${f.accession}, ${cik}, '10-K', ${f.fiscalYear}, ${f.reportDate}, ${f.filingDate}, 'doc.htm', 'https://www.sec.gov/x/doc.htm')`;
    for (const p of parts(f)) {
      const missing = p.status === 'missing';
      await sql`insert into filing_parts (cik, accession, part, status, code, message, retryable, size, task_id)
        values (${cik}, ${f.accession}, ${p.part}, ${p.status}, ${missing ? 'edgar_unavailable' : null},
                ${missing ? 'EDGAR did not answer (HTTP 503); try again later' : null}, ${p.retryable ?? false},
                ${missing ? 0 : 10}, ${p.taskId ?? null})`;
    }
  }
  return { cik, filings };
}

const whole = (): PartRow[] =>
  ['facts', 'business', 'risk_factors', 'mdna'].map((part) => ({ part, status: 'stored' }));

/** The IngestRequested events published for `ticker`, oldest first. */
async function requestsFor(ticker: string) {
  const consumer = await jetstreamConsumer();
  const found = [];
  for (;;) {
    const m = await consumer.next({ expires: 1_000 });
    if (!m) break;
    const parsed = parseEvent(m.data);
    if (parsed.ok && parsed.event.type === 'IngestRequested' && parsed.event.data.ticker === ticker)
      found.push(parsed.event);
    if (m.info.pending === 0) break;
  }
  return found;
}

async function jetstreamConsumer() {
  const js = services.nats.js;
  return js.consumers.get(INGEST_STREAM, { filter_subjects: subjects.ofType('IngestRequested') });
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof TRPCError
    ? { code: error.code, message: error.message }
    : { code: `none: ${String(error)}`, message: '' };
}

describe('ingest.request for a known company', () => {
  it('answers exists with no background task when everything is stored and EDGAR was read recently', async () => {
    await seedCompany('WHOLE', 1, whole);
    await expect(caller().ingest.request({ ticker: 'WHOLE' })).resolves.toEqual({
      status: 'exists',
      ticker: 'WHOLE',
      background: null,
      deferred: null,
    });
    expect(await requestsFor('WHOLE')).toEqual([]);
  });

  it('refreshes a company last read longer ago than REFRESH_AFTER, once for many requests', async () => {
    await seedCompany('STALE', 25, whole);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => caller(`s${i}`).ingest.request({ ticker: 'STALE' })),
    );
    const requested = await requestsFor('STALE');
    expect(requested).toHaveLength(1);
    expect(requested[0]!.data).toMatchObject({ mode: 'refresh', retryOf: null });
    const taskId = requested[0]!.taskId;
    for (const r of results) {
      expect(r).toMatchObject({ status: 'exists', ticker: 'STALE', background: { taskId, mode: 'refresh' } });
    }
    expect(results.filter((r) => r.status === 'exists' && r.background?.joined === false)).toHaveLength(1);
  });

  it('opens a stored company while the ingestion queue is full, leaving its refresh for later', async () => {
    await seedCompany('FULLQ', 25, whole);
    const full = await system.services({ refreshAfterMs: 24 * HOUR, ingestQueueMax: 0 });
    const fullCaller = createCaller(createContext(full, { clientId: 'full', peer: '192.0.2.50' }));
    await expect(fullCaller.ingest.request({ ticker: 'FULLQ' })).resolves.toEqual({
      status: 'exists',
      ticker: 'FULLQ',
      background: null,
      deferred: 'queue_full',
    });
    expect(await requestsFor('FULLQ')).toEqual([]);
    // An unknown company would be a new task: that is what the cap refuses.
    expect(await codeOf(fullCaller.ingest.request({ ticker: 'NEWQ' }))).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('retries the retryable gaps its last task left, naming that task', async () => {
    const earlier = newTaskId();
    const { cik, filings } = await seedCompany('GAPPY', 1, (f) =>
      f.fiscalYear === 2023
        ? [
            { part: 'facts', status: 'stored', taskId: earlier },
            ...['business', 'risk_factors', 'mdna'].map((part) => ({
              part,
              status: 'missing' as const,
              retryable: true,
              taskId: earlier,
            })),
          ]
        : whole(),
    );
    const e = taskEvents(earlier, { ticker: 'GAPPY', cik });
    await system.project(e.requested(), e.resolved(filings), e.ingestCompleted(1, 0, 1));
    const result = await caller().ingest.request({ ticker: 'GAPPY' });
    const [requested] = await requestsFor('GAPPY').then((r) => r.filter((x) => x.taskId !== earlier));
    expect(requested?.data).toMatchObject({ mode: 'retry', retryOf: earlier });
    expect(result).toEqual({
      status: 'exists',
      ticker: 'GAPPY',
      background: { taskId: requested!.taskId, mode: 'retry', joined: false },
      deferred: null,
    });
  });

  it('does not retry a part missing for good (not retryable) nor a part the form does not offer', async () => {
    await seedCompany('GONE', 1, (f) => [
      { part: 'facts', status: 'stored' },
      { part: 'business', status: f.fiscalYear === 2024 ? 'missing' : 'not_offered' },
      { part: 'risk_factors', status: 'stored' },
      { part: 'mdna', status: 'stored' },
    ]);
    await expect(caller().ingest.request({ ticker: 'GONE' })).resolves.toMatchObject({
      status: 'exists',
      background: null,
      deferred: null,
    });
  });
});

describe('ingest.request while a task runs', () => {
  it('sends everyone to the progress of an initial ingestion, even once its company row is written', async () => {
    const first = await caller().ingest.request({ ticker: 'MIDI' });
    if (first.status !== 'started') throw new Error('expected a new task');
    // The ingestor stores the company as soon as it is resolved, long before its filings.
    await seedCompany('MIDI', 0, () => []);
    await expect(caller('other').ingest.request({ ticker: 'MIDI' })).resolves.toEqual({
      status: 'in_flight',
      taskId: first.taskId,
      ticker: 'MIDI',
      mode: 'initial',
    });
  });
});

describe('ingest.retry', () => {
  it('starts a retry of the filings an ended task left undone, and refuses what cannot be retried', async () => {
    const taskId = newTaskId();
    const { cik, filings } = await seedCompany('RETRY', 1, whole);
    const [f2024, f2023] = filings as [SelectedFiling, SelectedFiling];
    const lost: SelectedFiling = {
      ...f2023,
      accession: f2023.accession.replace(/00000\d$/, '000009'),
      fiscalYear: 2022,
    };
    const e = taskEvents(taskId, { ticker: 'RETRY', cik });
    await system.project(e.requested(), e.resolved([f2024, lost]), e.started(f2024));
    // Still running: nothing to retry yet.
    expect(await codeOf(caller().ingest.retry({ taskId }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/still processing/),
    });
    await system.project(
      e.completed(f2024),
      e.started(lost),
      e.failed(lost, 'EDGAR did not answer (HTTP 503)'),
      e.ingestCompleted(1, 1),
    );
    const result = await caller().ingest.retry({ taskId });
    const retry = (await requestsFor('RETRY')).find((r) => r.taskId !== taskId);
    expect(retry?.data).toMatchObject({ mode: 'retry', retryOf: taskId });
    expect(result).toEqual({
      status: 'exists',
      ticker: 'RETRY',
      background: { taskId: retry!.taskId, mode: 'retry', joined: false },
      deferred: null,
    });
    // A second retry while the first runs joins it.
    await expect(caller('other').ingest.retry({ taskId })).resolves.toMatchObject({
      background: { taskId: retry!.taskId, joined: true },
    });
    expect(await codeOf(caller().ingest.retry({ taskId: newTaskId() }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says there is nothing to retry when every filing the task worked on is stored', async () => {
    const taskId = newTaskId();
    const { cik, filings } = await seedCompany('DONE', 1, whole);
    const e = taskEvents(taskId, { ticker: 'DONE', cik });
    await system.project(
      e.requested(),
      e.resolved(filings),
      ...filings.flatMap((f) => [e.started(f), e.completed(f)]),
      e.ingestCompleted(2, 0),
    );
    expect(await codeOf(caller().ingest.retry({ taskId }))).toEqual({
      code: 'CONFLICT',
      message: `Task ${taskId} left nothing to retry: every filing it worked on is stored`,
    });
  });

  it('says what it misses is missing for good when no gap may pass (not that everything is stored)', async () => {
    const taskId = newTaskId();
    const withoutMdna = (): PartRow[] => [
      ...whole().filter((p) => p.part !== 'mdna'),
      { part: 'mdna', status: 'missing', retryable: false },
    ];
    const { cik, filings } = await seedCompany('GAPS', 1, withoutMdna);
    const e = taskEvents(taskId, { ticker: 'GAPS', cik });
    const gone = {
      part: 'mdna' as const,
      code: 'section_not_found',
      message: 'The 10-K has no Item 7',
      retryable: false,
    };
    await system.project(
      e.requested(),
      e.resolved(filings),
      ...filings.flatMap((f) => [e.started(f), e.partial(f, [gone])]),
      e.ingestCompleted(0, 0, 2),
    );
    const refused = await codeOf(caller().ingest.retry({ taskId }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(new RegExp(`^Task ${taskId} left nothing to retry: .*missing for good`));
    expect(refused.message).not.toMatch(/is stored/);
  });
});

describe('ingest.retry of a task that ended before it listed any filing', () => {
  it('starts the whole ingestion again (the company is not stored: the answer is a task to follow)', async () => {
    const taskId = newTaskId();
    const e = taskEvents(taskId, { ticker: 'EARLY' });
    await system.project(e.requested(), e.cancelRequested(), e.cancelled({ completed: 0, notAttempted: 0 }));
    const result = await caller().ingest.retry({ taskId });
    expect(result).toMatchObject({ status: 'started', ticker: 'EARLY', mode: 'retry' });
    const retry = (await requestsFor('EARLY')).find((r) => r.taskId !== taskId);
    expect(retry?.data).toMatchObject({ mode: 'retry', retryOf: taskId });
  });
});

describe('ingest.cancel', () => {
  it('publishes one IngestCancelRequested for a running task, and refuses an ended or unknown one', async () => {
    const taskId = newTaskId();
    const e = taskEvents(taskId, { ticker: 'HALT' });
    await system.project(e.requested());
    await expect(caller().ingest.cancel({ taskId })).resolves.toEqual({ status: 'cancel_requested', taskId });
    await expect(caller('again').ingest.cancel({ taskId })).resolves.toEqual({ status: 'cancel_requested', taskId });
    const info = await services.nats.jsm.streams.info(INGEST_STREAM, {
      subjects_filter: subjects.event(taskId, 'IngestCancelRequested'),
    });
    expect(Object.values(info.state.subjects ?? {})).toEqual([1]);
    await system.project(e.ingestFailed('edgar_unavailable', 'EDGAR did not answer'));
    expect(await codeOf(caller().ingest.cancel({ taskId }))).toEqual({
      code: 'CONFLICT',
      message: `Task ${taskId} has already ended (failed): nothing to cancel`,
    });
    expect((await codeOf(caller().ingest.cancel({ taskId: newTaskId() }))).code).toBe('NOT_FOUND');
  });

  it('counts cancels against the peer’s ingestion rate limit: one client cannot stop every task in flight', async () => {
    const limited = await system.services({ ingestRateLimit: { perMinute: 1, burst: 2 } });
    const from = (peer: string) => createCaller(createContext(limited, { clientId: 'c', peer }));
    const running = [newTaskId(), newTaskId(), newTaskId()];
    for (const taskId of running) await system.project(taskEvents(taskId, { ticker: 'HALT' }).requested());
    const griefer = from('198.51.100.20');
    for (const taskId of running.slice(0, 2)) await griefer.ingest.cancel({ taskId });
    expect((await codeOf(griefer.ingest.cancel({ taskId: running[2]! }))).code).toBe('TOO_MANY_REQUESTS');
    await expect(from('203.0.113.20').ingest.cancel({ taskId: running[2]! })).resolves.toMatchObject({
      status: 'cancel_requested',
    });
  });
});

describe('company.byTicker', () => {
  it('lists per filing the parts stored and the parts missing with the reason and the task that tried', async () => {
    const tried = newTaskId();
    await seedCompany('PARTS', 1, (f) =>
      f.fiscalYear === 2024
        ? whole()
        : [
            { part: 'facts', status: 'stored', taskId: tried },
            ...['business', 'risk_factors', 'mdna'].map((part) => ({
              part,
              status: 'missing' as const,
              retryable: true,
              taskId: tried,
            })),
          ],
    );
    const page = await caller().company.byTicker({ ticker: 'PARTS' });
    expect(page?.retryable).toBe(true);
    expect(
      page?.filings.map((f) => [f.fiscalYear, f.parts.filter((p) => p.status === 'stored').map((p) => p.part)]),
    ).toEqual([
      [2024, ['facts', 'business', 'risk_factors', 'mdna']],
      [2023, ['facts']],
    ]);
    expect(page?.filings[0]!.missing).toEqual([]);
    expect(page?.filings[1]!.missing).toEqual(
      ['business', 'risk_factors', 'mdna'].map((part) => ({
        part,
        code: 'edgar_unavailable',
        message: 'EDGAR did not answer (HTTP 503); try again later',
        retryable: true,
        taskId: tried,
      })),
    );
  });
});

describe('ingest.request: one peer cannot hold the ingestion queue', () => {
  it('refuses a peer a new company while INGEST_ACTIVE_PER_PEER of its own run, never another peer, until one ends', async () => {
    const capped = await system.services({ ingestActivePerPeer: 2 });
    const from = (peer: string) => createCaller(createContext(capped, { clientId: 'flood', peer }));
    const flood = from('198.51.100.7');
    const first = await flood.ingest.request({ ticker: 'PEERA' });
    await expect(flood.ingest.request({ ticker: 'PEERB' })).resolves.toMatchObject({ status: 'started' });
    expect(first).toMatchObject({ status: 'started' });
    expect(await codeOf(flood.ingest.request({ ticker: 'PEERC' }))).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message: '2 ingestions you asked for are still waiting or running: ask for another once one of them has finished',
    });
    expect(await requestsFor('PEERC')).toEqual([]);
    // Joining a task that runs costs nothing, and another peer is not held back.
    await expect(flood.ingest.request({ ticker: 'PEERA' })).resolves.toMatchObject({ status: 'in_flight' });
    await expect(from('203.0.113.9').ingest.request({ ticker: 'PEERC' })).resolves.toMatchObject({
      status: 'started',
    });
    // Once one of the peer's tasks has ended, it may start another.
    if (first.status !== 'started') throw new Error('expected a started task');
    await system.project(taskEvents(first.taskId).ingestFailed());
    await expect(flood.ingest.request({ ticker: 'PEERD' })).resolves.toMatchObject({ status: 'started' });
  });

  it('frees a peer’s share when its task ended on the stream, though the projector has not written it yet', async () => {
    const capped = await system.services({ ingestActivePerPeer: 1 });
    const behind = createCaller(createContext(capped, { clientId: 'behind', peer: '198.51.100.12' }));
    const first = await behind.ingest.request({ ticker: 'LAGA' });
    if (first.status !== 'started') throw new Error('expected a started task');
    const e = taskEvents(first.taskId, { ticker: 'LAGA' });
    await system.project(e.requested());
    // The task ends; the projector (down, or behind) has not folded it.
    await system.publish(e.ingestFailed());
    await expect(behind.ingest.request({ ticker: 'LAGB' })).resolves.toMatchObject({ status: 'started' });
  });

  it('refuses a peer a new company while INGEST_WAITING_PER_PEER of its own wait for an ingestor, until one begins', async () => {
    const capped = await system.services({ ingestActivePerPeer: 10, ingestWaitingPerPeer: 2 });
    const from = (peer: string) => createCaller(createContext(capped, { clientId: 'queue', peer }));
    const queuer = from('198.51.100.9');
    const first = await queuer.ingest.request({ ticker: 'WAITA' });
    await expect(queuer.ingest.request({ ticker: 'WAITB' })).resolves.toMatchObject({ status: 'started' });
    if (first.status !== 'started') throw new Error('expected a started task');
    // Both wait (one not even projected yet): a third would queue a third ahead of everyone after it.
    await system.project(taskEvents(first.taskId, { ticker: 'WAITA' }).requested());
    expect(await codeOf(queuer.ingest.request({ ticker: 'WAITC' }))).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message:
        '2 ingestions you asked for are waiting for a free ingestion slot: ask for another once one of them has started',
    });
    expect(await requestsFor('WAITC')).toEqual([]);
    await expect(from('203.0.113.11').ingest.request({ ticker: 'WAITC' })).resolves.toMatchObject({
      status: 'started',
    });
    // An ingestor took the first up: one waits, so the peer may queue another.
    await system.project(taskEvents(first.taskId, { ticker: 'WAITA' }).resolved());
    await expect(queuer.ingest.request({ ticker: 'WAITD' })).resolves.toMatchObject({ status: 'started' });
  });

  it('counts a stored company’s refresh as one of the peer’s ingestions: past its share, the page opens and the refresh waits', async () => {
    await seedCompany('BUSYR', 25, whole);
    const capped = await system.services({ refreshAfterMs: 24 * HOUR, ingestActivePerPeer: 1 });
    const from = (peer: string) => createCaller(createContext(capped, { clientId: 'busy', peer }));
    const busy = from('198.51.100.8');
    await expect(busy.ingest.request({ ticker: 'BUSYN' })).resolves.toMatchObject({ status: 'started' });
    // Before the fix a stored company's refresh started whatever the peer already ran.
    await expect(busy.ingest.request({ ticker: 'BUSYR' })).resolves.toEqual({
      status: 'exists',
      ticker: 'BUSYR',
      background: null,
      deferred: 'peer_busy',
    });
    expect(await requestsFor('BUSYR')).toEqual([]);
    // Another peer's request starts it.
    await expect(from('203.0.113.10').ingest.request({ ticker: 'BUSYR' })).resolves.toMatchObject({
      status: 'exists',
      background: { mode: 'refresh', joined: false },
      deferred: null,
    });
  });
});

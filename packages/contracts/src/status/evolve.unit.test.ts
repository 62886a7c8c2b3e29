import { describe, expect, it } from 'vitest';
import { newTaskId } from '../events/event-ids';
import { IngestEventSchema, type IngestEvent, type IngestEventOf, type SelectedFiling } from '../events/ingest-events';
import { DOCUMENT_MISSING, happyTask, SAMPLE_FILINGS, taskEvents } from '../testing/task-events';
import { evolve } from './evolve';
import { foldStream } from './fold-stream';
import { subjects } from '../subjects';
import { SET_ASIDE_ERROR, shortfallOf, TaskStatusSchema, type TaskStatus } from './task-status';

type Five<T> = [T, T, T, T, T];
const [f1, f2, f3, f4, f5] = SAMPLE_FILINGS as Five<SelectedFiling>;

function fold(events: IngestEvent[], firstSeq = 1): TaskStatus[] {
  const out: TaskStatus[] = [];
  let status: TaskStatus | undefined;
  events.forEach((event, i) => {
    status = evolve(status, event, firstSeq + i);
    out.push(status);
  });
  return out;
}

describe("evolve: the fold of a task's events into its status", () => {
  it('given IngestRequested, then the task is pending at 0% with the ticker', () => {
    const e = taskEvents(newTaskId());
    const s = evolve(undefined, e.requested(), 7);
    expect(s).toMatchObject({ status: 'pending', progress: 0, ticker: 'SYMB', version: 7, company: null, filings: [] });
    expect(s.message).toBe('Queued ingestion of SYMB');
    expect(TaskStatusSchema.parse(s)).toEqual(s);
  });

  it('given CompanyResolved, then the company and all five filings are listed as pending', () => {
    const e = taskEvents(newTaskId());
    const [, s] = fold([e.requested(), e.resolved()]);
    expect(s).toMatchObject({
      status: 'processing',
      progress: 10,
      totalSteps: 5,
      stepsCompleted: 0,
      company: { cik: '0009999999', name: 'Symbology Test Corp' },
    });
    expect(s!.filings.map((f) => [f.fiscalYear, f.status])).toEqual([
      [2024, 'pending'],
      [2023, 'pending'],
      [2022, 'pending'],
      [2021, 'pending'],
      [2020, 'pending'],
    ]);
  });

  it('given FilingStarted then FilingCompleted, then the filing goes processing then completed and counts as a step', () => {
    const e = taskEvents(newTaskId());
    const [, , started, completed] = fold([e.requested(), e.resolved(), e.started(f1), e.completed(f1)]);
    expect(started!.filings[0]).toMatchObject({ accession: f1.accession, status: 'processing' });
    expect(started!.message).toBe('Ingesting 10-K for fiscal 2024 (1 of 5)');
    expect(completed!.filings[0]!.status).toBe('completed');
    expect(completed!.stepsCompleted).toBe(1);
    expect(completed!.progress).toBeGreaterThan(started!.progress);
  });

  it('given every event of a happy task, then it completes at 100% with five completed filings', () => {
    const statuses = fold(happyTask(newTaskId()));
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ status: 'completed', progress: 100, stepsCompleted: 5, totalSteps: 5, error: null });
    expect(last.filings.every((f) => f.status === 'completed')).toBe(true);
    expect(last.message).toBe('Ingested Symbology Test Corp: 5 filings');
  });

  it('never moves progress backwards, and shows 100 only at the terminal event', () => {
    const statuses = fold(happyTask(newTaskId()));
    statuses.forEach((s, i) => {
      if (i > 0) expect(s.progress).toBeGreaterThanOrEqual(statuses[i - 1]!.progress);
      expect(s.progress === 100).toBe(s.status === 'completed');
    });
    expect(new Set(statuses.map((s) => s.progress)).size).toBeGreaterThan(8);
  });

  it('given a task whose filings partly fail, then it still completes with the failures and their errors visible', () => {
    const e = taskEvents(newTaskId());
    const events = [
      e.requested(),
      e.resolved(),
      e.started(f1),
      e.completed(f1),
      e.started(f2),
      e.failed(f2, 'EDGAR has no document at https://www.sec.gov/x.htm (HTTP 404)'),
      e.started(f3),
      e.completed(f3),
      e.started(f4),
      e.completed(f4),
      e.started(f5),
      e.failed(f5),
      e.ingestCompleted(3, 2),
    ];
    const statuses = fold(events);
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ status: 'completed_with_errors', progress: 100, stepsCompleted: 5 });
    expect(last.filings.filter((f) => f.status === 'failed').map((f) => f.accession)).toEqual([
      f2.accession,
      f5.accession,
    ]);
    expect(last.filings[1]!.error).toBe('EDGAR has no document at https://www.sec.gov/x.htm (HTTP 404)');
    expect(last.message).toBe('Ingested Symbology Test Corp with gaps: 3 complete, 2 failed');
    expect(statuses[5]!.message).toContain('Could not ingest 10-K for fiscal 2023');
  });

  it('given IngestFailed, then the task is failed with the error, and progress does not jump to 100', () => {
    const e = taskEvents(newTaskId());
    const [, s] = fold([
      e.requested(),
      e.ingestFailed('unknown_ticker', 'No company with ticker ZZZZ is registered with the SEC'),
    ]);
    expect(s).toMatchObject({
      status: 'failed',
      error: 'No company with ticker ZZZZ is registered with the SEC',
      progress: 0,
    });
    expect(s!.message).toBe('Ingestion of SYMB failed: No company with ticker ZZZZ is registered with the SEC');
  });

  it('given a FilingFailed listing its parts, then the failed filing misses each with its reason', () => {
    const e = taskEvents(newTaskId());
    const missing = [
      { part: 'facts' as const, code: 'no_xbrl_facts', message: 'EDGAR has no XBRL financial data', retryable: false },
      { part: 'business' as const, code: 'upstream', message: 'EDGAR answered HTTP 503', retryable: true },
    ];
    const [, , withParts, older] = fold([
      e.requested(),
      e.resolved([f1, f2]),
      e.failed(f1, 'Nothing of this filing could be stored.', missing),
      e.failed(f2),
    ]);
    expect(withParts!.filings[0]).toMatchObject({ status: 'failed', missing });
    // An event from before parts were listed: the filing still fails, with its error alone.
    expect(older!.filings[1]).toMatchObject({ status: 'failed', missing: [], error: expect.any(String) });
  });

  it('given IngestDelayed, then the task says why it waits and for how long, and moves on when it resumes', () => {
    const e = taskEvents(newTaskId());
    const [requested, delayed, resolved] = fold([e.requested(), e.delayed(1, 5, 30_000), e.resolved()]);
    expect(delayed).toMatchObject({ status: 'pending', progress: requested!.progress, version: 2 });
    expect(delayed!.message).toBe('Waiting 30 s to try again (attempt 2 of 5): EDGAR answered HTTP 503');
    expect(TaskStatusSchema.parse(delayed)).toEqual(delayed);
    expect(resolved).toMatchObject({ status: 'processing', progress: 10 });
    // Once processing, a delay keeps what was done and only says why it waits.
    const later = fold([e.requested(), e.resolved(), e.started(f1), e.completed(f1), e.delayed(2, 5, 4_000)]);
    expect(later.at(-1)).toMatchObject({ status: 'processing', stepsCompleted: 1, progress: later.at(-2)!.progress });
    expect(later.at(-1)!.message).toBe('Waiting 4 s to try again (attempt 3 of 5): EDGAR answered HTTP 503');
  });

  it('given an attempt held for the database, then the task says it is paused, not retried, and keeps its place', () => {
    const e = taskEvents(newTaskId());
    const statuses = fold([e.requested(), e.resolved(), e.started(f1), e.held(1, 5, 15 * 60_000), e.completed(f1)]);
    const [, , started, held, completed] = statuses;
    expect(held).toMatchObject({ status: 'processing', progress: started!.progress, stepsCompleted: 0 });
    expect(held!.filings[0]!.status).toBe('processing');
    expect(held!.message).toBe(
      "Paused for up to 15 min: Symbology's database is not answering; the ingestion goes on from where it stopped once it answers",
    );
    expect(TaskStatusSchema.parse(held)).toEqual(held);
    expect(completed).toMatchObject({ stepsCompleted: 1, message: 'Ingested 10-K for fiscal 2024' });
    // A short hold reads in seconds.
    expect(fold([e.requested(), e.held(2, 5, 45_000)]).at(-1)!.message).toMatch(/^Paused for up to 45 s: /);
  });

  it('given an IngestDelayed written before kinds existed, then it reads as a retry', () => {
    const e = taskEvents(newTaskId());
    const written = e.delayed(1, 5, 30_000) as IngestEventOf<'IngestDelayed'>;
    const { kind: _kind, ...oldData } = written.data;
    const old = IngestEventSchema.parse({ ...written, data: oldData });
    expect(old).toMatchObject({ type: 'IngestDelayed', data: { kind: 'retry' } });
    expect(fold([e.requested(), old]).at(-1)!.message).toMatch(/^Waiting 30 s to try again \(attempt 2 of 5\)/);
  });

  it('given a filing stored in part, then it is partial with each missing part and its reason', () => {
    const e = taskEvents(newTaskId());
    const statuses = fold([
      e.requested(),
      e.resolved([f1, f2]),
      e.started(f1),
      e.partial(f1),
      e.started(f2),
      e.completed(f2),
    ]);
    const [partial] = statuses.at(-1)!.filings;
    expect(partial).toMatchObject({ status: 'partial', missing: DOCUMENT_MISSING });
    expect(statuses[3]!.message).toBe(
      'Stored part of 10-K for fiscal 2024; missing: business section, risk factors, MD&A',
    );
    expect(statuses.at(-1)!.stepsCompleted).toBe(2);
    const done = evolve(statuses.at(-1), e.ingestCompleted(1, 0, 1), 99);
    expect(done).toMatchObject({ status: 'completed_with_errors', progress: 100 });
    expect(done.message).toBe('Ingested Symbology Test Corp with gaps: 1 complete, 1 partial');
  });

  describe('terminal is final', () => {
    it('given IngestFailed after IngestCompleted (a second terminal event), then the task stays completed', () => {
      const e = taskEvents(newTaskId());
      const statuses = fold([
        e.requested(),
        e.resolved([f1]),
        e.started(f1),
        e.completed(f1),
        e.ingestCompleted(1, 0),
        e.ingestFailed('internal_error', 'ack failed'),
      ]);
      const [completed, after] = statuses.slice(-2);
      expect(after).toBe(completed);
      expect(after).toMatchObject({ status: 'completed', progress: 100, error: null });
    });

    it.each([
      ['a late FilingFailed', (e: ReturnType<typeof taskEvents>) => e.failed(f1)],
      ['a cancel request', (e: ReturnType<typeof taskEvents>) => e.cancelRequested()],
      ['a CompanyResolved', (e: ReturnType<typeof taskEvents>) => e.resolved()],
    ])('given %s after a terminal event, then nothing changes, not even the version', (_, late) => {
      const e = taskEvents(newTaskId());
      const statuses = fold([e.requested(), e.ingestFailed()]);
      const failed = statuses.at(-1)!;
      expect(evolve(failed, late(e), 50)).toBe(failed);
    });
  });

  it('given IngestFailed after the company was resolved, then unfinished filings say so instead of staying pending', () => {
    const e = taskEvents(newTaskId());
    const statuses = fold([
      e.requested(),
      e.resolved([f1, f2, f3]),
      e.started(f1),
      e.completed(f1),
      e.started(f2),
      e.ingestFailed('internal_error', 'The ingestor gave up after 5 attempts'),
    ]);
    const last = statuses.at(-1)!;
    expect(last.filings.map((f) => f.status)).toEqual(['completed', 'failed', 'not_attempted']);
    expect(last.filings[1]!.error).toBe('Not finished: The ingestor gave up after 5 attempts');
    expect(last).toMatchObject({ status: 'failed', stepsCompleted: 2, progress: statuses.at(-2)!.progress });
  });

  it('given a cancel request then IngestCancelled, then the task says it is cancelling, then cancelled with what it stored', () => {
    const e = taskEvents(newTaskId());
    const statuses = fold([
      e.requested(),
      e.resolved([f1, f2, f3]),
      e.started(f1),
      e.cancelRequested(),
      e.completed(f1),
      e.cancelled({ completed: 1, notAttempted: 2 }),
    ]);
    expect(statuses[3]).toMatchObject({ status: 'processing', cancelRequested: true });
    expect(statuses[3]!.message).toContain('Cancelling');
    const last = statuses.at(-1)!;
    expect(last.filings.map((f) => f.status)).toEqual(['completed', 'not_attempted', 'not_attempted']);
    expect(last).toMatchObject({ status: 'cancelled', stepsCompleted: 1 });
    expect(last.progress).toBeLessThan(100);
    expect(last.message).toBe('Cancelled: stopped after 1 of 3 filings');
  });

  it('given a refresh that finds nothing new, then it completes as up to date', () => {
    const e = taskEvents(newTaskId(), { mode: 'refresh' });
    const statuses = fold([e.requested(), e.resolved([], 5), e.ingestCompleted(0, 0)]);
    expect(statuses[0]).toMatchObject({
      mode: 'refresh',
      message: 'Queued a check of EDGAR for new annual reports of SYMB',
    });
    expect(statuses[1]!.message).toBe('Symbology Test Corp: all 5 annual reports are already stored');
    expect(statuses[2]).toMatchObject({ status: 'completed', progress: 100, alreadyStored: 5 });
    expect(statuses[2]!.message).toBe('Symbology Test Corp is up to date: no new annual reports to ingest');
  });

  it('given an event the projection set aside, then the ending does not blame EDGAR’s filing list', () => {
    const e = taskEvents(newTaskId());
    const statuses = fold([e.requested(), e.resolved([f1]), e.started(f1), e.partial(f1)]);
    // As markSetAside leaves a task whose non-terminal event could not be written.
    const marked = { ...statuses.at(-1)!, error: SET_ASIDE_ERROR, version: 90 };
    const done = evolve(marked, e.ingestCompleted(0, 0, 1), 91);
    expect(done.message).toBe('Ingested Symbology Test Corp with gaps: 0 complete, 1 partial');
    expect(done.error).toBe(SET_ASIDE_ERROR);
  });

  it('given filings held with parts missing for good, then they are not called stored', () => {
    const e = taskEvents(newTaskId(), { mode: 'refresh' });
    const nothingToDo = fold([e.requested(), e.resolved([], 3, undefined, { heldInPart: 1, heldNothing: 1 })]);
    expect(nothingToDo.at(-1)!.message).toBe(
      'Symbology Test Corp: nothing to fetch (3 already stored, 1 stored in part, 1 with nothing stored; what they lack EDGAR cannot give)',
    );
    const oneNew = fold([e.requested(), e.resolved([SAMPLE_FILINGS[0]!], 0, undefined, { heldNothing: 4 })]);
    expect(oneNew.at(-1)!.message).toBe(
      'Found Symbology Test Corp: 1 annual report to ingest (4 with nothing stored; what they lack EDGAR cannot give)',
    );
    expect(oneNew.at(-1)!.alreadyStored).toBe(0);
  });

  it('given a CompanyResolved with a list gap, then its reason stays on the status and the first and last messages name it', () => {
    const gap = 'EDGAR did not serve part of this company’s filing list (page 2: HTTP 404).';
    const e = taskEvents(newTaskId());
    const filings = [f1, f2, f3];
    const statuses = fold([
      e.requested(),
      e.resolved(filings, 0, gap),
      ...filings.flatMap((f) => [e.started(f), e.completed(f)]),
      e.ingestCompleted(3, 0, 0, true),
    ]);
    expect(statuses[1]).toMatchObject({ status: 'processing', error: gap, totalSteps: 3 });
    expect(statuses[1]!.message).toBe(
      "Found Symbology Test Corp: 3 annual reports to ingest; part of EDGAR's filing list could not be read",
    );
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ status: 'completed_with_errors', progress: 100, error: gap, stepsCompleted: 3 });
    expect(shortfallOf(last)).toBe(gap);
    // A failed task's error is its failure, not a shortfall beside it.
    expect(shortfallOf({ status: 'failed', error: 'EDGAR down' })).toBeUndefined();
    expect(shortfallOf({ status: 'completed', error: null })).toBeUndefined();
    expect(last.message).toBe(
      "Ingested Symbology Test Corp with gaps: 3 complete; part of EDGAR's filing list could not be read",
    );
    expect(TaskStatusSchema.parse(last)).toEqual(last);
  });

  it('given a refresh with a list gap that found nothing new, then it does not say the company is up to date', () => {
    const gap = 'EDGAR did not serve part of this company’s filing list (page 2: HTTP 404).';
    const e = taskEvents(newTaskId(), { mode: 'refresh' });
    const last = fold([e.requested(), e.resolved([], 3, gap), e.ingestCompleted(0, 0, 0, true)]).at(-1)!;
    expect(last).toMatchObject({ status: 'completed_with_errors', error: gap });
    expect(last.message).toBe(
      "Nothing new stored for Symbology Test Corp; part of EDGAR's filing list could not be read",
    );
  });

  it('given the same event twice at the same seq, then the second changes nothing', () => {
    const e = taskEvents(newTaskId());
    const [, resolved] = fold([e.requested(), e.resolved()]);
    const started = evolve(resolved, e.started(f1), 3);
    expect(evolve(started, e.started(f1), 3)).toBe(started);
  });

  it('given a duplicate with an older seq (a redelivery after later events), then it changes nothing', () => {
    const e = taskEvents(newTaskId());
    const statuses = fold([e.requested(), e.resolved(), e.started(f1), e.completed(f1)]);
    const latest = statuses.at(-1)!;
    expect(evolve(latest, e.started(f1), 3)).toBe(latest);
    expect(evolve(latest, e.requested(), 1)).toBe(latest);
  });

  it('given CompanyResolved republished later with a new seq, then filings already done stay done', () => {
    const e = taskEvents(newTaskId());
    const statuses = fold([e.requested(), e.resolved(), e.started(f1), e.completed(f1), e.resolved()]);
    expect(statuses.at(-1)!.filings[0]!.status).toBe('completed');
    expect(statuses.at(-1)!.stepsCompleted).toBe(1);
    expect(statuses.at(-1)!.progress).toBe(statuses[3]!.progress);
  });

  it('sets version to the seq and updatedAt to the event time of the last event folded', () => {
    const e = taskEvents(newTaskId());
    const requested = e.requested();
    const resolved = e.resolved();
    const s = evolve(evolve(undefined, requested, 10), resolved, 42);
    expect(s.version).toBe(42);
    expect(s.createdAt).toBe(requested.occurredAt);
    expect(s.updatedAt).toBe(resolved.occurredAt);
  });
});

describe('foldStream: folding raw stream entries as the projector and verify do', () => {
  const encode = (e: unknown) => new TextEncoder().encode(JSON.stringify(e));

  it('given an unknown future event type, then it is skipped and reported, not a crash', () => {
    const taskId = newTaskId();
    const events = happyTask(taskId);
    const alien = { ...events[1], type: 'FilingAudited', data: { accession: SAMPLE_FILINGS[0]!.accession } };
    const entries = [
      { seq: 1, subject: `ingest.${taskId}.requested`, payload: encode(events[0]) },
      { seq: 2, subject: `ingest.${taskId}.filing_audited`, payload: encode(alien) },
      ...events.slice(1).map((e, i) => ({ seq: i + 3, subject: subjects.event(taskId, e.type), payload: encode(e) })),
    ];
    const { statuses, skipped } = foldStream(entries);
    expect(skipped).toEqual([expect.objectContaining({ seq: 2, reason: 'unknown-type' })]);
    expect(statuses.get(taskId)).toMatchObject({ status: 'completed', progress: 100, version: entries.length });
  });

  it('given bad JSON between good events, then later events of the task still fold', () => {
    const taskId = newTaskId();
    const [requested, resolved] = happyTask(taskId);
    const { statuses, skipped } = foldStream([
      { seq: 1, subject: subjects.event(taskId, 'IngestRequested'), payload: encode(requested) },
      { seq: 2, subject: subjects.event(taskId, 'FilingStarted'), payload: '{"type": "FilingStarted", trunc' },
      { seq: 3, subject: subjects.event(taskId, 'CompanyResolved'), payload: encode(resolved) },
    ]);
    expect(skipped.map((s) => s.reason)).toEqual(['invalid-json']);
    expect(statuses.get(taskId)?.status).toBe('processing');
  });

  it("given an event on another task's subject, then it is skipped as subject-mismatch, not folded into either task", () => {
    const a = newTaskId();
    const b = newTaskId();
    const [requestedA, resolvedA] = happyTask(a);
    const { statuses, skipped } = foldStream([
      { seq: 1, subject: subjects.event(a, 'IngestRequested'), payload: encode(requestedA) },
      { seq: 2, subject: subjects.event(b, 'CompanyResolved'), payload: encode(resolvedA) },
    ]);
    expect(skipped).toEqual([expect.objectContaining({ seq: 2, reason: 'subject-mismatch' })]);
    expect(statuses.get(a)?.status).toBe('pending');
    expect(statuses.has(b)).toBe(false);
  });

  it('keeps tasks apart', () => {
    const a = newTaskId();
    const b = newTaskId();
    const entries = [...happyTask(a), taskEvents(b).requested()].map((e, i) => ({
      seq: i + 1,
      subject: subjects.event(e.taskId, e.type),
      payload: encode(e),
    }));
    const { statuses } = foldStream(entries);
    expect(statuses.get(a)?.status).toBe('completed');
    expect(statuses.get(b)?.status).toBe('pending');
  });
});

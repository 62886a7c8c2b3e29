import { evolve, newTaskId, type IngestEvent, type TaskStatus } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS, taskEvents } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { money } from './commands/company';
import { eventsFilter, formatEvent } from './commands/events';
import { knownCompanyLine, summary } from './commands/ingest';
import { main, reportError } from './main';
import { describeTask } from './commands/status';
import { EXIT_CODE_HELP, ExitCode, exitCodeForTask, UsageError } from './exit-codes';
import { filingChips, filingProblems, progressLine } from './progress-view';

function fold(events: IngestEvent[]): TaskStatus[] {
  let s: TaskStatus | undefined;
  return events.map((e, i) => (s = evolve(s, e, i + 1)));
}
const statuses = () => fold(happyTask(newTaskId()));
const last = (events: IngestEvent[]) => fold(events).at(-1)!;
const [fy2024, fy2023, fy2022] = SAMPLE_FILINGS as [(typeof SAMPLE_FILINGS)[0], ...typeof SAMPLE_FILINGS];

/** The terminal tasks a run can end in, folded from their events with the real `evolve`. */
function endings() {
  const t = (e = taskEvents(newTaskId())) => e;
  const partial = t();
  const failed = t();
  const cancelled = t();
  return {
    completed: last(happyTask(newTaskId())),
    completedWithErrors: last([
      partial.requested(),
      partial.resolved(SAMPLE_FILINGS.slice(0, 3)),
      partial.started(fy2024),
      partial.completed(fy2024),
      partial.started(fy2023!),
      partial.partial(fy2023!),
      partial.started(fy2022!),
      partial.failed(fy2022!, 'EDGAR answered HTTP 503: try again later'),
      partial.ingestCompleted(1, 1, 1),
    ]),
    failed: last([failed.requested(), failed.ingestFailed()]),
    cancelled: last([
      cancelled.requested(),
      cancelled.resolved(SAMPLE_FILINGS.slice(0, 2)),
      cancelled.started(fy2024),
      cancelled.cancelRequested(),
      cancelled.completed(fy2024),
      cancelled.cancelled({ completed: 1, notAttempted: 1 }),
    ]),
  };
}

describe('symbology exit codes: each terminal outcome its own', () => {
  const tasks = endings();
  it.each([
    ['completed', ExitCode.Ok, 0],
    ['completedWithErrors', ExitCode.CompletedWithErrors, 5],
    ['failed', ExitCode.TaskFailed, 1],
    ['cancelled', ExitCode.Cancelled, 6],
  ] as const)('a task that ended %s exits %i', (name, code, number) => {
    expect(exitCodeForTask(tasks[name].status)).toBe(code);
    expect(code).toBe(number);
  });
  it('gives the four outcomes four different codes, and a running task 0', () => {
    const codes = Object.values(tasks).map((s) => exitCodeForTask(s.status));
    expect(new Set(codes).size).toBe(4);
    expect(exitCodeForTask(statuses()[2]!.status)).toBe(ExitCode.Ok);
  });
  it('documents every code in the help, with its number', () => {
    for (const code of Object.values(ExitCode)) expect(EXIT_CODE_HELP).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
  });
});

describe('symbology status <taskId> and ingest --follow: what each filing lacks, and why', () => {
  const tasks = endings();
  it('names each partial and failed filing with its missing parts and their reason', () => {
    expect(filingProblems(tasks.completedWithErrors)).toEqual([
      '  FY2023 10-K 0009999999-24-000002 partial: business, risk_factors, mdna: EDGAR has no document at that URL (HTTP 404)',
      '  FY2022 10-K 0009999999-23-000003 failed: EDGAR answered HTTP 503: try again later',
    ]);
    expect(describeTask(tasks.completedWithErrors)).toMatch(
      /^SYMB completed with errors\n█+ 100% {2}.+\nFY2024 10-K ✓ {2}FY2023 10-K ◐ {2}FY2022 10-K ✗\n {2}FY2023/,
    );
  });
  it('says a filing the cancelled task never reached was not attempted', () => {
    expect(filingProblems(tasks.cancelled)).toEqual([
      '  FY2023 10-K 0009999999-24-000002 not attempted: the task ended before it',
    ]);
  });
  it('says a shortfall no filing accounts for (part of the filing list unread) on its own line', () => {
    const gap = 'EDGAR did not serve part of this company’s filing list (page 2: HTTP 404).';
    const e = taskEvents(newTaskId());
    const status = last([
      e.requested(),
      e.resolved([fy2024], 0, gap),
      e.started(fy2024),
      e.completed(fy2024),
      e.ingestCompleted(1, 0, 0, true),
    ]);
    expect(summary(status)).toBe(`${status.message}\n  ${gap}`);
    expect(describeTask(status).split('\n').at(-1)).toBe(`  ${gap}`);
    expect(exitCodeForTask(status.status)).toBe(ExitCode.CompletedWithErrors);
  });
  it('shows a failed task its reason, and a clean one nothing more than its message', () => {
    expect(summary(tasks.failed)).toBe('failed: No company with ticker ZZZZ is registered with the SEC');
    expect(summary(tasks.completed)).toBe(tasks.completed.message);
    expect(filingProblems(tasks.completed)).toEqual([]);
  });
});

describe('symbology ingest of a known company with nothing started: what it says', () => {
  it('says "up to date" only when something is stored and no update waits for room in the queue', () => {
    expect(knownCompanyLine('AAPL', false, null)).toBe('AAPL is stored and up to date: symbology company AAPL');
    expect(knownCompanyLine('AAPL', false, 'queue_full')).toMatch(/^AAPL is stored .*the ingestion queue is full/);
    expect(knownCompanyLine('AAPL', false, 'peer_busy')).toMatch(
      /^AAPL is stored .*the ingestions you asked for fill your share of the queue: ask again once one has started or finished$/,
    );
    expect(knownCompanyLine('FNMA', true, null)).toMatch(
      /^FNMA is known, but no annual report of it is stored, and EDGAR was read/,
    );
    expect(knownCompanyLine('FNMA', true, 'queue_full')).toMatch(
      /no annual report of it is stored; an update from EDGAR is due, but the ingestion queue is full/,
    );
    for (const [nothingStored, deferred] of [
      [false, 'queue_full'],
      [false, 'peer_busy'],
      [true, 'queue_full'],
      [true, null],
    ] as const) {
      expect(knownCompanyLine('X', nothingStored, deferred)).not.toContain('up to date');
    }
  });
});

describe('symbology events: the filter a task and a type narrow the tail to', () => {
  it('given nothing, then every event of every task', () => {
    expect(eventsFilter({})).toBe('ingest.*.*');
  });
  it('given --type filing_completed (or FilingCompleted), then that token across tasks', () => {
    expect(eventsFilter({ type: 'filing_completed' })).toBe('ingest.*.filing_completed');
    expect(eventsFilter({ type: 'FilingCompleted' })).toBe('ingest.*.filing_completed');
  });
  it('given --task, then that task only', () => {
    const task = '0193a0b4-7c1e-7a2b-9c3d-4e5f60718293';
    expect(eventsFilter({ task, type: 'completed' })).toBe(`ingest.${task}.completed`);
  });
  it('given a --task that is not a task id, then a usage error, not a tail that matches nothing', () => {
    expect(() => eventsFilter({ task: 'not-a-uuid' })).toThrow(UsageError);
    expect(() => eventsFilter({ task: '>' })).toThrow(/is not a task id/);
  });
  it('given an unknown type, then a usage error naming the valid ones', () => {
    expect(() => eventsFilter({ type: 'filing_done' })).toThrow(UsageError);
    expect(() => eventsFilter({ type: 'filing_done' })).toThrow(/filing_completed/);
  });
  it("formats a failure with its error's code and message", () => {
    const e = taskEvents('0193a0b4-7c1e-7a2b-9c3d-4e5f60718293');
    expect(formatEvent(9, e.failed(fy2024, 'EDGAR has no document (HTTP 404)'))).toMatch(
      / FilingFailed accession=0009999999-25-000001 error=not_found "EDGAR has no document \(HTTP 404\)" retryable=false$/,
    );
  });
  it('formats an event as one line with its scalar fields', () => {
    const [, , , completed] = happyTask('0193a0b4-7c1e-7a2b-9c3d-4e5f60718293');
    expect(formatEvent(5, completed!)).toMatch(
      /^#5 \S+ 0193a0b4-7c1e-7a2b-9c3d-4e5f60718293 FilingCompleted accession=0009999999-25-000001 outcome=completed factsStored=12 sectionsStored=3 /,
    );
  });
});

describe('symbology ingest --follow: the progress view', () => {
  it('draws a bar whose filled part follows the percentage', () => {
    const all = statuses();
    const first = progressLine(all[0]!);
    const last = progressLine(all.at(-1)!);
    expect(first).toMatch(/^░{30}\s+0% {2}Queued ingestion of SYMB$/);
    expect(last).toMatch(/^█{30} 100% {2}Ingested Symbology Test Corp: 5 filings$/);
  });
  it('shows a chip per filing with its state', () => {
    const all = statuses();
    expect(filingChips(all[2]!)).toBe('FY2024 10-K …  FY2023 10-K ·  FY2022 10-K ·  FY2021 10-K ·  FY2020 10-K ·');
    expect(filingChips(all.at(-1)!)).toBe('FY2024 10-K ✓  FY2023 10-K ✓  FY2022 10-K ✓  FY2021 10-K ✓  FY2020 10-K ✓');
  });
});

describe('symbology company: money in a unit a person reads at a glance', () => {
  it.each([
    [86_500_000, '$86.5M'],
    [391_035_000_000, '$391.0B'],
    [-4_200_000, '-$4.2M'],
    [950, '$950.0'],
  ])('%d reads %s', (value, text) => {
    expect(money({ value })).toBe(text);
  });
  it('shows a dash for a metric the filing does not report', () => {
    expect(money(null)).toBe('–');
  });
});

describe('symbology usage errors', () => {
  it.each([[['events', '--task']], [['events', '--type']], [['status', '--bogus']]])(
    'given %j, then it exits 2 (usage), not 3 ("cannot be reached")',
    async (argv) => {
      const error: unknown = await main(argv).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(reportError(error)).toBe(ExitCode.Usage);
    },
  );
});

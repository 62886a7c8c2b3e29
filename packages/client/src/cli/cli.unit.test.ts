import { newTaskId } from '@symbology/contracts';
import { happyTask } from '@symbology/contracts/testing';
import { evolve, type TaskStatus } from '@symbology/contracts';
import { describe, expect, it } from 'vitest';
import { money } from './commands/company';
import { eventsFilter, formatEvent } from './commands/events';
import { UsageError } from './exit-codes';
import { filingChips, progressLine } from './progress-view';

function statuses(): TaskStatus[] {
  let s: TaskStatus | undefined;
  return happyTask(newTaskId()).map((e, i) => (s = evolve(s, e, i + 1)));
}

describe('symbology events: the filter a task and a type narrow the tail to', () => {
  it('given nothing, then every event of every task', () => {
    expect(eventsFilter({})).toBe('ingest.*.*');
  });
  it('given --type filing_completed (or FilingCompleted), then that token across tasks', () => {
    expect(eventsFilter({ type: 'filing_completed' })).toBe('ingest.*.filing_completed');
    expect(eventsFilter({ type: 'FilingCompleted' })).toBe('ingest.*.filing_completed');
  });
  it('given --task, then that task only', () => {
    expect(eventsFilter({ task: 'abc', type: 'completed' })).toBe('ingest.abc.completed');
  });
  it('given an unknown type, then a usage error naming the valid ones', () => {
    expect(() => eventsFilter({ type: 'filing_done' })).toThrow(UsageError);
    expect(() => eventsFilter({ type: 'filing_done' })).toThrow(/filing_completed/);
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

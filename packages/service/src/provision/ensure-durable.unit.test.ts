import { describe, expect, it } from 'vitest';
import { changedSettings } from './ensure-durable';

describe('changedSettings', () => {
  const onServer = { ack_wait: 30e9, max_ack_pending: 1_000, filter_subject: 'ingest.*.requested', max_waiting: 512 };

  it('given the settings the server already has, then nothing to change (defaults it filled in do not count)', () => {
    expect(changedSettings({ ack_wait: 30e9, filter_subject: 'ingest.*.requested' }, onServer)).toEqual([]);
  });

  it('given a different value or a setting the server lacks, then those keys', () => {
    expect(changedSettings({ ack_wait: 10e9, max_deliver: 5, max_ack_pending: 1_000 }, onServer)).toEqual([
      'ack_wait',
      'max_deliver',
    ]);
  });

  it('given lists, then compared by value', () => {
    expect(changedSettings({ filter_subjects: ['a', 'b'] }, { filter_subjects: ['a', 'b'] })).toEqual([]);
    expect(changedSettings({ backoff: [1, 2] }, { backoff: [1, 3] })).toEqual(['backoff']);
  });
});

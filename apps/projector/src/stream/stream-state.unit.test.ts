import { describe, expect, it } from 'vitest';
import { CheckpointMismatchError } from '../errors';
import { checkpointMisfit, type StreamState } from './stream-state';

const created = '2026-01-01T00:00:00.000Z';
const stream = (head: number, at = created): StreamState => ({
  head,
  firstSeq: 1,
  createdAt: new Date(at),
  created: at,
});
const checkpoint = { lastSeq: 100, streamCreatedAt: new Date(created) };

describe('checkpointMisfit', () => {
  it('given a head below the checkpoint, when starting, then refuses', () => {
    expect(checkpointMisfit(checkpoint, stream(90), 'start')).toBeInstanceOf(CheckpointMismatchError);
  });

  it('given a head below the checkpoint, when running (a re-take of the lock), then it fits', () => {
    expect(checkpointMisfit(checkpoint, stream(90), 'running')).toBeUndefined();
  });

  it('given a recreated stream, when running, then stops', () => {
    const misfit = checkpointMisfit(checkpoint, stream(200, '2026-02-01T00:00:00.000Z'), 'running');
    expect(misfit?.message).toMatch(/^stopped projecting: .*deleted and recreated/);
  });
});

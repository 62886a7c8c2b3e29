import { describe, expect, it } from 'vitest';
import { describeRefusal, refusalReason } from './refusal';

// What the projector prints when it refuses (exit 78): its fatal log line, stack and all, then one
// plain line for the operator.
const fatal = JSON.stringify({
  level: 60,
  time: 1,
  service: 'projector',
  err: {
    type: 'CheckpointMismatchError',
    message: 'refusing to start: the checkpoint was written for stream INGEST created t1',
    stack:
      'CheckpointMismatchError: refusing to start: ...\n    at checkCheckpoint (file:///apps/projector/dist/main.js:1:1)',
  },
  msg: 'refusing to start: the checkpoint was written for stream INGEST created t1',
});
const plain =
  'symbology-projector: refusing to start: the checkpoint was written for stream INGEST created t1, but the stream now was created t2 (it was deleted and recreated). Run `symbology-projector rebuild` …';

describe('a refusal (exit 78) is said once, plainly', () => {
  it('given the fatal JSON log line and the plain line, then the reason is the plain line alone', () => {
    expect(refusalReason(['{"level":30,"msg":"connected"}', fatal, plain])).toBe(plain);
  });

  it('given only JSON log lines, then the reason is the last error message, without its stack', () => {
    expect(refusalReason(['{"level":30,"msg":"connected"}', fatal, '{"level":30,"msg":"bye"}'])).toBe(
      'refusing to start: the checkpoint was written for stream INGEST created t1',
    );
  });

  it('given no output, then there is no reason to give', () => {
    expect(refusalReason([])).toBeUndefined();
    expect(describeRefusal('projector', [])).toBe(
      'projector exited with code 78, refusing to run until an operator acts',
    );
  });

  it('given the refusal, then its description holds the reason once and no stack trace', () => {
    const said = describeRefusal('projector', [fatal, plain]);

    expect(said).toBe(`projector exited with code 78, refusing to run until an operator acts: ${plain}`);
    expect(said).not.toContain('"stack"');
    expect(said.split('refusing to start').length - 1).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { queueSentence, withQueuePosition } from './queue-line';

describe('the place of a waiting ingestion in the queue, in words', () => {
  it('says how many ingestions are ahead, in the singular for one, and "next" for none', () => {
    expect(queueSentence({ ahead: 3 })).toBe('Queued: 3 ingestions ahead of this one');
    expect(queueSentence({ ahead: 1 })).toBe('Queued: 1 ingestion ahead of this one');
    expect(queueSentence({ ahead: 0 })).toBe('Queued: this one is next');
  });

  it('follows the message line while the place is known, and leaves the line as it is otherwise', () => {
    const line = '0% · Queued ingestion of AAPL';
    expect(withQueuePosition(line, { ahead: 2 })).toBe(`${line} · Queued: 2 ingestions ahead of this one`);
    // Not waiting (the server answers null), or not asked yet: the line reads as it does today.
    expect(withQueuePosition(line, null)).toBe(line);
    expect(withQueuePosition(line, undefined)).toBe(line);
  });
});

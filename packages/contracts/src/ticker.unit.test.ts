import { describe, expect, it } from 'vitest';
import { TickerSchema } from './ticker';

describe('TickerSchema: the edge refuses what cannot be a ticker', () => {
  it.each([
    ['aapl', 'AAPL'],
    ['  msft ', 'MSFT'],
    ['brk.b', 'BRK-B'],
    ['BRK-B', 'BRK-B'],
    ['brk/a', 'BRK-A'],
    ['TWO-PC', 'TWO-PC'],
  ])('accepts %j as %j', (raw, normalised) => {
    expect(TickerSchema.parse(raw)).toBe(normalised);
  });

  it.each(['', '   ', '1ABC', 'AAPL; drop table', 'ABCDEFGHIJKL', 'A..B', 'ÄPPLE'])(
    'refuses %j with a message a person can act on',
    (raw) => {
      const result = TickerSchema.safeParse(raw);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/ticker/i);
    },
  );
});

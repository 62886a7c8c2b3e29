import { describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { UNREACHABLE, userMessage } from './user-message';

describe('userMessage: what a failed call says', () => {
  it("given the API's own error, then its message", () => {
    const error = new TRPCClientError('Too many requests; wait a moment', {
      result: {
        error: { code: -32_029, message: 'Too many requests; wait a moment', data: { code: 'TOO_MANY_REQUESTS' } },
      },
    });
    expect(userMessage(error)).toBe('Too many requests; wait a moment');
  });

  it('given a proxy answering a non-JSON 503, then not the parser error but a plain sentence', () => {
    const parse = new SyntaxError('Unexpected token \'u\', "upstream down" is not valid JSON');
    expect(userMessage(TRPCClientError.from(parse))).toBe(UNREACHABLE);
  });

  it('given no network, then the same plain sentence', () => {
    expect(userMessage(TRPCClientError.from(new TypeError('Failed to fetch')))).toBe(UNREACHABLE);
    expect(userMessage(new Error('anything'))).toBe(UNREACHABLE);
  });
});

import { JetStreamApiError } from '@nats-io/jetstream';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { isServerFault, toTRPCError } from './trpc';

const jetStream = (err_code: number, description: string, code = 503) =>
  new JetStreamApiError({ code, err_code, description });

describe('what a caller sees of a JetStream that cannot serve', () => {
  it('given quorum lost (10008), bare or as a cause, then 503 UNAVAILABLE, logged as a server fault', () => {
    const quorumLost = jetStream(10008, 'JetStream system temporarily unavailable');
    for (const error of [quorumLost, new Error('reading the claim failed', { cause: quorumLost })]) {
      const mapped = toTRPCError(error);
      expect(mapped).toBeInstanceOf(TRPCError);
      expect(mapped).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is temporarily unavailable: try again in a moment',
      });
      expect(isServerFault(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error }))).toBe(true);
    }
  });

  it('given JetStream not enabled yet (10076) or a stream offline (10118), then 503 UNAVAILABLE too', () => {
    for (const error of [jetStream(10076, 'JetStream not enabled'), jetStream(10118, 'stream is offline', 500)]) {
      expect(toTRPCError(error)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    }
  });

  it('given a JetStream refusal of the request itself, then left alone: it is no outage', () => {
    const refusal = jetStream(10071, 'wrong last sequence: 7', 400);
    expect(toTRPCError(refusal)).toBe(refusal);
  });
});

import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { isBackendUnavailable, isPostgresUnavailable } from './unavailable';

const withCode = (code: string, message = 'whatever the driver says') => Object.assign(new Error(message), { code });

describe('isBackendUnavailable', () => {
  it('given a connection that failed, closed or timed out (socket or driver code), then unavailable', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'CONNECTION_ENDED']) {
      expect(isBackendUnavailable(withCode(code))).toBe(true);
    }
  });

  it('given a SQLSTATE that says the database cannot serve anyone, then unavailable', () => {
    for (const code of ['08006', '57P01', '57P03', '53300', '3D000', '28P01']) {
      expect(isBackendUnavailable(withCode(code))).toBe(true);
    }
  });

  it('given a statement error (missing table, bad input, constraint), then not: that one is a bug or the request', () => {
    for (const code of ['42P01', '22021', '23505', '42601']) expect(isBackendUnavailable(withCode(code))).toBe(false);
  });

  it('given NATS without an answer or a closed connection, also as a cause, then unavailable', () => {
    expect(isBackendUnavailable(new errors.ClosedConnectionError())).toBe(true);
    expect(isBackendUnavailable(new Error('wrapped', { cause: new errors.NoRespondersError('x') }))).toBe(true);
    expect(isBackendUnavailable(new Error('wrapped', { cause: withCode('ECONNREFUSED') }))).toBe(true);
  });

  it('given JetStream without quorum (10008) or not enabled yet (10076), also wrapped, then unavailable', () => {
    const quorumLost = new JetStreamApiError({
      code: 503,
      err_code: 10008,
      description: 'JetStream system temporarily unavailable',
    });
    expect(isBackendUnavailable(quorumLost)).toBe(true);
    expect(isBackendUnavailable(new Error('Failed to read the claim', { cause: quorumLost }))).toBe(true);
    expect(
      isBackendUnavailable(new JetStreamApiError({ code: 503, err_code: 10076, description: 'JetStream not enabled' })),
    ).toBe(true);
    expect(isPostgresUnavailable(quorumLost)).toBe(false);
  });

  it('given a JetStream refusal of the request (wrong last sequence, no such stream), then not', () => {
    for (const err_code of [10071, 10059]) {
      expect(isBackendUnavailable(new JetStreamApiError({ code: 400, err_code, description: 'x' }))).toBe(false);
    }
  });

  it('given only the words of an outage in a message, then not: classes and codes decide', () => {
    expect(isBackendUnavailable(new Error('connection refused: ECONNREFUSED 08006'))).toBe(false);
  });
});

describe('isPostgresUnavailable', () => {
  it('given the driver, a socket or the server saying the database cannot serve, then the database is down', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', 'CONNECT_TIMEOUT', '57P01', '08006', '53300']) {
      expect(isPostgresUnavailable(new Error('Failed query', { cause: withCode(code) }))).toBe(true);
    }
  });

  it('given NATS gone or unanswered, also over a socket code, then not the database: waiting for it would not help', () => {
    expect(isPostgresUnavailable(new errors.ClosedConnectionError())).toBe(false);
    expect(isPostgresUnavailable(new Error('wrapped', { cause: new errors.NoRespondersError('x') }))).toBe(false);
    const refused = new errors.ConnectionError('connect failed', { cause: withCode('ECONNREFUSED') });
    expect(isPostgresUnavailable(refused)).toBe(false);
    expect(isBackendUnavailable(refused)).toBe(true);
  });

  it('given a statement error, then not', () => {
    for (const code of ['42P01', '22021', '23505']) expect(isPostgresUnavailable(withCode(code))).toBe(false);
  });
});

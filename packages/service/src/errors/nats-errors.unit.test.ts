import { JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import {
  isCasConflict,
  isConsumerExists,
  isConsumerNotFound,
  isJetStreamUnavailable,
  isNoMessageFound,
  isStreamNameInUse,
  isStreamNotFound,
  jetStreamApiCode,
  JetStreamErrorCode,
} from './jetstream-codes';
import { isTransientNatsError } from './transient';

/** What the client throws for an API error response: the server's code, its HTTP-like status, a text. */
const apiError = (err_code: number, description = 'whatever the server says today', code = 400) =>
  new JetStreamApiError({ code, err_code, description });

/**
 * What JetStream answers while it cannot serve, as nats-server 2.10 words it (server/errors.json)
 * and as @nats-io/jetstream 3.4 throws it: 10039 comes wrapped in its own `JetStreamNotEnabled`.
 */
const quorumLost = () => apiError(10008, 'JetStream system temporarily unavailable', 503);
const cannotServe = () => [
  quorumLost(),
  apiError(10076, 'JetStream not enabled', 503),
  apiError(10004, 'incomplete results', 503),
  apiError(10009, 'JetStream cluster can not handle request', 500),
  apiError(10118, 'stream is offline', 500),
  apiError(10119, 'consumer is offline', 500),
  Object.assign(new Error('JetStream not enabled for account', { cause: apiError(10039, 'x', 503) }), {
    name: 'JetStreamNotEnabled',
  }),
];

describe('JetStream API error classification', () => {
  it('given a lost compare-and-set (either code the server uses), then isCasConflict, whatever the text', () => {
    expect(isCasConflict(apiError(JetStreamErrorCode.StreamWrongLastSequence))).toBe(true);
    expect(isCasConflict(apiError(JetStreamErrorCode.StreamWrongLastSequenceUnknown))).toBe(true);
    expect(isCasConflict(apiError(JetStreamErrorCode.StreamNotFound, 'wrong last sequence: 7'))).toBe(false);
  });

  it('given an error carrying the text but not the code, then no classification matches', () => {
    const textOnly = new Error('wrong last sequence: 12; consumer not found; stream not found');
    for (const is of [isCasConflict, isConsumerNotFound, isStreamNotFound, isStreamNameInUse, isConsumerExists]) {
      expect(is(textOnly)).toBe(false);
    }
    expect(jetStreamApiCode(textOnly)).toBeUndefined();
  });

  it('given a copy of the error class from another bundle, then the code is still read', () => {
    const lookalike = { name: 'JetStreamApiError', code: 10071, apiError: () => ({}) };
    expect(isCasConflict(lookalike)).toBe(true);
  });

  it('given missing resources, then each predicate names its own', () => {
    expect(isStreamNotFound(apiError(10059))).toBe(true);
    expect(isConsumerNotFound(apiError(10014))).toBe(true);
    expect(isConsumerNotFound(apiError(10149))).toBe(true); // update of a consumer that is gone
    expect(isConsumerNotFound(apiError(10059))).toBe(false);
    expect(isNoMessageFound(apiError(10037))).toBe(true);
  });

  it('given a create that raced another process, then the "exists" predicates say so', () => {
    expect(isStreamNameInUse(apiError(10058))).toBe(true);
    expect(isConsumerExists(apiError(10148))).toBe(true);
    expect(isConsumerExists(apiError(10013))).toBe(true);
    expect(isConsumerExists(apiError(10014))).toBe(false);
  });

  it('given nothing that looks like an error, then undefined and false', () => {
    for (const value of [undefined, null, 'wrong last sequence', 10071, { code: '10071' }]) {
      expect(jetStreamApiCode(value)).toBeUndefined();
      expect(isCasConflict(value)).toBe(false);
    }
  });
});

describe('isJetStreamUnavailable', () => {
  it('given the answers of a cluster without quorum, an election or a starting JetStream, then unavailable', () => {
    for (const error of cannotServe().slice(0, 6)) expect(isJetStreamUnavailable(error)).toBe(true);
  });

  it('given a refusal of the request itself, then not', () => {
    for (const code of [10071, 10059, 10014, 10037, 10058, 10003])
      expect(isJetStreamUnavailable(apiError(code))).toBe(false);
  });
});

describe('isTransientNatsError', () => {
  it('given JetStream answering that it cannot serve now (quorum lost, not enabled yet, offline), also wrapped, then transient', () => {
    for (const error of cannotServe()) expect(isTransientNatsError(error)).toBe(true);
    const published = new Error('could not publish IngestRequested', { cause: quorumLost() });
    expect(isTransientNatsError(published)).toBe(true);
  });

  it('given a pull answered 503 (no responders), then transient; another status, not', () => {
    const status = (code: number) =>
      Object.assign(new JetStreamError('no responders'), { name: 'JetStreamStatusError', code });
    expect(isTransientNatsError(status(503))).toBe(true);
    expect(isTransientNatsError(status(409))).toBe(false);
  });

  it('given a timeout, a drop mid-request or no responders (as the client wraps them), then transient', () => {
    expect(isTransientNatsError(new errors.TimeoutError())).toBe(true);
    expect(isTransientNatsError(new errors.RequestError('connection disconnected'))).toBe(true);
    const noResponders = new errors.RequestError('503', { cause: new errors.NoRespondersError('ingest.x') });
    expect(isTransientNatsError(new Error('jetstream is not enabled', { cause: noResponders }))).toBe(true);
    expect(isTransientNatsError(new errors.ConnectionError('connection refused'))).toBe(true);
  });

  it('given a refusal, then not transient, even when a request error wraps it or its text says timeout', () => {
    expect(isTransientNatsError(apiError(10071, 'timeout'))).toBe(false);
    const refused = new errors.PermissionViolationError('Permissions Violation', 'publish', 'ingest.x');
    expect(isTransientNatsError(new errors.RequestError(refused.message, { cause: refused }))).toBe(false);
    expect(isTransientNatsError(new errors.ClosedConnectionError())).toBe(false);
    expect(isTransientNatsError(new Error('timeout, no responders, disconnected'))).toBe(false);
  });
});

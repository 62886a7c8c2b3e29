import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

const MIRROR = {
  EDGAR_WWW_URL: 'http://127.0.0.1:8920/www.sec.gov',
  EDGAR_DATA_URL: 'http://127.0.0.1:8920/data.sec.gov',
};

describe('parseEnv', () => {
  it('refuses to talk to SEC without a SEC_USER_AGENT naming the operator, and says why', () => {
    expect(() => parseEnv({})).toThrow(EnvError);
    expect(() => parseEnv({})).toThrow(/SEC_USER_AGENT.*contact email/);
    expect(() => parseEnv({ SEC_USER_AGENT: 'just-a-name' })).toThrow(/SEC_USER_AGENT/);
  });

  it('takes SEC defaults with a proper User-Agent', () => {
    const env = parseEnv({ SEC_USER_AGENT: 'Acme Research ops@acme.example' });
    expect(env).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4333',
      NATS_USER: 'ingestor',
      NATS_PASSWORD: 'ingestor-dev-password',
      EDGAR_WWW_URL: 'https://www.sec.gov',
      EDGAR_DATA_URL: 'https://data.sec.gov',
      INGEST_CONCURRENCY: 2,
      EDGAR_MAX_RPS: 10,
      HTTP_PORT: 9101,
      HOST: '127.0.0.1',
    });
  });

  it('refuses more than 10 requests per second to SEC, but allows it against a mirror', () => {
    expect(() => parseEnv({ SEC_USER_AGENT: 'Acme Research ops@acme.example', EDGAR_MAX_RPS: '11' })).toThrow(
      /fair-access/,
    );
    expect(parseEnv({ ...MIRROR, EDGAR_MAX_RPS: '1000' }).EDGAR_MAX_RPS).toBe(1000);
  });

  it('needs no User-Agent for a mirror', () => {
    expect(parseEnv(MIRROR).SEC_USER_AGENT).toMatch(/mirror/);
  });

  it('rejects a non-numeric concurrency with the variable named', () => {
    expect(() => parseEnv({ ...MIRROR, INGEST_CONCURRENCY: 'lots' })).toThrow(/INGEST_CONCURRENCY/);
  });
});

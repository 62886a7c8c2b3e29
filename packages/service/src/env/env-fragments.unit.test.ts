import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseEnv, durationMs, instanceEnv, logLevelEnv, natsCredentials, natsEnv, opsEnv } from './env-fragments';

const Schema = z.object({ ...natsEnv('ingestor'), ...databaseEnv, ...logLevelEnv, ...opsEnv(9101), ...instanceEnv });

describe('env fragments', () => {
  it('given an empty environment, then the one-machine defaults, the role as user and loopback', () => {
    const env = Schema.parse({});
    expect(env).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4333',
      NATS_USER: 'ingestor',
      NATS_PASSWORD: 'ingestor-dev-password',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/symbology',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      HTTP_PORT: 9101,
    });
  });

  it('given no instance id, then a fresh UUID per parse; given one, then that one', () => {
    const a = Schema.parse({}).SYMBOLOGY_INSTANCE_ID;
    const b = Schema.parse({}).SYMBOLOGY_INSTANCE_ID;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    expect(Schema.parse({ SYMBOLOGY_INSTANCE_ID: 'launch-42' }).SYMBOLOGY_INSTANCE_ID).toBe('launch-42');
  });

  it('given bad values, then the variables are named', () => {
    const result = Schema.safeParse({ HTTP_PORT: 'ninety', LOG_LEVEL: 'loud', NATS_URL: '', HOST: '' });
    expect(result.success).toBe(false);
    const named = result.error!.issues.map((i) => i.path.join('.')).sort();
    expect(named).toEqual(['HOST', 'HTTP_PORT', 'LOG_LEVEL', 'NATS_URL']);
  });

  it('given the parsed NATS variables, then the credentials connectAs takes', () => {
    const env = Schema.parse({ NATS_URL: 'nats://a:1,nats://b:2', NATS_PASSWORD: 's3cret' });
    expect(natsCredentials(env)).toEqual({ servers: 'nats://a:1,nats://b:2', user: 'ingestor', pass: 's3cret' });
  });

  it('given a duration as a person writes it, then milliseconds; given nonsense, then the variable is named', () => {
    const D = z.object({ REFRESH_AFTER: durationMs('24h') });
    expect(D.parse({}).REFRESH_AFTER).toBe(86_400_000);
    expect(
      ['90s', '30m', '2d', '1500', '1500ms', '0.5h'].map((v) => D.parse({ REFRESH_AFTER: v }).REFRESH_AFTER),
    ).toEqual([90_000, 1_800_000, 172_800_000, 1_500, 1_500, 1_800_000]);
    for (const bad of ['soon', '0', '-5m', '24 hours']) {
      const result = D.safeParse({ REFRESH_AFTER: bad });
      expect(result.success, bad).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual(['REFRESH_AFTER']);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config';
import { DEFAULT_EXTRACTION_LIMITS } from './edgar/extraction/extraction-limits';
import { DEFAULT_COMPANY_FACTS_LIMITS } from './edgar/workers/facts-pool';
import { EnvError, parseEnv } from './env';

const BASE = { SEC_USER_AGENT: 'Acme Research ops@acme.example' };

describe('the caps on one primary document, from the environment', () => {
  it('given nothing set, then the documented defaults: 64 MiB, 30 s, 512 MB, depth 1,000, 10 M characters', () => {
    const config = configFromEnv(parseEnv(BASE));
    expect(config.edgar.maxDocumentBytes).toBe(64 * 1024 * 1024);
    expect(config.edgar.maxJsonBytes).toBe(256 * 1024 * 1024);
    expect(config.extraction).toEqual(DEFAULT_EXTRACTION_LIMITS);
    expect(DEFAULT_EXTRACTION_LIMITS).toEqual({
      timeoutMs: 30_000,
      maxMemoryMb: 512,
      maxNestingDepth: 1_000,
      maxTextChars: 10_000_000,
    });
  });

  it('given each cap set, then the config carries it', () => {
    const config = configFromEnv(
      parseEnv({
        ...BASE,
        EDGAR_MAX_DOCUMENT_BYTES: '1048576',
        EDGAR_MAX_JSON_BYTES: '2097152',
        EXTRACT_TIMEOUT_MS: '5000',
        EXTRACT_MAX_MEMORY_MB: '256',
        EXTRACT_MAX_NESTING_DEPTH: '200',
        EXTRACT_MAX_TEXT_CHARS: '2000000',
      }),
    );
    expect(config.edgar.maxDocumentBytes).toBe(1_048_576);
    expect(config.edgar.maxJsonBytes).toBe(2_097_152);
    expect(config.extraction).toEqual({
      timeoutMs: 5_000,
      maxMemoryMb: 256,
      maxNestingDepth: 200,
      maxTextChars: 2_000_000,
    });
  });

  it('given a cap too small to work with, then the ingestor refuses to start and names the variable', () => {
    expect(() => parseEnv({ ...BASE, EXTRACT_MAX_MEMORY_MB: '8' })).toThrow(EnvError);
    expect(() => parseEnv({ ...BASE, EXTRACT_MAX_MEMORY_MB: '8' })).toThrow(/EXTRACT_MAX_MEMORY_MB/);
  });
});

describe('the budget for reading one companyfacts, from the environment', () => {
  it('given nothing set, then the documented defaults: 30 s, 1024 MB', () => {
    expect(configFromEnv(parseEnv(BASE)).companyFacts).toEqual(DEFAULT_COMPANY_FACTS_LIMITS);
    expect(DEFAULT_COMPANY_FACTS_LIMITS).toEqual({ timeoutMs: 30_000, maxMemoryMb: 1_024 });
  });

  it('given each set, then the config carries it; too small to work with, the ingestor refuses to start', () => {
    const config = configFromEnv(
      parseEnv({ ...BASE, COMPANYFACTS_TIMEOUT_MS: '5000', COMPANYFACTS_MAX_MEMORY_MB: '2048' }),
    );
    expect(config.companyFacts).toEqual({ timeoutMs: 5_000, maxMemoryMb: 2_048 });
    expect(() => parseEnv({ ...BASE, COMPANYFACTS_MAX_MEMORY_MB: '16' })).toThrow(/COMPANYFACTS_MAX_MEMORY_MB/);
    expect(() => parseEnv({ ...BASE, COMPANYFACTS_TIMEOUT_MS: '10' })).toThrow(/COMPANYFACTS_TIMEOUT_MS/);
  });
});

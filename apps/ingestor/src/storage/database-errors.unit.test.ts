import { describe, expect, it } from 'vitest';
import { dataErrorCode } from './database-errors';

const pgError = (code: string) => Object.assign(new Error('driver message with SQL and parameters'), { code });

describe('dataErrorCode: Postgres errors the data itself caused, by SQLSTATE', () => {
  it.each(['22021', '22P05', '22001', '22008', '54000'])('given SQLSTATE %s, then it is a data error', (code) => {
    expect(dataErrorCode(pgError(code))).toBe(code);
  });

  it('given a data error wrapped by the query builder, then the SQLSTATE of the cause is found', () => {
    expect(dataErrorCode(new Error('Failed query: insert ...', { cause: pgError('22021') }))).toBe('22021');
  });

  it.each(['57P01', '08006', '40001', '53300', '23503'])(
    'given SQLSTATE %s (server, connection, constraint), then it is not',
    (code) => {
      expect(dataErrorCode(pgError(code))).toBeUndefined();
    },
  );

  it('given a network error code such as ECONNREFUSED, then it is not', () => {
    expect(dataErrorCode(pgError('ECONNREFUSED'))).toBeUndefined();
    expect(dataErrorCode(new Error('plain'))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { classifyWriteError } from './db-errors.ts';

// Error shapes as the drivers produce them: pg's DatabaseError carries `code` (SQLSTATE) and
// `severity`; Node's socket errors carry `code`; lost connections in pg are plain Errors.
const sqlError = (code: string, severity = 'ERROR', message = 'x') =>
  Object.assign(new Error(message), { code, severity });
const netError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('classifyWriteError', () => {
  it('retries when the server cannot be reached or dropped the connection', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])
      expect(classifyWriteError(netError(code)), code).toBe('unavailable');
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated',
      'Client has encountered a connection error and is not queryable',
      'timeout exceeded when trying to connect',
      'PGlite is closed',
    ])
      expect(classifyWriteError(new Error(message)), message).toBe('unavailable');
  });

  it('retries SQL errors about the session, not the data', () => {
    expect(classifyWriteError(sqlError('57P01', 'FATAL'))).toBe('unavailable');
    expect(classifyWriteError(sqlError('57P03', 'FATAL'))).toBe('unavailable');
    expect(classifyWriteError(sqlError('08006'))).toBe('unavailable');
    expect(classifyWriteError(sqlError('40P01'))).toBe('unavailable');
    // ALLOW_CONNECTIONS false: 55000 at connect, FATAL.
    expect(
      classifyWriteError(sqlError('55000', 'FATAL', 'database "x" is not currently accepting connections')),
    ).toBe('unavailable');
  });

  it('splits on SQL errors about a row', () => {
    for (const code of ['23514', '23505', '22003', '22P02', '42703', '55000'])
      expect(classifyWriteError(sqlError(code)), code).toBe('refused');
  });

  it('does not retry errors that are neither SQL errors nor lost connections', () => {
    expect(classifyWriteError(new TypeError("Cannot read properties of undefined (reading 'lon')"))).toBe(
      'unexpected',
    );
    expect(classifyWriteError(new RangeError('Invalid time value'))).toBe('unexpected');
    expect(classifyWriteError(new Error('something else'))).toBe('unexpected');
    expect(classifyWriteError('a string')).toBe('unexpected');
    expect(classifyWriteError(undefined)).toBe('unexpected');
  });
});

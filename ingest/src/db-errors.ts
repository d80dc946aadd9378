// What a failed batch write means, which decides what ingest does next:
// - 'unavailable': the database is away or busy (connection refused or lost, server restarting,
//   session terminated, deadlock). Nothing is wrong with the messages: retry the batch as it is.
// - 'refused': the database answered with an SQL error about the statement (a constraint, a value
//   out of range). Some message cannot be written: split the batch to find and dead-letter it.
// - 'unexpected': neither an SQL error nor a lost connection (a TypeError in a writer, ...). A bug;
//   retrying would stall ingest forever, so it is split and dead-lettered like 'refused', loudly.

export type WriteFailure = 'unavailable' | 'refused' | 'unexpected';

const RETRY_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '58000', // system_error
  '58030', // io_error
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

// pg, pg-pool and PGlite report a lost or closed connection with plain Errors, no code.
const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end|Query read timeout|PGlite is closed)/i;

/** Sorts a failed write into 'unavailable' (retry), 'refused' or 'unexpected' (split, dead-letter). */
export function classifyWriteError(err: unknown): WriteFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    severity?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  // Before the SQLSTATE test: EPIPE is five capitals too.
  if (code && NETWORK_CODES.has(code)) return 'unavailable';
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    // FATAL/PANIC end the session (refused at connect: database not accepting connections,
    // does not exist yet, too many clients): about the connection, never about one row.
    if (e.severity === 'FATAL' || e.severity === 'PANIC') return 'unavailable';
    return code.startsWith('08') || RETRY_SQLSTATES.has(code) ? 'unavailable' : 'refused';
  }
  if (typeof e.message === 'string' && LOST_CONNECTION.test(e.message)) return 'unavailable';
  return 'unexpected';
}

// Whether a failed write should be retried as it is (the database is away or busy) or is caused by
// the data (then the batch is split to find and dead-letter the message that cannot be written).

const TRANSIENT_SQLSTATES = new Set([
  '40001',
  '40P01',
  '53300',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  '58000',
  '58030',
]);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** True when the error says nothing about the data: connection lost, server restarting, deadlock, ... */
export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; severity?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    // FATAL/PANIC end the session (refused at connect: database not accepting connections,
    // does not exist yet, too many clients): about the connection, never about one row.
    if (e?.severity === 'FATAL' || e?.severity === 'PANIC') return true;
    return code.startsWith('08') || TRANSIENT_SQLSTATES.has(code);
  }
  if (code && TRANSIENT_NODE_CODES.has(code)) return true;
  // No SQLSTATE: a dropped connection, a closed pool, a timeout — never the data's fault.
  return true;
}

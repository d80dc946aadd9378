import type { Db, Queryable } from '@wardmap/db';

/** Where a statement runs: opening a transaction (taking a connection) or a statement. */
export type FaultPoint = { at: 'connect' } | { at: 'query'; sql: string; params: readonly unknown[] };

/**
 * The real database behind a thin wrapper that throws `fault(point)`'s error instead of running the
 * statement whenever it returns one. It injects failures the tests cannot provoke for real (PGlite
 * has no server to take away; a writer bug cannot be planted in shipped code); every other
 * statement runs on the real backend, so transactions, rollbacks and constraints stay real.
 */
export function faultyDb(
  inner: Db,
  fault: (point: FaultPoint) => Error | undefined,
  opts: {
    /** An error to throw after a transaction committed: the commit's reply "lost" on the way back. */
    afterCommit?: () => Error | undefined;
  } = {},
): Db {
  const wrap = (q: Queryable): Queryable => ({
    query(sql, params) {
      const err = fault({ at: 'query', sql, params: params ?? [] });
      return err ? Promise.reject(err) : q.query(sql, params);
    },
    exec(sql) {
      const err = fault({ at: 'query', sql, params: [] });
      return err ? Promise.reject(err) : q.exec(sql);
    },
  });
  const outer = wrap(inner);
  return {
    kind: inner.kind,
    hasAsMvt: inner.hasAsMvt,
    query: outer.query,
    exec: outer.exec,
    async transaction(fn) {
      const err = fault({ at: 'connect' });
      if (err) throw err;
      const out = await inner.transaction((tx) => fn(wrap(tx)));
      const lost = opts.afterCommit?.();
      if (lost) throw lost;
      return out;
    },
    listen: (channel, onPayload) => inner.listen(channel, onPayload),
    close: () => inner.close(),
  };
}

/** What the pg driver throws when nothing listens on the server's port. */
export function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
  });
}

/** What the pg driver throws when the connection drops while waiting for a reply. */
export function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
}

/** What the pg driver rejects the running statement with when the server ends the session. */
export function sessionTerminated(): Error {
  return Object.assign(new Error('terminating connection due to administrator command'), {
    code: '57P01',
    severity: 'FATAL',
  });
}

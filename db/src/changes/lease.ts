import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../types.ts';

/**
 * A named lease in the `leases` table: at most one process holds it until `expires_at`; the
 * holder renews it on every call of {@link Lease.tryHold}, and when the holder dies (stops
 * renewing) another process takes it over once it has expired. Times are the database's, so
 * clock skew between API machines does not matter. Used for jobs that must run once across all
 * API processes (the SLA escalation timer).
 */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Takes or renews the lease; true while this process holds it. */
  tryHold(): Promise<boolean>;
  /** Gives it up (on a clean stop), so another process need not wait for the expiry. */
  release(): Promise<void>;
}

export function createLease(db: Db, name: string, opts: { ttlMs: number; holder?: string }): Lease {
  const holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return {
    name,
    holder,
    async tryHold() {
      const r = await db.query(
        `INSERT INTO leases AS l (name, holder, expires_at)
         VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3::float8 / 1000))
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE l.holder = excluded.holder OR l.expires_at < clock_timestamp()
         RETURNING holder`,
        [name, holder, opts.ttlMs],
      );
      return r.rowCount > 0;
    },
    async release() {
      await db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
    },
  };
}

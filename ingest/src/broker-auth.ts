import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type Queryable, verifyPassword } from '@wardmap/db';
import { type BrokerIdentity, canPublish, canSubscribe } from './acl.ts';
import type { BrokerAuth } from './broker.ts';

export interface DbBrokerAuth extends BrokerAuth {
  /** Credentials for ingest's own connection (read everything, publish nothing); random per process. */
  ingestCredentials: { username: string; password: string };
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Authentication and topic ACL for the embedded broker from the people and cameras tables:
 * user name = person or camera id with its password; `admin` with the admin token; plus an
 * internal identity for ingest. Pass the result to `startEmbeddedBroker`.
 */
export function dbBrokerAuth(db: Queryable, opts: { adminToken?: string | undefined } = {}): DbBrokerAuth {
  const ingestCredentials = { username: 'wardmap-ingest', password: randomBytes(24).toString('base64url') };
  return {
    ingestCredentials,
    async authenticate(username, password) {
      if (!username || !password) return null;
      const secret = password.toString();
      if (username === 'admin') {
        return opts.adminToken && sameSecret(secret, opts.adminToken) ? { kind: 'admin', username } : null;
      }
      if (username === ingestCredentials.username) {
        return sameSecret(secret, ingestCredentials.password) ? { kind: 'ingest', username } : null;
      }
      const person = await db.query<{
        password_hash: string | null;
        roles: string[];
        segments: string[] | null;
      }>(
        `SELECT p.password_hash, p.roles,
                (SELECT array_agg(s.id) FROM river_segments s WHERE s.chief_id = p.id) AS segments
           FROM people p WHERE p.id = $1 AND p.active`,
        [username],
      );
      const p = person.rows[0];
      if (p) {
        if (!(await verifyPassword(secret, p.password_hash))) return null;
        return {
          kind: 'person',
          username,
          roles: p.roles,
          segments: p.segments ?? [],
        } satisfies BrokerIdentity;
      }
      const camera = await db.query<{ password_hash: string | null; frigate_name: string | null }>(
        'SELECT password_hash, frigate_name FROM cameras WHERE id = $1',
        [username],
      );
      const c = camera.rows[0];
      if (c && (await verifyPassword(secret, c.password_hash))) {
        return { kind: 'camera', username, frigateName: c.frigate_name };
      }
      return null;
    },
    authorizePublish: (who, topic) => canPublish(who as BrokerIdentity, topic),
    authorizeSubscribe: (who, filter) => canSubscribe(who as BrokerIdentity, filter),
  };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createLoginThrottle, type LoginThrottle, type Queryable, verifyPassword } from '@wardmap/db';
import { type BrokerIdentity, canPublish, canSubscribe, canUseClientId, payloadRefusal } from './acl.ts';
import type { BrokerAuth, EmbeddedBroker } from './embedded.ts';

export interface DbBrokerAuth extends BrokerAuth {
  /** Credentials for ingest's own connection (read everything, publish nothing); random per process. */
  ingestCredentials: { username: string; password: string };
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

type IdentityRow = {
  kind: 'person' | 'camera' | 'nvr';
  password_hash: string | null;
  roles: string[] | null;
  list: string[] | null;
};

/** A person's, camera's or NVR's broker identity and password hash from the database; null if none (or inactive). */
async function loadIdentity(
  db: Queryable,
  username: string,
): Promise<{ who: BrokerIdentity; passwordHash: string | null } | null> {
  const res = await db.query<IdentityRow>(
    `SELECT 'person' AS kind, p.password_hash, p.roles,
            (SELECT array_agg(s.id) FROM river_segments s WHERE s.chief_id = p.id) AS list
       FROM people p WHERE p.id = $1 AND p.active
     UNION ALL
     SELECT 'camera', c.password_hash, NULL, NULL FROM cameras c WHERE c.id = $1
     UNION ALL
     SELECT 'nvr', n.password_hash, NULL,
            (SELECT array_agg(coalesce(c.frigate_name, c.id)) FROM cameras c WHERE c.nvr_id = n.id)
       FROM nvrs n WHERE n.id = $1 AND n.active
     LIMIT 1`,
    [username],
  );
  const row = res.rows[0];
  if (!row) return null;
  const who: BrokerIdentity =
    row.kind === 'person'
      ? { kind: 'person', username, roles: row.roles ?? [], segments: row.list ?? [] }
      : row.kind === 'camera'
        ? { kind: 'camera', username }
        : { kind: 'nvr', username, cameras: row.list ?? [] };
  return { who, passwordHash: row.password_hash };
}

/**
 * Who a broker login is: `admin` with the admin token, or a person, camera or NVR with its
 * password. Null for a wrong password or an unknown or inactive name (unknown names run scrypt
 * against a dummy hash: the answer time tells nothing).
 */
export async function identifyBrokerUser(
  db: Queryable,
  username: string,
  secret: string,
  adminToken: string | undefined,
): Promise<BrokerIdentity | null> {
  if (username === 'admin') {
    return adminToken && sameSecret(secret, adminToken) ? { kind: 'admin', username } : null;
  }
  const found = await loadIdentity(db, username);
  if (!(await verifyPassword(secret, found?.passwordHash)) || !found) return null;
  return found.who;
}

/**
 * The identity of a login the broker has already authenticated (for its later permission checks,
 * which carry the name only): as `identifyBrokerUser`, without the password. Null if gone meanwhile.
 */
export async function brokerUserByName(db: Queryable, username: string): Promise<BrokerIdentity | null> {
  if (username === 'admin') return { kind: 'admin', username };
  return (await loadIdentity(db, username))?.who ?? null;
}

/**
 * Authentication and topic ACL for the embedded broker from the people, cameras and nvrs tables:
 * user name = person, camera or NVR id with its password; `admin` with the admin token; plus an
 * internal identity for ingest. Also binds client ids to identities (`canUseClientId`), checks
 * payloads (`payloadRefusal`) and throttles failed CONNECTs per user name and address. Pass the
 * result to `startEmbeddedBroker`.
 */
export function dbBrokerAuth(
  db: Queryable,
  opts: { adminToken?: string | undefined; throttle?: LoginThrottle } = {},
): DbBrokerAuth {
  const ingestCredentials = { username: 'wardmap-ingest', password: randomBytes(24).toString('base64url') };
  const throttle = opts.throttle ?? createLoginThrottle();

  async function identify(username: string, secret: string): Promise<BrokerIdentity | null> {
    if (username === ingestCredentials.username) {
      return sameSecret(secret, ingestCredentials.password) ? { kind: 'ingest', username } : null;
    }
    return identifyBrokerUser(db, username, secret, opts.adminToken);
  }

  return {
    ingestCredentials,
    async authenticate(username, password, meta) {
      if (!username || !password) return null;
      const address = meta?.address ?? 'unknown';
      if (throttle.retryAfter(username, address) > 0) return null;
      const who = await identify(username, password.toString());
      if (!who) {
        throttle.fail(username, address);
        return null;
      }
      throttle.succeed(username);
      // Right password, wrong client id (a service's, or another person's): refused all the same.
      if (meta && !canUseClientId(who, meta.clientId)) return null;
      return who;
    },
    authorizePublish: (who, topic, payload) => {
      const id = who as BrokerIdentity;
      if (!canPublish(id, topic)) return false;
      return payloadRefusal(id, topic, payload) ?? true;
    },
    authorizeSubscribe: (who, filter) => canSubscribe(who as BrokerIdentity, filter),
    usernameOf: (who) => (who as BrokerIdentity | undefined)?.username,
  };
}

/**
 * Disconnects a person's or NVR's live broker sessions when it is deactivated or its password
 * changes (migration 0017 notifies `wardmap_identity`). Returns the function that stops watching.
 */
export async function disconnectOnIdentityChange(
  db: { listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> },
  broker: Pick<EmbeddedBroker, 'disconnect'>,
  log: (line: string) => void = () => {},
): Promise<() => Promise<void>> {
  return db.listen('wardmap_identity', (username) => {
    const n = broker.disconnect(username);
    if (n) log(`mqtt: closed ${n} session(s) of ${username} (deactivated or password changed)`);
  });
}

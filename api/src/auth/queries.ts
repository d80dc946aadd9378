import type { Queryable } from '@wardmap/db';

export interface LoginCandidate {
  id: string;
  name: string;
  roles: string[];
  password_hash: string | null;
}

/** The active person signing in, with their password hash; undefined for an unknown or inactive id. */
export async function findLoginCandidate(
  q: Queryable,
  personId: string,
): Promise<LoginCandidate | undefined> {
  const res = await q.query<LoginCandidate>(
    'SELECT id, name, roles, password_hash FROM people WHERE id = $1 AND active',
    [personId],
  );
  return res.rows[0];
}

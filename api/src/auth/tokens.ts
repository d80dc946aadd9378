import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@wardmap/db';

/** Tokens live 12 hours of real time (not demo-clock time: a compressed day must not log people out). */
export const TOKEN_TTL_MS = 12 * 3600_000;

/** A remembered device session (`remember: true`, the field app on a phone) lives 30 days. */
export const REMEMBER_TTL_MS = 30 * 24 * 3600_000;

/** SHA-256 of a bearer token, as stored: tokens carry 256 random bits, so a fast hash suffices. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Creates a token for a person; only its hash is stored. */
export async function issueToken(
  q: Queryable,
  personId: string,
  ttlMs: number = TOKEN_TTL_MS,
): Promise<{ token: string; expiresAt: Date }> {
  const token = `wm_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await q.query(
    'INSERT INTO api_tokens (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [hashToken(token), personId, now, expiresAt],
  );
  return { token, expiresAt };
}

/** The person a token belongs to, or null when unknown or expired. */
export async function personForToken(q: Queryable, token: string): Promise<string | null> {
  const res = await q.query<{ person_id: string }>(
    'SELECT person_id FROM api_tokens WHERE token_hash = $1 AND expires_at > $2',
    [hashToken(token), new Date()],
  );
  return res.rows[0]?.person_id ?? null;
}

/** Revokes one token (logout). */
export async function revokeToken(q: Queryable, token: string): Promise<void> {
  await q.query('DELETE FROM api_tokens WHERE token_hash = $1', [hashToken(token)]);
}

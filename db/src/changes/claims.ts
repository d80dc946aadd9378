/**
 * The processed-message claim: one row per message id in `checkin_claims` (migration 0022), taken
 * in the transaction that stores the message, so a redelivered message (a broker retry, a worker
 * that died before its acknowledgement) is stored once whatever its device time. Concurrent
 * writers need no lock for it: the primary key makes the second claimant wait for the first one's
 * commit and then find the id taken.
 */
export const CLAIMS_TABLE = 'checkin_claims';

/**
 * Two CTEs over `source` (columns `message_id`, `at`, `digest`, each id once): `claims` (the ids
 * this statement claimed; only they are stored) and `conflicts` (ids claimed before with other
 * content: `message_id`, `first_at`), for a `WITH` list.
 */
export function claimCtes(source: string): string {
  return `claims AS (
       -- Idempotency by message id alone, whatever the device time (and so the partition).
       INSERT INTO ${CLAIMS_TABLE} (message_id, at, digest)
       SELECT message_id, at, digest FROM ${source}
       ON CONFLICT (message_id) DO NOTHING
       RETURNING message_id
     ), conflicts AS (
       -- Ids claimed before this statement with other content (this statement's own claims are not
       -- visible here, and the batch holds each id once).
       SELECT p.message_id, c.at AS first_at
         FROM ${source} p JOIN ${CLAIMS_TABLE} c ON c.message_id = p.message_id
        WHERE c.digest IS NOT NULL AND c.digest <> p.digest
     )`;
}

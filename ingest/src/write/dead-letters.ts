import { createHash } from 'node:crypto';
import type { Db, Queryable } from '@wardmap/db';
import type { RejectStage } from '../items.ts';
import type { BatchEntry, DeadLetter } from './types.ts';

// PostgreSQL text cannot hold U+0000; a topic or a quoted payload fragment might.
const noNul = (s: string) => s.replaceAll(String.fromCharCode(0), '\\0');

/** Bytes of a refused payload kept for inspection; the full length and SHA-256 are stored beside them. */
export const DEAD_LETTER_PREFIX_BYTES = 4096;
const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Identity of a refused message: a digest of its topic and raw bytes. A redelivery carries the
 * same topic and bytes, so it maps to the same key; messages that differ in any byte stay apart.
 * A source message id would add nothing: ids are read from (or derived from) topic and payload,
 * and a payload that failed to parse has none.
 */
export function deadLetterKey(topic: string, payload: Uint8Array): string {
  return `sha256:${createHash('sha256').update(topic).update('\0').update(payload).digest('hex')}`;
}

export interface DeadLetterWrite {
  /** The letters newly stored (in input order). */
  stored: DeadLetter[];
  ids: string[];
  /** Letters already stored earlier (or twice in this batch): not stored again. */
  duplicates: number;
}

/**
 * Stores refused messages with topic, reason and the first `DEAD_LETTER_PREFIX_BYTES` of the raw
 * bytes (plus full length and SHA-256), once per message (see `deadLetterKey`).
 */
export async function insertDeadLetters(
  q: Queryable,
  letters: readonly DeadLetter[],
): Promise<DeadLetterWrite> {
  if (letters.length === 0) return { stored: [], ids: [], duplicates: 0 };
  const byKey = new Map<string, DeadLetter>();
  for (const l of letters) {
    const key = deadLetterKey(l.topic, l.payload);
    if (!byKey.has(key)) byKey.set(key, l);
  }
  const keys = [...byKey.keys()];
  const unique = [...byKey.values()];
  // Raw bytes travel as hex text: both backends serialise text[] the same way.
  const res = await q.query<{ id: number; dedup_key: string }>(
    `INSERT INTO dead_letters (topic, payload, reason, source, received_at, dedup_key, stage, payload_length, payload_sha256)
     SELECT t, decode(p, 'hex'), r, 'mqtt', at, k, s, n, h
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::int[], $8::text[])
            AS d(t, p, r, at, k, s, n, h)
     ON CONFLICT (dedup_key) DO NOTHING
     RETURNING id, dedup_key`,
    [
      unique.map((l) => cap(noNul(l.topic), 512)),
      unique.map((l) => Buffer.from(l.payload.subarray(0, DEAD_LETTER_PREFIX_BYTES)).toString('hex')),
      unique.map((l) => cap(noNul(`${l.stage}: ${l.reason}`), 1000)),
      unique.map((l) => l.receivedAt.toISOString()),
      keys,
      unique.map((l) => l.stage),
      unique.map((l) => l.payload.byteLength),
      unique.map((l) => createHash('sha256').update(l.payload).digest('hex')),
    ],
  );
  const fresh = new Set(res.rows.map((r) => r.dedup_key));
  return {
    stored: keys.filter((k) => fresh.has(k)).map((k) => byKey.get(k) as DeadLetter),
    ids: res.rows.map((r) => String(r.id)),
    duplicates: letters.length - res.rows.length,
  };
}

/** The last resort for a message whose dead letter the full writer could not store: alone, in its own transaction. */
export async function insertDeadLetterAlone(
  db: Db,
  entry: BatchEntry,
  stage: RejectStage,
  reason: string,
): Promise<void> {
  await db.transaction((tx) =>
    insertDeadLetters(tx, [
      { topic: entry.topic, payload: entry.payload, stage, reason, receivedAt: entry.receivedAt },
    ]),
  );
}

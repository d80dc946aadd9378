import type { Queryable } from '@wardmap/db';
import type { DeadLetter } from './types.ts';

// PostgreSQL text cannot hold U+0000; a topic or a quoted payload fragment might.
const noNul = (s: string) => s.replaceAll(String.fromCharCode(0), '\\0');

/** Stores refused messages with topic, raw bytes and reason; returns their ids. */
export async function insertDeadLetters(q: Queryable, letters: readonly DeadLetter[]): Promise<string[]> {
  if (letters.length === 0) return [];
  // Raw bytes travel as hex text: both backends serialise text[] the same way.
  const res = await q.query<{ id: number }>(
    `INSERT INTO dead_letters (topic, payload, reason, source, received_at)
     SELECT t, decode(p, 'hex'), r, 'mqtt', at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS d(t, p, r, at)
     RETURNING id`,
    [
      letters.map((l) => noNul(l.topic)),
      letters.map((l) => Buffer.from(l.payload).toString('hex')),
      letters.map((l) => noNul(`${l.stage}: ${l.reason}`)),
      letters.map((l) => l.receivedAt.toISOString()),
    ],
  );
  return res.rows.map((r) => String(r.id));
}

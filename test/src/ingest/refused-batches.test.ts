import type { BatchEntry, RunningIngest } from '@wardmap/ingest';
import { describe, expect, it } from 'vitest';
import { count, eventually, PEOPLE, publishCheckins, useIngestPipeline } from '../support/ingest.ts';
import { faultyDb } from './faulty-db.ts';

const t = useIngestPipeline({ startIngest: false, publisher: 'phones' });
const people = PEOPLE;
// Long enough for a burst published at once to become one batch.
const oneBatch = { maxWaitMs: 1000, maxRows: 10_000 };

const publishMany = (prefix: string, n: number) => publishCheckins(t.pub, prefix, n);

const messageIds = (entries: readonly BatchEntry[]) =>
  entries.map((e) => (e.decoded.ok && 'messageId' in e.decoded.item ? e.decoded.item.messageId : '?'));

/** After `ingest` stopped: a new session under the same client id gets nothing if everything was acknowledged. */
async function redeliveredAfterRestart(name: string): Promise<number> {
  const again = await t.startIngest(name);
  await new Promise((r) => setTimeout(r, 700));
  const n = again.stats().received;
  await again.stop();
  return n;
}

describe('a batch the database refuses', () => {
  it('is split until the one row the database rejects is dead-lettered with its reason; the rest is stored and acknowledged', async () => {
    // A real constraint that exactly one message of the burst violates; it passes validation.
    await t.db.exec(
      `ALTER TABLE checkins ADD CONSTRAINT wardmap_test_no_poison CHECK (message_id <> 'poison-7')`,
    );
    const lines: string[] = [];
    const committed: string[][] = [];
    const clientId = 'ingest-poison';
    const ingest: RunningIngest = await t.startIngest(clientId, {
      batch: oneBatch,
      log: (l) => lines.push(l),
      onCommit: (entries) => committed.push(messageIds(entries)),
    });
    try {
      await publishMany('poison', 20);
      await eventually(async () => ingest.stats().stored + ingest.stats().deadLettered === 20);
      expect(ingest.stats()).toMatchObject({ stored: 19, deadLettered: 1, dbRetries: 0, buffered: 0 });
    } finally {
      await ingest.stop();
    }
    // The whole burst was tried as one batch, refused, and split.
    expect(lines.some((l) => /^batch of 20 refused .*wardmap_test_no_poison/.test(l))).toBe(true);
    expect(ingest.metrics()).toMatch(/^wardmap_ingest_batch_splits_total [1-9]\d*$/m);
    expect(committed.length).toBeGreaterThan(1);
    // Committed in the smaller batches: the 19 good ones as check-ins, poison-7 only as a dead letter.
    expect(committed.flat().filter((id) => id.startsWith('poison-'))).toHaveLength(19);
    expect(committed.flat()).not.toContain('poison-7');

    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'poison-%'`)).toBe(19);
    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'poison-7'`)).toBe(0);
    const dead = await t.db.query<{ topic: string; reason: string; payload: Buffer }>(
      'SELECT topic, reason, payload FROM dead_letters',
    );
    expect(dead.rows).toHaveLength(1);
    const row = dead.rows[0]!;
    expect(row.topic).toBe(`${t.broker.topicPrefix}wardmap/checkin/${people[7 % people.length]}`);
    expect(row.reason).toMatch(
      /^database: database refused the message: new row for relation "checkins\w*" violates check constraint "wardmap_test_no_poison"/,
    );
    expect(JSON.parse(Buffer.from(row.payload).toString())).toMatchObject({ id: 'poison-7' });
    // Everything, the dead letter included, was acknowledged: nothing comes back.
    expect(await redeliveredAfterRestart(clientId)).toBe(0);
  });

  it('dead-letters the message a writer bug cannot write, without retrying it, and stores the rest', async () => {
    // A writer bug that only some data triggers: the check-in INSERT of a batch holding bug-5
    // throws a TypeError (no SQLSTATE, no lost connection). Everything else runs on the real database.
    const buggy = faultyDb(t.db, (p) =>
      p.at === 'query' && p.sql.includes('INSERT INTO checkins') && JSON.stringify(p.params).includes('bug-5')
        ? new TypeError("Cannot read properties of undefined (reading 'lon')")
        : undefined,
    );
    const lines: string[] = [];
    const clientId = 'ingest-bug';
    const ingest = await t.startIngest(clientId, {
      db: buggy,
      batch: oneBatch,
      log: (l) => lines.push(l),
    });
    try {
      await publishMany('bug', 20);
      await eventually(async () => ingest.stats().stored + ingest.stats().deadLettered === 20);
      expect(ingest.stats()).toMatchObject({ stored: 19, deadLettered: 1, dbRetries: 0, buffered: 0 });
    } finally {
      await ingest.stop();
    }
    expect(
      lines.some((l) => /^UNEXPECTED ERROR writing a batch of 20 .*TypeError: Cannot read/.test(l)),
    ).toBe(true);
    expect(ingest.metrics()).toMatch(/^wardmap_ingest_write_errors_total\{kind="unexpected"\} [1-9]\d*$/m);
    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'bug-%'`)).toBe(19);
    const dead = await t.db.query<{ reason: string; payload: Buffer }>(
      `SELECT reason, payload FROM dead_letters WHERE reason LIKE 'internal:%'`,
    );
    expect(dead.rows).toHaveLength(1);
    expect(dead.rows[0]!.reason).toBe(
      "internal: ingest failed to write the message (TypeError: Cannot read properties of undefined (reading 'lon'))",
    );
    expect(JSON.parse(Buffer.from(dead.rows[0]!.payload).toString())).toMatchObject({ id: 'bug-5' });
    expect(await redeliveredAfterRestart(clientId)).toBe(0);
  });
});

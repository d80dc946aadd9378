import { describe, expect, it } from 'vitest';
import { count, eventually, useIngestPipeline } from '../support/ingest.ts';
import { connectionReset, faultyDb } from './faulty-db.ts';

const t = useIngestPipeline({ maxPayloadBytes: 4096, publisher: 'mixed' });

const loc: [number, number] = [121.6202, 29.7505];
const at = '2024-06-01T08:00:00Z';

// [topic, payload, expected reason fragment]
const bad: Array<[string, unknown, RegExp]> = [
  ['wardmap/checkin/p-0002', '{"id": "x", ', /^json: payload: invalid JSON/],
  [
    'wardmap/checkin/p-0002',
    { id: 'bad-lat', location: [121.6, 91], at },
    /^schema: location\.1: latitude must be between -90 and 90 \(got 91\)/,
  ],
  [
    'wardmap/checkin/p-0002',
    { id: 'bad-other', personId: 'p-0003', location: loc, at },
    /^schema: personId: 'p-0003' does not match/,
  ],
  [
    'wardmap/checkin/nobody-here',
    { id: 'bad-person', location: loc, at },
    /^reference: personId: unknown or inactive person 'nobody-here'/,
  ],
  [
    'wardmap/camera/cam-001/alert',
    { id: 'bad-score', label: 'person', score: 1.5, at },
    /^schema: score: score must be between 0 and 1/,
  ],
  [
    'wardmap/camera/cam-999/alert',
    { id: 'bad-cam', label: 'person', score: 0.5, at },
    /^reference: camera: unknown camera 'cam-999'/,
  ],
  [
    'wardmap/river/seg-01/report',
    { id: 'bad-type', type: 'picnic', at },
    /^schema: type: unsupported river report type "picnic"/,
  ],
  [
    'wardmap/river/seg-99/report',
    { id: 'bad-seg', type: 'issue', issue: 'garbage', at },
    /^reference: segmentId: unknown river segment 'seg-99'/,
  ],
  [
    'owntracks/p-0002/phone',
    { _type: 'location', lat: 29.75, lon: 121.62, tst: 1717200000000 },
    /^schema: tst: tst must be Unix seconds .*milliseconds/,
  ],
  [
    'owntracks/p-0002/phone',
    { _type: 'waypoints', tst: 1717200000 },
    /^schema: _type: unsupported OwnTracks message type "waypoints"/,
  ],
  ['frigate/events', { type: 'new', before: {}, after: {} }, /^schema: before\.id: /],
  [
    'frigate/events',
    {
      type: 'new',
      before: { id: 'e1', camera: 'nvr-x', frame_time: 1, label: 'person', start_time: 1 },
      after: { id: 'e1', camera: 'nvr-x', frame_time: 1, label: 'person', start_time: 1 },
    },
    /^reference: camera: unknown camera 'nvr-x'/,
  ],
  ['frigate/available', 'maybe', /^schema: Frigate availability must be 'online' or 'offline'/],
  ['wardmap/weather/today', { sunny: true }, /^topic: topic: unknown topic 'wardmap\/weather\/today'/],
  [
    'wardmap/checkin/p-0002',
    { id: 'too-big', location: loc, at, note: 'x'.repeat(5000) },
    /^size: payload: \d+ bytes exceeds the limit of 4096/,
  ],
];

describe('dead letters', () => {
  it('keeps every malformed message with topic, raw bytes and reason while valid traffic around it is stored', async () => {
    let i = 0;
    for (const [topic, payload] of bad) {
      await t.pub.publish('wardmap/checkin/p-0002', { id: `ok-${i++}`, location: loc, at });
      await t.pub.publish(topic, payload);
    }
    await t.pub.publish('wardmap/checkin/p-0002', { id: `ok-${i++}`, location: loc, at });
    await eventually(async () => {
      const r = await t.db.query<{ n: number }>(
        `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'ok-%'`,
      );
      return r.rows[0]?.n === bad.length + 1;
    });
    const rows = await eventually(async () => {
      const r = await t.db.query<{ topic: string; reason: string; payload: Buffer; payload_length: number }>(
        'SELECT topic, reason, payload, payload_length FROM dead_letters ORDER BY id',
      );
      return r.rows.length >= bad.length ? r.rows : undefined;
    });
    expect(rows).toHaveLength(bad.length);
    for (const [k, [topic, payload, reason]] of bad.entries()) {
      const row = rows[k]!;
      expect(row.topic).toBe(`${t.broker.topicPrefix}${topic}`);
      expect(row.reason).toMatch(reason);
      const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
      // Only the first 4 KiB are kept, with the full length beside them.
      expect(Buffer.from(row.payload).toString()).toBe(raw.slice(0, 4096));
      expect(Number(row.payload_length)).toBe(Buffer.byteLength(raw));
    }
    expect(t.ingest.stats().deadLettered).toBe(bad.length);
    expect(t.ingest.metrics()).toMatch(/wardmap_ingest_messages_dead_lettered_total\{stage="reference"\} 4/);
  });
});

describe('dead letters of redelivered messages', () => {
  const deadWith = (fragment: string) =>
    t.db.query<{ topic: string; payload: Buffer }>(
      `SELECT topic, payload FROM dead_letters WHERE position($1 in convert_from(payload, 'UTF8')) > 0 ORDER BY id`,
      [fragment],
    );

  it('stores a bad message delivered twice once and counts the repeat; bad messages that differ are kept apart', async () => {
    const before = t.ingest.stats();
    const seen = () =>
      t.ingest.stats().deadLettered -
      before.deadLettered +
      t.ingest.stats().deadLetterDuplicates -
      before.deadLetterDuplicates;
    const garbage = '{"id": "dup-1", ';
    // A t.broker redelivery is the same bytes on the same topic; it may land in the same batch or a later one.
    await t.pub.publish('wardmap/checkin/p-0002', garbage);
    await t.pub.publish('wardmap/checkin/p-0002', garbage);
    await t.pub.publish('wardmap/checkin/p-0002', '{"id": "dup-2", ');
    await t.pub.publish('wardmap/checkin/p-0003', garbage);
    await eventually(async () => seen() === 4);
    await t.pub.publish('wardmap/checkin/p-0002', garbage);
    await eventually(async () => seen() === 5);

    const rows = (await deadWith('"dup-')).rows.map((r) => [
      r.topic.slice(t.broker.topicPrefix.length),
      Buffer.from(r.payload).toString(),
    ]);
    expect(rows).toEqual([
      ['wardmap/checkin/p-0002', garbage],
      ['wardmap/checkin/p-0002', '{"id": "dup-2", '],
      ['wardmap/checkin/p-0003', garbage],
    ]);
    expect(t.ingest.stats().deadLettered - before.deadLettered).toBe(3);
    expect(t.ingest.stats().deadLetterDuplicates - before.deadLetterDuplicates).toBe(2);
    expect(t.ingest.metrics()).toMatch(/^wardmap_ingest_dead_letters_duplicate_total 2$/m);
  });

  it('stores one dead letter when a batch committed, its reply was lost and the batch is written again', async () => {
    let loseNextCommit = false;
    // The commit reaches the database but the connection drops before its reply: t.ingest cannot know
    // it committed, retries, and writes the same batch a second time.
    const lossy = faultyDb(t.db, () => undefined, {
      afterCommit() {
        if (!loseNextCommit) return undefined;
        loseNextCommit = false;
        return connectionReset();
      },
    });
    // Its own topic root, so the file's main t.ingest does not see these messages.
    const second = await t.startIngest('ingest-lossy', {
      db: lossy,
      topicPrefix: `${t.broker.topicPrefix}lossy/`,
      retry: { initialMs: 20, maxMs: 100 },
      batch: { maxWaitMs: 300 },
    });
    try {
      loseNextCommit = true;
      await Promise.all([
        t.pub.publish('lossy/wardmap/checkin/p-0002', '{"id": "lost-reply", '),
        t.pub.publish('lossy/wardmap/checkin/p-0002', { id: 'lost-reply-ok', location: loc, at }),
      ]);
      await eventually(async () => second.stats().received === 2 && second.stats().buffered === 0);
      expect(loseNextCommit).toBe(false);
      expect(second.stats().dbRetries).toBe(1);
      expect(second.stats().deadLetterDuplicates).toBe(1);
      expect(second.stats().duplicates).toBe(1);
      expect((await deadWith('"lost-reply"')).rows).toHaveLength(1);
      expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'lost-reply-ok'`)).toBe(
        1,
      );
    } finally {
      await second.stop();
    }
  });
});

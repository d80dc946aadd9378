import { describe, expect, it } from 'vitest';
import { count, eventually, useIngestPipeline } from '../support/ingest.ts';

// The shipped bounds (ingest_settings as migrated): device time from 30 days behind to 5 minutes
// ahead of the server clock, positions inside the demo geography's box plus 20 km.
const t = useIngestPipeline({ database: { plausibility: 'default' }, publisher: 'plausibility' });

const lake: [number, number] = [121.6202, 29.7505];
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const deadLetter = (fragment: string) =>
  eventually(async () => {
    const r = await t.db.query<{ stage: string; reason: string }>(
      `SELECT stage, reason FROM dead_letters WHERE position($1 in convert_from(payload, 'UTF8')) > 0`,
      [fragment],
    );
    return r.rows[0];
  });

describe('plausibility', () => {
  it('dead-letters device times in 1970 and in the year 5000 and positions far from the deployment, on every topic family', async () => {
    const suspects: Array<[string, unknown, RegExp]> = [
      [
        'wardmap/checkin/p-0002',
        { id: 'pl-1970', location: lake, at: '1970-01-01T00:00:00Z' },
        /behind the server clock/,
      ],
      [
        'wardmap/checkin/p-0002',
        { id: 'pl-5000', location: lake, at: '5000-01-01T00:00:00Z' },
        /ahead of the server clock/,
      ],
      [
        'wardmap/checkin/p-0002',
        { id: 'pl-epoch', location: lake, at: 100_000_000_000 },
        /behind the server clock/,
      ],
      [
        'wardmap/checkin/p-0002',
        { id: 'pl-null-island', location: [0, 0], at: ago(1000) },
        /outside the deployment extent/,
      ],
      [
        'wardmap/checkin/p-0002',
        { id: 'pl-new-york', location: [-74.006, 40.7128], at: ago(1000) },
        /outside the deployment extent/,
      ],
      [
        'owntracks/p-0002/phone',
        { _type: 'location', lat: lake[1], lon: lake[0], tst: 0, tid: 'pl-ot' },
        /behind the server clock/,
      ],
      [
        'wardmap/camera/cam-001/alert',
        { id: 'pl-cam', label: 'person', score: 0.9, at: '5000-01-01T00:00:00Z' },
        /ahead/,
      ],
      [
        'wardmap/river/seg-01/report',
        { id: 'pl-river', type: 'issue', issue: 'garbage', location: [0, 0], at: ago(1000) },
        /outside/,
      ],
      [
        'frigate/events',
        {
          type: 'new',
          before: { id: 'pl-fr', camera: 'cam-001', frame_time: 0, label: 'person', start_time: 0 },
          after: { id: 'pl-fr', camera: 'cam-001', frame_time: 0, label: 'person', start_time: 0 },
        },
        /behind the server clock/,
      ],
    ];
    for (const [topic, payload] of suspects) await t.pub.publish(topic, payload);
    await t.pub.publish('wardmap/checkin/p-0002', { id: 'pl-ok', location: lake, at: ago(60_000) });
    await eventually(() => count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'pl-ok'`));
    await eventually(
      async () => (await count(t.db, 'SELECT count(*) AS n FROM dead_letters')) >= suspects.length,
    );
    const rows = await t.db.query<{ stage: string; reason: string; payload: Buffer }>(
      'SELECT stage, reason, payload FROM dead_letters ORDER BY id',
    );
    expect(rows.rows).toHaveLength(suspects.length);
    for (const [k, [, , reason]] of suspects.entries()) {
      expect(rows.rows[k]?.stage).toBe('plausibility');
      expect(rows.rows[k]?.reason).toMatch(reason);
    }
    expect(
      await count(
        t.db,
        `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'pl-%' AND message_id <> 'pl-ok'`,
      ),
    ).toBe(0);
  });

  it('never lets a future time pin a live position, and a position pinned before still moves', async () => {
    const person = 'p-0003';
    const position = async () =>
      (
        await t.db.query<{ at: string; message_id: string }>(
          'SELECT at, message_id FROM positions WHERE person_id = $1',
          [person],
        )
      ).rows[0];
    await t.pub.publish(`wardmap/checkin/${person}`, { id: 'pin-1', location: lake, at: ago(120_000) });
    await eventually(async () => (await position())?.message_id === 'pin-1');
    await t.pub.publish(`wardmap/checkin/${person}`, {
      id: 'pin-5000',
      location: lake,
      at: '5000-01-01T00:00:00Z',
    });
    await deadLetter('pin-5000');
    await t.pub.publish(`wardmap/checkin/${person}`, { id: 'pin-2', location: lake, at: ago(60_000) });
    await eventually(async () => (await position())?.message_id === 'pin-2');
    // An older check-in arriving late does not move it backwards.
    await t.pub.publish(`wardmap/checkin/${person}`, { id: 'pin-old', location: lake, at: ago(600_000) });
    await eventually(() => count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'pin-old'`));
    expect((await position())?.message_id).toBe('pin-2');
    // A position stored in the far future (from before these checks existed) is replaced.
    await t.db.query(`UPDATE positions SET at = '5000-01-01T00:00:00Z' WHERE person_id = $1`, [person]);
    await t.pub.publish(`wardmap/checkin/${person}`, { id: 'pin-3', location: lake, at: ago(1000) });
    await eventually(async () => (await position())?.message_id === 'pin-3');
  });
});

describe('idempotency by message id', () => {
  it('stores an id once whatever its time, and dead-letters a re-send with other content as a conflict', async () => {
    const first = { id: 'idem-1', location: lake, at: ago(300_000) };
    await t.pub.publish('wardmap/checkin/p-0004', first);
    await t.pub.publish('wardmap/checkin/p-0004', first);
    // The same id re-stamped a month earlier would land in another partition.
    await t.pub.publish('wardmap/checkin/p-0004', { ...first, at: ago(20 * 86_400_000) });
    const letter = await deadLetter(ago(20 * 86_400_000).slice(0, 10));
    expect(letter.stage).toBe('conflict');
    expect(letter.reason).toMatch(
      /message id 'idem-1' (was already stored|arrived twice in one batch) with different content/,
    );
    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'idem-1'`)).toBe(1);
    // The identical redelivery is a duplicate: acknowledged, neither stored nor dead-lettered.
    expect(
      await count(
        t.db,
        `SELECT count(*) AS n FROM dead_letters WHERE convert_from(payload, 'UTF8') LIKE '%idem-1%'`,
      ),
    ).toBe(1);
  });

  it('spots a conflict inside one batch too', async () => {
    const at = ago(100_000);
    await Promise.all([
      t.pub.publish('wardmap/checkin/p-0005', { id: 'idem-2', location: lake, at }),
      t.pub.publish('wardmap/checkin/p-0005', { id: 'idem-2', location: lake, at: ago(200_000) }),
    ]);
    await eventually(
      async () =>
        (await count(
          t.db,
          `SELECT count(*) AS n FROM dead_letters WHERE stage = 'conflict' AND reason LIKE '%idem-2%'`,
        )) === 1,
    );
    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'idem-2'`)).toBe(1);
  });
});

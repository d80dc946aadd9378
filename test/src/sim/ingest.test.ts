import { scaledClock } from '@wardmap/geo';
import { dbBrokerAuth, startEmbeddedBroker, startIngest } from '@wardmap/ingest';
import { runLoad, startSimulator } from '@wardmap/sim';
import { describe, expect, it } from 'vitest';
import { eventually, useIngestPipeline } from '../support/ingest.ts';

// One clock for ingest and simulator, as in `npm start`: 30x, so a minute of demo passes in 2 s.
const clock = scaledClock(30);
const t = useIngestPipeline({ clock, publisher: false });

const n = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);

describe(`simulator through real ingest (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('stores every message id of a load run exactly once (published == stored)', async () => {
    const result = await runLoad({
      mqttUrl: t.broker.url,
      topicPrefix: t.broker.topicPrefix,
      rate: 1000,
      duration: 3,
      patrollers: 10_000,
      keepIds: true,
      clock,
    });
    const ids = result.messageIds ?? [];
    expect(result.acked).toBe(3000);
    expect(ids.length).toBe(3000);
    const like = `load-${result.runTag}-%`;
    await eventually(
      async () =>
        (await n('SELECT count(*) AS n FROM checkins WHERE message_id LIKE $1', [like])) >= ids.length,
      60_000,
    );
    const stored = await t.db.query<{ message_id: string; copies: number }>(
      'SELECT message_id, count(*)::int AS copies FROM checkins WHERE message_id LIKE $1 GROUP BY message_id',
      [like],
    );
    expect(stored.rows.filter((r) => Number(r.copies) !== 1)).toEqual([]);
    expect(new Set(stored.rows.map((r) => r.message_id))).toEqual(new Set(ids));
    expect(await n('SELECT count(*) AS n FROM dead_letters')).toBe(0);
  });

  it('runs the live demo into the database with nothing dead-lettered', async () => {
    const before = await n('SELECT count(*) AS n FROM checkins');
    const sim = await startSimulator({
      mqttUrl: t.broker.url,
      topicPrefix: t.broker.topicPrefix,
      clock,
      seed: 3,
    });
    try {
      await eventually(
        async () =>
          (await n('SELECT count(*) AS n FROM checkins')) > before + 20 &&
          (await n(`SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'ot:%'`)) > 0 &&
          (await n(`SELECT count(*) AS n FROM camera_alerts WHERE source = 'native'`)) > 0 &&
          (await n(`SELECT count(*) AS n FROM camera_alerts WHERE source = 'frigate'`)) > 0 &&
          (await n('SELECT count(*) AS n FROM river_reports')) > 0,
        40_000,
      );
    } finally {
      await sim.stop();
    }
    const dead = await t.db.query<{ topic: string; reason: string }>(
      'SELECT topic, reason FROM dead_letters ORDER BY id LIMIT 5',
    );
    expect(dead.rows).toEqual([]);
    expect(sim.stats().failed).toBe(0);
  });

  it('publishes as each person and camera under the embedded broker ACL, nothing refused', async () => {
    // The embedded broker of `npm start`: people and cameras log in with the demo password and may
    // publish only on their own topics; ingest reads everything with its own credentials.
    const auth = dbBrokerAuth(t.db, { adminToken: 'sim-test-token' });
    const acl = await startEmbeddedBroker({ port: 0, ...auth });
    const aclIngest = await startIngest({
      db: t.db,
      mqttUrl: acl.url,
      ...auth.ingestCredentials,
      clientId: t.broker.clientId('acl-ingest'),
      clock,
    });
    const sim = await startSimulator({ mqttUrl: acl.url, identities: 'per-actor', clock, seed: 11 });
    const since = clock.now().toISOString();
    try {
      const after = (table: string, extra = '') =>
        n(`SELECT count(*) AS n FROM ${table} WHERE at >= $1 ${extra}`, [since]);
      await eventually(
        async () =>
          (await after('checkins', `AND message_id LIKE 'sim-%'`)) > 5 &&
          (await after('checkins', `AND message_id LIKE 'ot:%'`)) > 0 &&
          (await after('river_reports')) > 0 &&
          (await after('camera_alerts', `AND source = 'native'`)) > 0 &&
          (await after('camera_alerts', `AND source = 'frigate'`)) > 0,
        40_000,
      );
    } finally {
      await sim.stop();
      await aclIngest.stop();
      await acl.close();
    }
    const stats = sim.stats();
    // A refused publish closes the connection and is retried forever: it would stay pending.
    expect(stats.pending).toBe(0);
    expect(stats.failed).toBe(0);
    expect(stats.connections).toBeGreaterThan(10);
    expect(await n('SELECT count(*) AS n FROM dead_letters')).toBe(0);
  });

  it('runs a simulated hour at 600x through ingest: offline bursts, last wills and patrols, nothing dead-lettered', async () => {
    const fast = scaledClock(600);
    const fastIngest = await t.startIngest('ingest-fast', {
      topicPrefix: `${t.broker.topicPrefix}fast/`,
      clock: fast,
    });
    const since = fast.now();
    const sim = await startSimulator({
      mqttUrl: t.broker.url,
      topicPrefix: `${t.broker.topicPrefix}fast/`,
      clock: fast,
      seed: 5,
      // Night and day alike: make sure some phones drop off within the hour.
      ownTracksShare: 0.6,
    });
    try {
      await eventually(async () => fast.now().getTime() - since.getTime() > 3_600_000, 30_000);
    } finally {
      await sim.stop();
    }
    // Every native check-in the simulator handed to MQTT is stored (ids carry the run tag).
    const published = sim.stats().published;
    expect(published.checkin).toBeGreaterThan(100);
    await eventually(
      async () =>
        (await n('SELECT count(*) AS n FROM checkins WHERE message_id LIKE $1', [
          `sim-${sim.runTag}-ck-%`,
        ])) >= published.checkin,
      60_000,
    );
    expect(
      await n('SELECT count(*) AS n FROM checkins WHERE message_id LIKE $1', [`sim-${sim.runTag}-ck-%`]),
    ).toBe(published.checkin);
    await fastIngest.stop();
    const dead = await t.db.query<{ topic: string; reason: string }>(
      'SELECT topic, reason FROM dead_letters LIMIT 5',
    );
    expect(dead.rows).toEqual([]);
    expect(sim.stats().failed).toBe(0);
    // Queued fixes arrive late but keep their device time.
    const late = await n(
      `SELECT count(*) AS n FROM checkins WHERE at >= $1 AND received_at - at > interval '60 seconds'`,
      [since.toISOString()],
    );
    expect(late).toBeGreaterThan(0);
    expect(await n(`SELECT count(*) AS n FROM patrols WHERE kind = 'grid'`)).toBeGreaterThan(0);
  });
});

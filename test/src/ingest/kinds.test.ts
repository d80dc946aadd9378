import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { count, eventually, useIngestPipeline } from '../support/ingest.ts';

const clock = manualClock(new Date('2024-06-01T12:00:00Z'));
const t = useIngestPipeline({ clock });

const inYinxue01: [number, number] = [121.6202, 29.7505];
const one = async <T>(sql: string, params: unknown[] = []) =>
  eventually(async () => (await t.db.query<T>(sql, params)).rows[0]);
const tst = (iso: string) => Date.parse(iso) / 1000;

describe('OwnTracks', () => {
  it('stores a location as a check-in with a derived message id, speed in m/s and the device online', async () => {
    await t.pub.publish('owntracks/p-0004/phone', {
      _type: 'location',
      lat: inYinxue01[1],
      lon: inYinxue01[0],
      tst: tst('2024-06-01T11:00:00Z'),
      vel: 36,
      batt: 55,
      acc: 12,
      tid: 'p4',
    });
    const row = await one<Record<string, unknown>>(
      `SELECT message_id, source, device, speed, battery, grid_id FROM checkins WHERE person_id = 'p-0004'`,
    );
    expect(row).toEqual({
      message_id: `ot:p-0004:phone:${tst('2024-06-01T11:00:00Z')}:location`,
      source: 'owntracks',
      device: 'phone',
      speed: 10,
      battery: 55,
      grid_id: 'grid-yinxue-01',
    });
    expect(
      (await one<{ online: boolean }>(`SELECT online FROM devices WHERE person_id = 'p-0004'`)).online,
    ).toBe(true);
  });

  it('records a transition as an enter check-in with its region', async () => {
    await t.pub.publish('owntracks/p-0004/phone/event', {
      _type: 'transition',
      event: 'enter',
      desc: '北门',
      lat: inYinxue01[1],
      lon: inYinxue01[0],
      tst: tst('2024-06-01T11:01:00Z'),
      t: 'c',
    });
    const row = await one<{ kind: string; region: string }>(
      `SELECT kind, region FROM checkins WHERE person_id = 'p-0004' AND kind = 'enter'`,
    );
    expect(row).toEqual({ kind: 'enter', region: '北门' });
  });

  it('marks the device and the position offline on lwt', async () => {
    await t.pub.publish('owntracks/p-0004/phone', { _type: 'lwt', tst: tst('2024-06-01T10:00:00Z') });
    await eventually(
      async () =>
        (await t.db.query(`SELECT 1 FROM devices WHERE person_id = 'p-0004' AND NOT online`)).rowCount,
    );
    const pos = await one<{ online: boolean }>(`SELECT online FROM positions WHERE person_id = 'p-0004'`);
    expect(pos.online).toBe(false);
  });
});

const frigate = (type: string, frame: number, score: number, extra: Record<string, unknown> = {}) => {
  const obj = {
    id: '1717243200.5-abc123',
    camera: 'cam-001',
    frame_time: frame,
    label: 'person',
    score,
    top_score: score,
    start_time: 1717243200.5,
    end_time: null,
    entered_zones: ['pier'],
    has_snapshot: true,
    false_positive: false,
    ...extra,
  };
  return { type, before: obj, after: obj };
};

describe('Frigate', () => {
  it('turns new -> update -> end of one event into one alert with the newest state and one incident', async () => {
    await t.pub.publish('frigate/events', frigate('new', 1717243201, 0.72));
    await t.pub.publish('frigate/events', frigate('update', 1717243203, 0.91));
    await t.pub.publish('frigate/events', frigate('end', 1717243209, 0.8, { end_time: 1717243209 }));
    const alert = await eventually(async () => {
      const r = await t.db.query<Record<string, unknown>>(
        `SELECT count(*) OVER () AS n, id, state, score, top_score, grid_id IS NOT NULL AS located, police_post_id, incident_id
           FROM camera_alerts WHERE camera_id = 'cam-001'`,
      );
      return r.rows[0]?.state === 'end' ? r.rows[0] : undefined;
    });
    expect(alert).toMatchObject({
      n: 1,
      id: 'fr:1717243200.5-abc123',
      score: 0.8,
      top_score: 0.91,
      police_post_id: 'pp-chengyang',
    });
    const inc = await one<Record<string, unknown>>(
      `SELECT i.source, i.level, i.severity, i.camera_id, i.sla_due_at, e.actor, e.action
         FROM incidents i JOIN incident_events e ON e.incident_id = i.id WHERE i.id = $1`,
      [alert.incident_id],
    );
    // person / medium at building level: ack within 30 minutes of the injected clock.
    expect(inc).toEqual({
      source: 'camera',
      level: 'building',
      severity: 'medium',
      camera_id: 'cam-001',
      sla_due_at: new Date('2024-06-01T12:30:00Z'),
      actor: 'ingest',
      action: 'create',
    });
  });

  it('ignores an older update arriving after the end (late message never rewrites newer state)', async () => {
    await t.pub.publish('frigate/events', frigate('update', 1717243205, 0.5));
    await t.pub.publish('wardmap/checkin/p-0002', {
      id: 'ck-sentinel-frigate',
      location: inYinxue01,
      at: '2024-06-01T11:00:00Z',
    });
    await one(`SELECT 1 FROM checkins WHERE message_id = 'ck-sentinel-frigate'`);
    const a = await one<{ state: string; score: number }>(
      `SELECT state, score FROM camera_alerts WHERE camera_id = 'cam-001'`,
    );
    expect(a).toEqual({ state: 'end', score: 0.8 });
  });

  it('marks Frigate cameras offline and online from frigate/available', async () => {
    await t.pub.publish('frigate/available', 'offline');
    await eventually(
      async () => (await count(t.db, `SELECT count(*) AS n FROM cameras WHERE NOT online`)) === 53,
    );
    await t.pub.publish('frigate/available', 'online');
    await eventually(
      async () => (await count(t.db, `SELECT count(*) AS n FROM cameras WHERE online`)) === 53,
    );
  });
});

describe('native camera alerts', () => {
  it('stores an alert under the threshold without an incident, and a fire alert as a block-level incident', async () => {
    await t.pub.publish('wardmap/camera/cam-002/alert', {
      id: 'al-low',
      label: 'person',
      score: 0.4,
      at: '2024-06-01T11:30:00Z',
    });
    await t.pub.publish('wardmap/camera/cam-002/alert', {
      id: 'al-fire',
      label: 'fire',
      score: 0.95,
      at: '2024-06-01T11:31:00Z',
    });
    const fire = await one<{ incident_id: string }>(
      `SELECT incident_id FROM camera_alerts WHERE id = 'ca:cam-002:al-fire' AND incident_id IS NOT NULL`,
    );
    const low = await one<{ incident_id: string | null }>(
      `SELECT incident_id FROM camera_alerts WHERE id = 'ca:cam-002:al-low'`,
    );
    expect(low.incident_id).toBeNull();
    const inc = await one<Record<string, unknown>>(
      `SELECT level, severity, category FROM incidents WHERE id = $1`,
      [fire.incident_id],
    );
    expect(inc).toEqual({ level: 'block', severity: 'high', category: 'fire' });
  });
});

describe('river reports', () => {
  it('builds a river patrol with track, distance and duration from start, tracks and end (out of order)', async () => {
    const base = { personId: 'p-0205', patrolId: 'rp-1' };
    await t.pub.publish('wardmap/river/seg-01/report', {
      ...base,
      id: 'rr-3',
      type: 'track',
      location: [121.6589305, 29.8024212],
      at: '2024-06-01T09:10:00Z',
    });
    await t.pub.publish('wardmap/river/seg-01/report', {
      ...base,
      id: 'rr-1',
      type: 'patrol_start',
      location: [121.65971, 29.8034131],
      at: '2024-06-01T09:00:00Z',
    });
    await t.pub.publish('wardmap/river/seg-01/report', {
      ...base,
      id: 'rr-4',
      type: 'patrol_end',
      location: [121.6578648, 29.80044],
      at: '2024-06-01T09:30:00Z',
    });
    const p = await eventually(async () => {
      const r = await t.db.query<Record<string, unknown>>(
        `SELECT kind, segment_id, status, duration_s, round(distance_m) AS d, ST_NPoints(track) AS pts FROM patrols WHERE id = 'rp-1'`,
      );
      return r.rows[0]?.status === 'closed' ? r.rows[0] : undefined;
    });
    expect(p).toMatchObject({ kind: 'river', segment_id: 'seg-01', duration_s: 1800, pts: 3 });
    expect(p.d as number).toBeGreaterThan(300);
  });

  it('opens an incident on the segment for an issue, reported by the segment chief', async () => {
    await t.pub.publish('wardmap/river/seg-01/report', {
      id: 'rr-issue',
      type: 'issue',
      issue: 'pollution',
      note: '油污',
      at: '2024-06-01T09:20:00Z',
    });
    const r = await one<{ incident_id: string; person_id: string }>(
      `SELECT incident_id, person_id FROM river_reports WHERE message_id = 'rr-issue' AND incident_id IS NOT NULL`,
    );
    expect(r.person_id).toBe('p-0205');
    const inc = await one<Record<string, unknown>>(
      `SELECT source, segment_id, category, severity, level, reported_by, geom IS NOT NULL AS located FROM incidents WHERE id = $1`,
      [r.incident_id],
    );
    expect(inc).toEqual({
      source: 'river',
      segment_id: 'seg-01',
      category: 'pollution',
      severity: 'high',
      level: 'block',
      reported_by: 'p-0205',
      located: true,
    });
  });
});

describe('grid patrols', () => {
  it('builds a grid patrol session from start and end check-ins', async () => {
    const at = (m: number) => `2024-06-01T07:${String(m).padStart(2, '0')}:00Z`;
    await t.pub.publish('wardmap/checkin/p-0005', {
      id: 'gp-s',
      kind: 'start',
      location: [121.6202, 29.7505],
      at: at(0),
    });
    await t.pub.publish('wardmap/checkin/p-0005', { id: 'gp-1', location: [121.6204, 29.7507], at: at(5) });
    await t.pub.publish('wardmap/checkin/p-0005', {
      id: 'gp-e',
      kind: 'end',
      location: [121.6206, 29.7503],
      at: at(20),
    });
    const p = await eventually(async () => {
      const r = await t.db.query<Record<string, unknown>>(
        `SELECT kind, grid_id, status, duration_s, ST_NPoints(track) AS pts FROM patrols WHERE person_id = 'p-0005' AND kind = 'grid'`,
      );
      return r.rows[0]?.status === 'closed' && r.rows[0]?.pts === 3 ? r.rows[0] : undefined;
    });
    expect(p).toEqual({
      kind: 'grid',
      grid_id: 'grid-yinxue-01',
      status: 'closed',
      duration_s: 1200,
      pts: 3,
    });
  });
});

describe('late messages', () => {
  it('stores an older check-in with device and server time without moving the position back', async () => {
    await t.pub.publish('wardmap/checkin/p-0006', {
      id: 'late-new',
      location: [121.63, 29.76],
      at: '2024-06-01T11:50:00Z',
    });
    await one(`SELECT 1 FROM positions WHERE message_id = 'late-new'`);
    await t.pub.publish('wardmap/checkin/p-0006', {
      id: 'late-old',
      location: [121.62, 29.75],
      at: '2024-06-01T06:00:00Z',
    });
    const old = await one<{ at: Date; received_at: Date }>(
      `SELECT at, received_at FROM checkins WHERE message_id = 'late-old'`,
    );
    expect(old.at).toEqual(new Date('2024-06-01T06:00:00Z'));
    expect(old.received_at).toEqual(clock.now());
    expect(
      (await one<{ message_id: string }>(`SELECT message_id FROM positions WHERE person_id = 'p-0006'`))
        .message_id,
    ).toBe('late-new');
  });
});

describe('redelivery', () => {
  it('does not duplicate a redelivered check-in, alert or river report', async () => {
    const msgs: Array<[string, unknown]> = [
      ['wardmap/checkin/p-0007', { id: 'dup-ck', location: inYinxue01, at: '2024-06-01T11:40:00Z' }],
      [
        'wardmap/camera/cam-003/alert',
        { id: 'dup-al', label: 'smoke', score: 0.9, at: '2024-06-01T11:40:00Z' },
      ],
      [
        'wardmap/river/seg-02/report',
        { id: 'dup-rr', type: 'issue', issue: 'garbage', at: '2024-06-01T11:40:00Z' },
      ],
    ];
    const before = t.ingest.stats().duplicates;
    for (const [topic, m] of [...msgs, ...msgs]) await t.pub.publish(topic, m);
    await eventually(async () => t.ingest.stats().duplicates - before >= 3);
    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'dup-ck'`)).toBe(1);
    expect(await count(t.db, `SELECT count(*) AS n FROM camera_alerts WHERE id = 'ca:cam-003:dup-al'`)).toBe(
      1,
    );
    expect(await count(t.db, `SELECT count(*) AS n FROM river_reports WHERE message_id = 'dup-rr'`)).toBe(1);
    expect(
      await count(
        t.db,
        `SELECT count(*) AS n FROM incidents WHERE source_id IN ('ca:cam-003:dup-al', 'dup-rr')`,
      ),
    ).toBe(2);
    expect(
      await count(
        t.db,
        `SELECT count(*) AS n FROM incident_events e JOIN incidents i ON i.id = e.incident_id WHERE i.source_id IN ('ca:cam-003:dup-al', 'dup-rr')`,
      ),
    ).toBe(2);
  });
});

describe('metrics', () => {
  it('exposes received, stored, duplicates, dead letters, batch size, buffer depth and commit latency', () => {
    const text = t.ingest.metrics();
    for (const name of [
      'messages_received_total',
      'messages_stored_total',
      'messages_duplicate_total',
      'messages_dead_lettered_total',
      'batch_size_bucket',
      'buffer_depth',
      'commit_seconds_bucket',
    ]) {
      expect(text).toContain(`wardmap_ingest_${name}`);
    }
    expect(t.ingest.stats().stored).toBeGreaterThan(10);
  });
});

// `npm run bench:model`: a capacity model fitted to what this machine measures, on real PostgreSQL
// (DATABASE_URL; the database is migrated and seeded here). Three short measurements, then the
// model for a province (33k msg/s average, 100k at peaks, 5k dashboards, ~1e12 check-ins a year):
//   1. the write path: decode + writeBatch of check-ins (CPU of this process = ingest; CPU of the
//      PostgreSQL backend, read from /proc = database), one writer, batches of 500;
//   2. stream fan-out: one API process (a child) following the change feed: one admin stream (the
//      whole feed read), 100 admin streams (CPU per event delivered), then the stream of one person
//      of one community (the read filtered in SQL): CPU per event read whole and per row read filtered,
//      and the database CPU of the child's backends for both;
//   3. row sizes: pg_column_size / pg_total_relation_size of the wide check-in row as stored, of a
//      narrow row, and a columnar (delta + deflate) estimate of the narrow row.
// Run it alone on the machine: `flock /work/bench.lock npm run bench:model`.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { feedScopeOf, loadPrincipal } from '@wardmap/api';
import { type Db, openDatabase, outboxFeed, recordChanges, seedDemoIfEmpty } from '@wardmap/db';
import { systemClock } from '@wardmap/geo';
import { decodeMessage } from '@wardmap/ingest';
import type { BatchEntry } from '../../ingest/src/write/types.ts';
import { writeBatch } from '../../ingest/src/writer.ts';
import { spawnFeedApi } from '../src/api/feed-api.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'bench:model needs real PostgreSQL + PostGIS: set DATABASE_URL (row sizes and backend CPU are measured there)',
  );
  process.exit(1);
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TARGET = {
  avgMsgs: env('MODEL_AVG_MSGS', 33_000),
  peakMsgs: env('MODEL_PEAK_MSGS', 100_000),
  dashboards: env('MODEL_DASHBOARDS', 5_000),
  communities: env('MODEL_COMMUNITIES', 1_000),
  checkinsPerYear: env('MODEL_CHECKINS_PER_YEAR', 1e12),
};
/** Node sizes and the utilisation each kind is planned at (headroom for peaks inside a node, GC, failover). */
const NODE = {
  ingest: { cores: 8, util: 0.7 },
  db: { cores: 16, util: 0.6 },
  api: { cores: 8, util: 0.6 },
};
const CHECKINS = env('MODEL_CHECKINS', 30_000);
const BATCH = 500;
const CLIENTS = env('MODEL_CLIENTS', 100);
const FEED_EVENTS = env('MODEL_FEED_EVENTS', 3_000);
const TICK = 100; // clock ticks per second in /proc/<pid>/stat (Linux's USER_HZ)

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}
const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** A person's walk: 30 s apart, a few metres of GPS noise, a slow drift; like phones on patrol. */
function walker(people: string[]) {
  const state = people.map((p, i) => ({
    p,
    x: 121.615 + (i % 10) * 0.005,
    y: 29.752 + Math.floor(i / 10) * 0.002,
    t: Date.now() - 3_600_000,
    b: 100,
  }));
  let n = 0;
  return () => {
    const s = state[n % state.length]!;
    s.x += (Math.random() - 0.5) * 0.0004;
    s.y += (Math.random() - 0.5) * 0.0004;
    s.t += 30_000 + Math.floor(Math.random() * 2000);
    if (Math.random() < 0.02) s.b = Math.max(5, s.b - 1);
    n++;
    return {
      id: `model-${process.pid}-${n}`,
      person: s.p,
      lon: Math.round(s.x * 1e7) / 1e7,
      lat: Math.round(s.y * 1e7) / 1e7,
      at: s.t,
      accuracy: 3 + Math.floor(Math.random() * 25),
      battery: s.b,
    };
  };
}

async function backendPids(db: Db): Promise<number[]> {
  const r = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = 'wardmap-model' AND pid <> pg_backend_pid()
     UNION SELECT pg_backend_pid()`,
  );
  return r.rows.map((row) => row.pid);
}

/** 1. The write path. */
async function measureWrites(db: Db, people: string[]) {
  const next = walker(people);
  const encoder = new TextEncoder();
  let seq = 0;
  const batches: Array<() => BatchEntry[]> = [];
  for (let done = 0; done < CHECKINS; done += BATCH) {
    batches.push(() =>
      Array.from({ length: Math.min(BATCH, CHECKINS - done) }, () => {
        const c = next();
        const topic = `wardmap/checkin/${c.person}`;
        const payload = encoder.encode(
          JSON.stringify({
            id: c.id,
            location: [c.lon, c.lat],
            at: c.at,
            accuracy: c.accuracy,
            battery: c.battery,
          }),
        );
        return { decoded: decodeMessage(topic, payload), topic, payload, receivedAt: new Date() };
      }),
    );
  }
  // Warm-up: one batch (plans, caches), not counted.
  await writeBatch(db, batches.shift()!(), { clock: systemClock, nextSeq: () => seq++ });
  const pids = await backendPids(db);
  const db0 = pids.reduce((a, p) => a + cpuOf(p), 0);
  const me0 = selfCpu();
  const t0 = performance.now();
  let stored = 0;
  let events = 0;
  for (const make of batches) {
    const r = await writeBatch(db, make(), { clock: systemClock, nextSeq: () => seq++ });
    stored += r.stored;
    events += r.notices;
  }
  const wall = (performance.now() - t0) / 1000;
  const pids2 = await backendPids(db);
  const dbCpu = pids2.reduce((a, p) => a + cpuOf(p), 0) - db0;
  const ingestCpu = selfCpu() - me0;
  return {
    stored,
    notices: events,
    wall,
    msgsPerSec: stored / wall,
    ingestPerCore: stored / ingestCpu,
    dbPerCore: stored / dbCpu,
    ingestCpu,
    dbCpu,
  };
}

/** Starts the API process of the two-process test on this database; resolves to its port and pid. */
function startApi(): Promise<{ child: ChildProcess; port: number }> {
  return spawnFeedApi('API process', {
    ...(url ? { DATABASE_URL: url } : {}),
    WARDMAP_ADMIN_TOKEN: 'model-admin-token-0123456789',
    FEED_STREAMS: String(CLIENTS + 10),
    FEED_HEARTBEAT_MS: '15000',
  });
}

/** Appends `count` position events to the feed, 200 per transaction, as ingest would. */
async function appendPositions(db: Db, people: string[], count: number): Promise<void> {
  for (let done = 0; done < count; done += people.length) {
    const ids = people.slice(0, Math.min(people.length, count - done));
    await db.transaction((tx) => recordChanges(tx, [{ kind: 'positions', ids }], new Date()));
  }
}

/** CPU seconds of the PostgreSQL backends serving the API child (its pool and its LISTEN connection). */
async function apiBackendCpu(db: Db, pid: number): Promise<Map<number, number>> {
  const r = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
    `feed-test-api-${pid}`,
  ]);
  return new Map(r.rows.map((row) => [row.pid, cpuOf(row.pid)]));
}
/** Backend CPU used between two samples (a backend opened in between counts from zero). */
const backendDelta = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, cpu]) => sum + cpu - (before.get(pid) ?? 0), 0);

/** SSE clients of the API child, counting the position events they receive. */
function openClients(port: number, n: number, authorization: string) {
  const controller = new AbortController();
  let received = 0;
  const ready = Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/stream`, {
        headers: { authorization },
        signal: controller.signal,
      });
      if (res.status !== 200) throw new Error(`stream: ${res.status} ${await res.text()}`);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let tail = '';
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            const text = tail + decoder.decode(value, { stream: true });
            const frames = text.split('\n\n');
            tail = frames.pop() ?? '';
            for (const f of frames) if (f.includes('event: position')) received++;
          }
        } catch {
          // aborted at the end
        }
      })();
    }),
  );
  return { ready, received: () => received, close: () => controller.abort() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(done: () => boolean, timeoutMs = 60_000) {
  const t0 = performance.now();
  while (!done() && performance.now() - t0 < timeoutMs) await sleep(20);
}

/**
 * 2. Stream fan-out of one API process: (a) the whole feed read (one admin stream, every event
 * read and sent once), (b) 100 admin streams (the cost per delivery), (c) the read filtered to
 * one community (the stream of a person of the community with the most events; the feed is the same
 * mix of positions), in the same run. API CPU from /proc of the child; the database CPU of its
 * backends alongside.
 */
async function measureFanOut(db: Db, people: string[]) {
  const { child, port } = await startApi();
  const pid = child.pid!;
  const admin = 'Bearer model-admin-token-0123456789';
  try {
    await sleep(1000);
    // What the process burns doing nothing (its poll and escalation timers), to subtract
    // (and its database backends: the escalation timer's turns, the hub's polls).
    const i0 = cpuOf(pid);
    const idb0 = await apiBackendCpu(db, pid);
    const it0 = performance.now();
    await sleep(2000);
    const idleSecs = (performance.now() - it0) / 1000;
    const idlePerSec = (cpuOf(pid) - i0) / idleSecs;
    const idleDbPerSec = backendDelta(idb0, await apiBackendCpu(db, pid)) / idleSecs;
    /** Appends `events` and waits for `done` (built once they are appended). */
    const measure = async (events: number, done: () => Promise<() => boolean> | (() => boolean)) => {
      const cpu0 = cpuOf(pid);
      const db0 = await apiBackendCpu(db, pid);
      const t0 = performance.now();
      await appendPositions(db, people, events);
      await until(await done());
      await sleep(300); // the hub's last turn and pruning
      const wall = (performance.now() - t0) / 1000;
      return {
        cpu: cpuOf(pid) - cpu0 - idlePerSec * wall,
        dbCpu: backendDelta(db0, await apiBackendCpu(db, pid)) - idleDbPerSec * wall,
        wall,
      };
    };

    // The walk above keeps most people outside every grid (events without a community). Spread
    // the moving people's live positions over the communities instead, round robin, one grid
    // each, so that each community has its share of the feed, as on a province's map.
    await db.query(
      `WITH c AS (SELECT community_id, min(id) AS grid_id FROM grids GROUP BY community_id),
            cs AS (SELECT grid_id, (row_number() OVER (ORDER BY community_id)) - 1 AS k, count(*) OVER () AS n FROM c),
            ps AS (SELECT person_id, (row_number() OVER (ORDER BY person_id)) - 1 AS i FROM positions
                    WHERE person_id = ANY($1))
       UPDATE positions p SET grid_id = cs.grid_id, geom = (SELECT ST_PointOnSurface(g.geom) FROM grids g WHERE g.id = cs.grid_id)
         FROM ps JOIN cs ON cs.k = ps.i % cs.n
        WHERE p.person_id = ps.person_id`,
      [people],
    );

    // a) The whole feed: one admin stream.
    const one = openClients(port, 1, admin);
    await one.ready;
    await sleep(500);
    const whole = await measure(FEED_EVENTS, () => () => one.received() >= FEED_EVENTS);
    // b) 99 more admin streams: every event is delivered 100 times.
    const more = openClients(port, CLIENTS - 1, admin);
    await more.ready;
    await sleep(1000);
    const before = one.received() + more.received();
    const fan = await measure(
      FEED_EVENTS,
      () => () => one.received() + more.received() - before >= FEED_EVENTS * CLIENTS,
    );
    const delivered = one.received() + more.received() - before;
    one.close();
    more.close();
    await sleep(1000);
    const perDelivery = Math.max(fan.cpu - whole.cpu, 1e-9) / Math.max(delivered - FEED_EVENTS, 1);
    const wholeRead = Math.max(whole.cpu - FEED_EVENTS * perDelivery, 1e-9);

    // c) The read filtered to one community: the stream of a person of the busiest community.
    const busiest = await db.query<{ community_id: string; n: number }>(
      `SELECT g.community_id, count(*)::int AS n FROM positions p JOIN grids g ON g.id = p.grid_id
        WHERE p.person_id = ANY($1) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
      [people],
    );
    const community = busiest.rows[0]?.community_id;
    if (!community) throw new Error('no position lies in a community');
    // A person of that community (police post or grid), preferably not one of the moving people.
    const viewer = await db.query<{ id: string }>(
      `SELECT p.id FROM people p
         LEFT JOIN grids g ON g.id = p.grid_id LEFT JOIN police_posts pp ON pp.id = p.police_post_id
        WHERE (g.community_id = $1 OR pp.community_id = $1) AND p.active AND NOT ('admin' = ANY(p.roles))
        ORDER BY p.id = ANY($2), p.id LIMIT 1`,
      [community, people],
    );
    const viewerId = viewer.rows[0]?.id;
    if (!viewerId) throw new Error(`nobody belongs to community ${community}`);
    const principal = await loadPrincipal(db, viewerId);
    if (!principal) throw new Error(`no principal ${viewerId}`);
    const scope = feedScopeOf(principal);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: viewerId, password: 'model-password' }),
    });
    if (login.status !== 200) throw new Error(`login ${viewerId}: ${login.status} ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };
    const police = openClients(port, 1, `Bearer ${token}`);
    await police.ready;
    await sleep(1000);
    const rowsRead = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: admin } });
      const m = /^wardmap_stream_feed_rows_read_total (\d+)/m.exec(await res.text());
      return Number(m?.[1] ?? Number.NaN);
    };
    const rows0 = await rowsRead();
    const from = (await outboxFeed(db).bounds()).newest;
    const filteredEvents = FEED_EVENTS * 3;
    let matching = 0;
    const filtered = await measure(filteredEvents, async () => {
      // Which of the appended events that stream may see (positions only: it counts those).
      const { events } = await outboxFeed(db).readScoped(from, 1_000_000, scope);
      matching = events.filter((e) => e.event.type === 'position').length;
      return () => police.received() >= matching;
    });
    const rows = (await rowsRead()) - rows0;
    police.close();
    const filteredRead = Math.max(filtered.cpu - police.received() * perDelivery, 1e-9);
    return {
      delivered,
      wanted: FEED_EVENTS * CLIENTS,
      wall: fan.wall,
      readEventsPerCore: FEED_EVENTS / wholeRead,
      deliveriesPerCore: 1 / perDelivery,
      whole: { events: FEED_EVENTS, apiCpu: wholeRead, dbCpu: whole.dbCpu },
      filtered: {
        community,
        events: filteredEvents,
        matching,
        received: police.received(),
        rowsRead: rows,
        apiCpu: filteredRead,
        dbCpu: filtered.dbCpu,
      },
    };
  } finally {
    child.kill('SIGTERM');
  }
}

/** 3. Row sizes on this PostgreSQL. */
async function measureRows(db: Db, people: string[]) {
  const wide = await db.query<{ n: string; col: number; total: string }>(
    `SELECT count(*) AS n, avg(pg_column_size(c.*))::float8 AS col,
            (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('checkins')) AS total
       FROM checkins c`,
  );
  const claims = await db.query<{ per_row: number }>(
    `SELECT pg_total_relation_size('checkin_claims')::float8 / greatest(count(*), 1) AS per_row FROM checkin_claims`,
  );
  const n = Number(wide.rows[0]!.n);
  // Narrow: what a check-in needs at scale (person and community as integer keys, fixed-point
  // coordinates, small integers), keyed by (person, at).
  const rows = 100_000;
  const next = walker(people);
  const sample = Array.from({ length: rows }, () => next());
  await db.exec(`DROP TABLE IF EXISTS model_narrow;
    CREATE TABLE model_narrow (person int4 NOT NULL, community int2 NOT NULL, at timestamptz NOT NULL,
      x int4 NOT NULL, y int4 NOT NULL, accuracy int2, battery int2, PRIMARY KEY (person, at))`);
  const index = new Map(people.map((p, i) => [p, i]));
  for (let i = 0; i < rows; i += 10_000) {
    const part = sample.slice(i, i + 10_000);
    await db.query(
      `INSERT INTO model_narrow SELECT * FROM unnest($1::int4[], $2::int2[], $3::timestamptz[], $4::int4[],
         $5::int4[], $6::int2[], $7::int2[]) ON CONFLICT DO NOTHING`,
      [
        part.map((c) => index.get(c.person)),
        part.map((c) => (index.get(c.person) ?? 0) % 11),
        part.map((c) => new Date(c.at)),
        part.map((c) => Math.round(c.lon * 1e7)),
        part.map((c) => Math.round(c.lat * 1e7)),
        part.map((c) => c.accuracy),
        part.map((c) => c.battery),
      ],
    );
  }
  const narrow = await db.query<{ n: string; col: number; total: string }>(
    `SELECT count(*) AS n, avg(pg_column_size(m.*))::float8 AS col, pg_total_relation_size('model_narrow') AS total
       FROM model_narrow m`,
  );
  await db.exec('DROP TABLE model_narrow');
  // Columnar estimate: the narrow rows sorted by (person, at), each column delta-encoded, deflated.
  const sorted = [...sample].sort((a, b) =>
    a.person === b.person ? a.at - b.at : a.person < b.person ? -1 : 1,
  );
  const column = (values: number[], bytes: 1 | 2 | 4, delta: boolean) => {
    const buf = Buffer.alloc(values.length * bytes);
    let prev = 0;
    values.forEach((v, i) => {
      const x = delta ? v - prev : v;
      prev = v;
      if (bytes === 1) buf.writeInt8(Math.max(-128, Math.min(127, x)), i);
      else if (bytes === 2) buf.writeInt16LE(Math.max(-32768, Math.min(32767, x)), i * 2);
      else buf.writeInt32LE(x | 0, i * 4);
    });
    return deflateSync(buf, { level: 6 }).length;
  };
  // The narrow columns, deflated as they are (`plain`) and with delta encoding first (time relative
  // to the first row; accuracy stays plain, it does not trend).
  const columnsBytes = (delta: boolean) =>
    (
      [
        [sorted.map((c) => index.get(c.person) ?? 0), 4, delta],
        [sorted.map((c) => Math.round((delta ? c.at - sorted[0]!.at : c.at) / 1000)), 4, delta],
        [sorted.map((c) => Math.round(c.lon * 1e7)), 4, delta],
        [sorted.map((c) => Math.round(c.lat * 1e7)), 4, delta],
        [sorted.map((c) => c.accuracy), 1, false],
        [sorted.map((c) => c.battery), 1, delta],
      ] as const
    ).reduce((sum, [values, bytes, d]) => sum + column(values, bytes, d), 0);
  const plainBytes = columnsBytes(false);
  const compressedBytes = columnsBytes(true);
  return {
    wideRow: wide.rows[0]!.col,
    wideTotal: Number(wide.rows[0]!.total) / Math.max(n, 1) + claims.rows[0]!.per_row,
    narrowRow: narrow.rows[0]!.col,
    narrowTotal: Number(narrow.rows[0]!.total) / Number(narrow.rows[0]!.n),
    compressed: compressedBytes / rows,
    columnar: plainBytes / rows,
  };
}

const db = await openDatabase({ databaseUrl: url, applicationName: 'wardmap-model', maxConnections: 2 });
try {
  await seedDemoIfEmpty(db, { password: 'model-password', log: () => {} });
  const people = (
    await db.query<{ id: string }>('SELECT id FROM people WHERE active ORDER BY id LIMIT 200')
  ).rows.map((r) => r.id);
  console.log(`bench:model on ${url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')} (${people.length} people)`);

  const w = await measureWrites(db, people);
  console.log(
    `1. write path: ${fmt(w.stored)} check-ins in ${w.wall.toFixed(1)} s = ${fmt(w.msgsPerSec)} msg/s with one writer; ` +
      `ingest ${fmt(w.ingestCpu, 1)} CPU s -> ${fmt(w.ingestPerCore)} msg/s per core; ` +
      `PostgreSQL ${fmt(w.dbCpu, 1)} CPU s -> ${fmt(w.dbPerCore)} check-ins/s per core`,
  );
  const f = await measureFanOut(db, people);
  console.log(
    `2. stream fan-out: ${fmt(f.delivered)}/${fmt(f.wanted)} deliveries to ${CLIENTS} clients in ${f.wall.toFixed(1)} s; ` +
      `one API core reads ${fmt(f.readEventsPerCore)} feed events/s (whole feed) and delivers ${fmt(f.deliveriesPerCore)} events/s to clients`,
  );
  const us = (cpu: number, n: number) => fmt((cpu / Math.max(n, 1)) * 1e6, 1);
  const wholePerEvent = f.whole.apiCpu / f.whole.events;
  const filteredPerEvent = f.filtered.apiCpu / f.filtered.events;
  console.log(
    `   feed read, same run: whole feed ${us(f.whole.apiCpu, f.whole.events)} µs API CPU per feed event ` +
      `(database ${us(f.whole.dbCpu, f.whole.events)} µs); filtered to one community (${fmt(f.filtered.matching)} ` +
      `of ${fmt(f.filtered.events)} events match, ${fmt(f.filtered.rowsRead)} rows fetched, ${fmt(f.filtered.received)} delivered) ` +
      `${us(f.filtered.apiCpu, f.filtered.events)} µs API CPU per feed event (database ${us(f.filtered.dbCpu, f.filtered.events)} µs) ` +
      `= ${fmt(wholePerEvent / filteredPerEvent, 1)}x less; per row fetched ${us(f.filtered.apiCpu, f.filtered.rowsRead)} µs ` +
      `vs ${us(f.whole.apiCpu, f.whole.events)} µs`,
  );
  const r = await measureRows(db, people);
  console.log(
    `3. rows: wide ${fmt(r.wideRow)} B (${fmt(r.wideTotal)} B with indexes, partitions and the claim), ` +
      `narrow ${fmt(r.narrowRow)} B (${fmt(r.narrowTotal)} B with its key), ` +
      `compressed: ${fmt(r.columnar, 1)} B per-column deflate (like columnar storage), ${fmt(r.compressed, 1)} B with delta encoding first`,
  );

  const nodes = (load: number, perCore: number, n: { cores: number; util: number }) =>
    Math.max(2, Math.ceil(load / perCore / (n.cores * n.util)));
  const perDashboard = (msgs: number) => msgs / TARGET.communities; // a dashboard follows one community
  const deliveries = (msgs: number) => TARGET.dashboards * perDashboard(msgs);
  // An API process pays for reading the feed it follows plus its deliveries. Following the whole
  // feed caps it. Following only its dashboards' communities (the feed read filtered in SQL), a
  // process pays per feed event a little (wake-ups and reads that fetch nothing: `perEvent`) and per
  // row it fetches the rest (`perRow`), fitted to the two reads measured above (whole: every row;
  // filtered: a share `phi`). With dashboards routed to processes by community (assumed: the load
  // balancer does not do it today), n processes each fetch 1/n of the rows.
  const whole1 = 1 / f.readEventsPerCore;
  const phi = f.filtered.rowsRead / f.filtered.events;
  const filtered1 = f.filtered.apiCpu / f.filtered.events;
  const perRow = Math.max((whole1 - filtered1) / (1 - phi), 0);
  const perEvent = Math.max(filtered1 - perRow * phi, 0);
  console.log(
    `   fitted API cost of a filtered read: ${fmt(perEvent * 1e6, 2)} µs per feed event (whatever the filter) + ` +
      `${fmt(perRow * 1e6, 1)} µs per row fetched`,
  );
  const apiNodes = (msgs: number) => {
    const budget = NODE.api.cores * NODE.api.util;
    const whole = budget - msgs / f.readEventsPerCore;
    const allFeed =
      whole > 0 ? Math.ceil(deliveries(msgs) / f.deliveriesPerCore / whole) : Number.POSITIVE_INFINITY;
    let n = 2;
    while (msgs * (perEvent + perRow / n) + deliveries(msgs) / n / f.deliveriesPerCore > budget && n < 10_000)
      n++;
    return { allFeed: Math.max(2, allFeed), partitioned: n };
  };
  console.log('');
  console.log(
    `Model (ingest nodes ${NODE.ingest.cores} cores at ${NODE.ingest.util * 100}%, database workers ${NODE.db.cores} cores at ${NODE.db.util * 100}%, API nodes ${NODE.api.cores} cores at ${NODE.api.util * 100}%; ${fmt(TARGET.communities)} communities, each dashboard follows one):`,
  );
  for (const [label, msgs] of [
    ['average', TARGET.avgMsgs],
    ['peak', TARGET.peakMsgs],
  ] as const) {
    const api = apiNodes(msgs);
    console.log(
      `  ${label} ${fmt(msgs)} msg/s: ingest workers ${nodes(msgs, w.ingestPerCore, NODE.ingest)}, ` +
        `database workers ${nodes(msgs, w.dbPerCore, NODE.db)} (+1 coordinator, each with a replica), ` +
        `API nodes ${api.partitioned >= 10_000 ? 'over 10,000' : api.partitioned} for ${fmt(TARGET.dashboards)} dashboards following their communities (${fmt(deliveries(msgs))} deliveries/s; ` +
        `${Number.isFinite(api.allFeed) ? `${api.allFeed} if every process reads the whole feed` : 'impossible if every process reads the whole feed'})`,
    );
  }
  const year = (bytesPerRow: number) => (TARGET.checkinsPerYear * bytesPerRow) / 1e12;
  console.log(
    `  storage per year for ${TARGET.checkinsPerYear.toExponential(0)} check-ins (one copy; double it for a replica): ` +
      `wide ${fmt(year(r.wideTotal))} TB, narrow ${fmt(year(r.narrowTotal))} TB, ` +
      `compressed ${fmt(year(r.columnar))} TB (columnar) / ${fmt(year(r.compressed))} TB (delta + columnar)`,
  );
} finally {
  await db.close();
}

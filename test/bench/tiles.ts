// `npm run bench:tiles`: the vector-tile endpoint against the raw tile SQL, in one process.
//
// Loads 100k and then 1M synthetic check-ins (generate_series, clustered around the demo blocks,
// spread over 7 days), then for several zooms requests many `checkins` tiles three ways:
//   raw       the tile statement alone (ST_AsMVT on PostgreSQL; the clip+scale statement on PGlite)
//   endpoint  GET /api/tiles/checkins/z/x/y.mvt through Hono, uncached (statement + encoding + HTTP)
//   cached    the same request answered by the tile cache
// and prints p50/p99 per zoom, the endpoint/raw ratio (target <= 1.15), cached p50 (target < 2 ms),
// and the slowest / largest tile (target <= 50 ms, <= 500 KB). Both the default window (the
// clock's last 24 h: what the dashboard asks for) and the whole 7 days are measured.
//
// Runs on DATABASE_URL (the database is created, migrated and seeded if needed; the bench's rows
// are removed at the end) or on embedded PGlite. Knobs: BENCH_SIZES (default 100000,1000000),
// BENCH_TILES (tiles per zoom, default 12), BENCH_ROUNDS (default 3), BENCH_ZOOMS (default 10,12,14,15,16,17).
import { createApp, createTileCache } from '@wardmap/api';
import {
  bindNamed,
  LAYERS,
  mvtSql,
  renderTile,
  TILE_FEATURE_LIMIT,
  type TileCoordinates,
  tileGeoJsonSql,
  withoutParallelWorkers,
} from '@wardmap/api/testing';
import { type Db, openDatabase, seedDemoIfEmpty } from '@wardmap/db';
import { manualClock } from '@wardmap/geo';
import pg from 'pg';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAYS = 7;
const ZOOMS = (process.env.BENCH_ZOOMS ?? '10,12,14,15,16,17').split(',').map(Number);
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const tilesPerZoom = Number(process.env.BENCH_TILES ?? 12);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const layer = LAYERS.get('checkins')!;
const log = (line: string) => console.log(`[bench:tiles] ${line}`);
// Tiles need sign-in: the bench asks as the admin (every area), with a token of its own.
const BENCH_TOKEN = 'bench-tiles-admin-token';
/** A tile through the app as the admin; anything but 200 stops the bench (it would time an error). */
async function tileFrom(
  app: { request(url: string, init?: RequestInit): Response | Promise<Response> },
  url: string,
) {
  const res = await app.request(url, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
  if (res.status !== 200) throw new Error(`bench:tiles: ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      log(`creating database ${name}`);
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}

async function load(db: Db, from: number, to: number): Promise<void> {
  const chunk = 100_000;
  for (let start = from; start < to; start += chunk) {
    const end = Math.min(to, start + chunk);
    // Points cluster around the blocks' centres (±~500 m), times spread over the last 7 days.
    const { text, params } = bindNamed(
      `WITH centres AS (SELECT array_agg(ST_PointOnSurface(geom) ORDER BY id) AS pts FROM grids)
       INSERT INTO checkins (message_id, person_id, source, kind, geom, at, received_at)
       SELECT 'bench-' || g, 'bench-p-' || (g % 200), 'native', 'location',
              ST_SetSRID(ST_MakePoint(ST_X(c) + (random() - 0.5) * 0.01, ST_Y(c) + (random() - 0.5) * 0.01), 4326),
              t, t
         FROM centres, generate_series(:from, :to) AS g,
              LATERAL (SELECT centres.pts[1 + (g % array_length(centres.pts, 1))] AS c,
                              :now - random() * :days * interval '1 day' AS t) r`,
      {
        from: { value: start + 1, type: 'bigint' },
        to: { value: end, type: 'bigint' },
        now: { value: NOW.toISOString(), type: 'timestamptz' },
        days: { value: DAYS, type: 'float8' },
      },
    );
    await db.query(text, params);
    log(`  loaded ${end.toLocaleString('en')} check-ins`);
  }
  // As autovacuum would after a bulk load: hint bits set, visibility map and statistics current.
  await db.exec('VACUUM ANALYZE checkins');
}

/** Tiles at a zoom where the data is: those containing block centres, up to `n`, centre-out. */
async function tilesFor(db: Db, z: number, n: number): Promise<TileCoordinates[]> {
  const res = await db.query<{ x: number; y: number }>(
    `SELECT DISTINCT floor((ST_X(p) + 180) / 360 * 2 ^ $1)::int AS x,
            floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 2 ^ $1)::int AS y
       FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Union(ST_Buffer(geom, 0.003)), 400, 7))).geom AS p FROM grids) s`,
    [z],
  );
  const all = res.rows.map((r) => ({ z, x: r.x, y: r.y }));
  const cx = all.reduce((s, t) => s + t.x, 0) / all.length;
  const cy = all.reduce((s, t) => s + t.y, 0) / all.length;
  return all
    .sort((a, b) => (a.x - cx) ** 2 + (a.y - cy) ** 2 - ((b.x - cx) ** 2 + (b.y - cy) ** 2))
    .slice(0, n);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
}

interface Row {
  size: number;
  window: string;
  zoom: number;
  tiles: number;
  rawP50: number;
  rawP99: number;
  apiP50: number;
  apiP99: number;
  ratio: number;
  cachedP50: number;
  cachedP99: number;
  /** PostgreSQL: the raw statement with max_parallel_workers_per_gather = 0 (what the endpoint runs). */
  serialP50?: number;
  maxMs: number;
  maxKB: number;
}

async function benchZoom(
  db: Db,
  size: number,
  z: number,
  windowName: string,
  since: Date | null,
): Promise<Row> {
  const clock = manualClock(NOW);
  const plain = createApp({
    db,
    mqttMode: 'embedded',
    readiness: { ready: true },
    clock,
    adminToken: BENCH_TOKEN,
  });
  const cache = createTileCache();
  const cachedApp = createApp({
    db,
    mqttMode: 'embedded',
    readiness: { ready: true },
    clock,
    tileCache: cache,
    adminToken: BENCH_TOKEN,
  });
  const tiles = await tilesFor(db, z, tilesPerZoom);
  const w = {
    now: NOW,
    since: since ?? new Date(NOW.getTime() - 24 * 3_600_000),
    until: NOW,
    limit: layer.tileLimit ?? TILE_FEATURE_LIMIT,
    zoom: z,
  };
  const query = since ? `?since=${since.toISOString()}` : '';
  const raw: number[] = [];
  const serial: number[] = [];
  const api: number[] = [];
  const cached: number[] = [];
  let maxBytes = 0;
  let maxMs = 0;
  const rawStatement = async (t: TileCoordinates) => {
    const { text, params } = db.hasAsMvt
      ? mvtSql(layer, t, { ...w, zoom: t.z })
      : tileGeoJsonSql(layer, t, { ...w, zoom: t.z });
    await db.query(text, params);
  };
  // Warm-up: plans, caches, JIT.
  for (const t of tiles.slice(0, 2)) {
    await rawStatement(t);
    await renderTile(db, layer, t, w);
  }
  for (let r = 0; r < rounds; r++) {
    for (const t of tiles) {
      const url = `/api/tiles/checkins/${t.z}/${t.x}/${t.y}.mvt${query}`;
      // Alternate the order so neither side always runs on a warmer cache.
      const apiFirst = (r + t.x + t.y) % 2 === 0;
      const runApi = async () => {
        const [d, bytes] = await time(async () => (await tileFrom(plain, url)).arrayBuffer());
        api.push(d);
        maxBytes = Math.max(maxBytes, bytes.byteLength);
        maxMs = Math.max(maxMs, d);
      };
      const runRaw = async () => {
        raw.push((await time(() => rawStatement(t)))[0]);
        if (db.hasAsMvt) {
          serial.push(
            (
              await time(() =>
                withoutParallelWorkers(db, (q) => {
                  const { text, params } = mvtSql(layer, t, { ...w, zoom: t.z });
                  return q.query(text, params);
                }),
              )
            )[0],
          );
        }
      };
      if (apiFirst) {
        await runApi();
        await runRaw();
      } else {
        await runRaw();
        await runApi();
      }
    }
  }
  for (const t of tiles)
    await (await tileFrom(cachedApp, `/api/tiles/checkins/${t.z}/${t.x}/${t.y}.mvt${query}`)).arrayBuffer();
  for (let r = 0; r < rounds * 10; r++) {
    for (const t of tiles) {
      const url = `/api/tiles/checkins/${t.z}/${t.x}/${t.y}.mvt${query}`;
      cached.push((await time(async () => (await tileFrom(cachedApp, url)).arrayBuffer()))[0]);
    }
  }
  const row: Row = {
    size,
    window: windowName,
    zoom: z,
    tiles: tiles.length,
    rawP50: pct(raw, 50),
    rawP99: pct(raw, 99),
    apiP50: pct(api, 50),
    apiP99: pct(api, 99),
    ratio: pct(api, 50) / pct(raw, 50),
    cachedP50: pct(cached, 50),
    cachedP99: pct(cached, 99),
    ...(serial.length ? { serialP50: pct(serial, 50) } : {}),
    maxMs,
    maxKB: maxBytes / 1024,
  };
  log(
    `  ${size.toLocaleString('en')} ${windowName} z${z} (${tiles.length} tiles × ${rounds}): raw p50 ${ms(row.rawP50)} p99 ${ms(row.rawP99)} | ` +
      `${row.serialP50 === undefined ? '' : `raw, parallel off p50 ${ms(row.serialP50)} | `}endpoint p50 ${ms(row.apiP50)} p99 ${ms(row.apiP99)} | ratio ${row.ratio.toFixed(2)}x | cached p50 ${ms(row.cachedP50)} | ` +
      `max ${ms(maxMs)} ${row.maxKB.toFixed(1)} KB`,
  );
  return row;
}

/**
 * What the rollup triggers cost ingest: 20k check-ins written as 40 multi-row INSERTs of 500
 * (ingest's batch shape), with the triggers disabled and enabled.
 */
async function triggerOverhead(db: Db): Promise<string> {
  const batch = async (prefix: string, b: number) => {
    const rows = Array.from({ length: 500 }, (_, k) => {
      const n = b * 500 + k;
      return `('${prefix}${n}', 'bench-p-${n % 200}', ST_SetSRID(ST_MakePoint(${121.6 + (n % 97) * 1e-3}, ${29.75 + (n % 89) * 1e-3}), 4326), '${NOW.toISOString()}'::timestamptz - ${n} * interval '1 second')`;
    });
    await db.query(
      `INSERT INTO checkins (message_id, person_id, geom, at) VALUES ${rows.join(',')} ON CONFLICT DO NOTHING`,
    );
  };
  const run = async (prefix: string) => {
    const t0 = performance.now();
    for (let b = 0; b < 40; b++) await batch(prefix, b);
    return performance.now() - t0;
  };
  await db.exec(
    'ALTER TABLE checkins DISABLE TRIGGER checkins_bins_add; ALTER TABLE checkins DISABLE TRIGGER checkins_bins_remove',
  );
  let off: number;
  try {
    off = await run('bench-off-');
    await db.query(`DELETE FROM checkins WHERE message_id LIKE 'bench-off-%'`);
  } finally {
    await db.exec(
      'ALTER TABLE checkins ENABLE TRIGGER checkins_bins_add; ALTER TABLE checkins ENABLE TRIGGER checkins_bins_remove',
    );
  }
  const on = await run('bench-on-');
  await db.query(`DELETE FROM checkins WHERE message_id LIKE 'bench-on-%'`);
  return `rollup triggers: 20k check-ins in batches of 500 took ${off.toFixed(0)} ms without, ${on.toFixed(0)} ms with (${(on / off).toFixed(2)}x)`;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (url) await ensureDatabase(url);
  log(`backend: ${url ? 'PostgreSQL (ST_AsMVT)' : 'embedded PGlite (SQL clip+scale, vt-pbf)'}`);
  const db = await openDatabase({ databaseUrl: url, applicationName: 'wardmap-bench-tiles' });
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    await seedDemoIfEmpty(db, { log });
    await db.query(`DELETE FROM checkins WHERE message_id LIKE 'bench-%'`);
    const overhead = await triggerOverhead(db);
    log(overhead);
    notes.push(overhead);
    let loaded = 0;
    for (const size of sizes) {
      log(`loading check-ins up to ${size.toLocaleString('en')}`);
      await load(db, loaded, size);
      loaded = size;
      for (const [name, since] of [
        ['24h', null],
        ['7d', new Date(NOW.getTime() - DAYS * 86_400_000)],
      ] as const) {
        for (const z of ZOOMS) rows.push(await benchZoom(db, size, z, name, since));
      }
    }
  } finally {
    log('removing the bench rows');
    await db.query(`DELETE FROM checkins WHERE message_id LIKE 'bench-%'`).catch(() => {});
    await db.close();
  }
  console.log(
    '\n| check-ins | window | zoom | tiles | raw SQL p50 / p99 | endpoint p50 / p99 | ratio | cached p50 / p99 | slowest | largest |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.size.toLocaleString('en')} | ${r.window} | ${r.zoom} | ${r.tiles} | ${ms(r.rawP50)} / ${ms(r.rawP99)} | ${ms(r.apiP50)} / ${ms(r.apiP99)} | ` +
        `${r.ratio.toFixed(2)}x | ${ms(r.cachedP50)} / ${ms(r.cachedP99)} | ${ms(r.maxMs)} | ${r.maxKB.toFixed(1)} KB |`,
    );
  }
}

await main();

// Rows written exactly as ingest writes them (db/migrations/0002), for the map, compliance and
// statistics tests. Small factories with sensible defaults; each returns what the test needs.
import { createApp, type TileCache } from '@wardmap/api';
import type { Db, Queryable } from '@wardmap/db';
import type { Clock, LonLat } from '@wardmap/geo';
import type { Hono } from 'hono';

let seq = 0;
const next = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;

const MAP_ADMIN_TOKEN = 'test-map-admin-token-0123456789';

/** Headers of an admin, who sees every area: map reads need a signed-in caller. */
export const mapAdmin = { authorization: `Bearer ${MAP_ADMIN_TOKEN}` };

/** The API on a real database, time from `clock`; read it with `mapAdmin` headers. */
export function mapApp(db: Db, clock: Clock, tileCache?: TileCache): Hono {
  return createApp({
    db,
    mqttMode: 'embedded',
    readiness: { ready: true },
    clock,
    tileCache,
    adminToken: MAP_ADMIN_TOKEN,
  });
}

export interface CheckinInput {
  personId: string;
  at: Date;
  location: LonLat;
  id?: string;
  kind?: 'location' | 'start' | 'end' | 'checkpoint';
  patrolId?: string;
  receivedAt?: Date;
}

/** Inserts check-ins in one statement; returns their message ids. */
export async function newCheckins(q: Queryable, rows: CheckinInput[]): Promise<string[]> {
  const data = rows.map((r) => ({
    id: r.id ?? next('ci'),
    personId: r.personId,
    kind: r.kind ?? 'location',
    lon: r.location[0],
    lat: r.location[1],
    at: r.at.toISOString(),
    receivedAt: (r.receivedAt ?? r.at).toISOString(),
    patrolId: r.patrolId ?? null,
  }));
  await q.query(
    `INSERT INTO checkins (message_id, person_id, source, kind, geom, at, received_at, patrol_id, grid_id, community_id)
     SELECT d.id, d."personId", 'native', d.kind, ST_SetSRID(ST_MakePoint(d.lon, d.lat), 4326), d.at, d."receivedAt",
            d."patrolId", g.id, g.community_id
       FROM jsonb_to_recordset($1::jsonb) AS d(id text, "personId" text, kind text, lon float8, lat float8,
            at timestamptz, "receivedAt" timestamptz, "patrolId" text)
       LEFT JOIN LATERAL (SELECT id, community_id FROM grids
                           WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(d.lon, d.lat), 4326)) ORDER BY id LIMIT 1) g ON true`,
    [JSON.stringify(data)],
  );
  return data.map((d) => d.id);
}

export interface PatrolInput {
  personId: string;
  kind: 'grid' | 'river';
  startedAt: Date;
  endedAt: Date | null;
  track: LonLat[] | null;
  id?: string;
  segmentId?: string;
  gridId?: string;
  /** Default: the track's length on the spheroid. */
  distanceM?: number;
}

/** Inserts a patrol session like ingest builds it (closed when endedAt is set); returns its id. */
export async function newPatrol(q: Queryable, p: PatrolInput): Promise<string> {
  const id = p.id ?? next('pat');
  const durationS = p.endedAt ? (p.endedAt.getTime() - p.startedAt.getTime()) / 1000 : 0;
  await q.query(
    `INSERT INTO patrols (id, person_id, kind, grid_id, segment_id, started_at, ended_at, status, track, distance_m, duration_s)
     SELECT $1, $2, $3, $4, $5, $6, $7, CASE WHEN $7::timestamptz IS NULL THEN 'open' ELSE 'closed' END, t.g,
            coalesce($9::float8, ST_Length(t.g::geography), 0), $10
       FROM (SELECT CASE WHEN $8::text IS NULL THEN NULL
                         ELSE ST_SetSRID(ST_GeomFromGeoJSON($8::text), 4326) END AS g) t`,
    [
      id,
      p.personId,
      p.kind,
      p.gridId ?? null,
      p.segmentId ?? null,
      p.startedAt.toISOString(),
      p.endedAt?.toISOString() ?? null,
      p.track ? JSON.stringify({ type: 'LineString', coordinates: p.track }) : null,
      p.distanceM ?? null,
      durationS,
    ],
  );
  return id;
}

export interface IncidentInput {
  location: LonLat;
  createdAt: Date;
  level?: 'building' | 'block' | 'community';
  state?: string;
  severity?: 'low' | 'medium' | 'high';
  segmentId?: string;
  acknowledgedAt?: Date;
  closedAt?: Date;
  slaDueAt?: Date;
}

/** Inserts an incident as ingest creates it (grid and community from the location); returns its id. */
export async function newIncident(q: Queryable, i: IncidentInput): Promise<string> {
  const id = next('inc');
  await q.query(
    `INSERT INTO incidents (id, source, source_id, category, title, severity, level, state, geom, grid_id, community_id,
                            segment_id, sla_due_at, created_at, updated_at, acknowledged_at, closed_at)
     SELECT $1, 'manual', $1, 'test', 'test incident', $4, $5, $6, p.g, g.id, g.community_id, $7, $8, $9, $9, $10, $11
       FROM (SELECT ST_SetSRID(ST_MakePoint($2, $3), 4326) AS g) p
       LEFT JOIN LATERAL (SELECT id, community_id FROM grids WHERE ST_Intersects(geom, p.g) ORDER BY id LIMIT 1) g ON true`,
    [
      id,
      i.location[0],
      i.location[1],
      i.severity ?? 'medium',
      i.level ?? 'building',
      i.state ?? 'open',
      i.segmentId ?? null,
      i.slaDueAt?.toISOString() ?? null,
      i.createdAt.toISOString(),
      i.acknowledgedAt?.toISOString() ?? null,
      i.closedAt?.toISOString() ?? null,
    ],
  );
  return id;
}

/** Upserts a latest position as ingest does. */
export async function newPosition(q: Queryable, personId: string, location: LonLat, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO positions (person_id, geom, at, received_at, grid_id)
     SELECT $1, p.g, $4, $4, (SELECT id FROM grids WHERE ST_Intersects(geom, p.g) ORDER BY id LIMIT 1)
       FROM (SELECT ST_SetSRID(ST_MakePoint($2, $3), 4326) AS g) p
     ON CONFLICT (person_id) DO UPDATE SET geom = excluded.geom, at = excluded.at, grid_id = excluded.grid_id`,
    [personId, location[0], location[1], at.toISOString()],
  );
}

/** Points along a river segment between two fractions of its length (for constructed tracks). */
export async function alongSegment(
  q: Queryable,
  segmentId: string,
  from: number,
  to: number,
): Promise<LonLat[]> {
  const res = await q.query<{ gj: string }>(
    'SELECT ST_AsGeoJSON(ST_LineSubstring(geom, $2, $3), 7) AS gj FROM river_segments WHERE id = $1',
    [segmentId, from, to],
  );
  const row = res.rows[0];
  if (!row) throw new Error(`no segment ${segmentId}`);
  return (JSON.parse(row.gj) as { coordinates: LonLat[] }).coordinates;
}

/** A point inside a grid (its point on surface) and the grid's bbox. */
export async function insideGrid(q: Queryable, gridId: string): Promise<LonLat> {
  const res = await q.query<{ lon: number; lat: number }>(
    'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE id = $1) s',
    [gridId],
  );
  const row = res.rows[0];
  if (!row) throw new Error(`no grid ${gridId}`);
  return [row.lon, row.lat];
}

export interface RiverReportInput {
  segmentId: string;
  at: Date;
  type?: 'patrol_start' | 'patrol_end' | 'track' | 'issue';
  issue?: string;
  count?: number;
  tons?: number;
  personId?: string;
}

/** Inserts a river report as ingest writes it; returns its message id. */
export async function newRiverReport(q: Queryable, r: RiverReportInput): Promise<string> {
  const id = next('rr');
  await q.query(
    `INSERT INTO river_reports (message_id, segment_id, person_id, type, issue, count, tons, at, received_at, geom)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8, ST_StartPoint(geom) FROM river_segments WHERE id = $2`,
    [
      id,
      r.segmentId,
      r.personId ?? null,
      r.type ?? 'issue',
      r.issue ?? null,
      r.count ?? null,
      r.tons ?? null,
      r.at.toISOString(),
    ],
  );
  return id;
}

/** Inserts a camera alert as ingest writes it; returns its id. */
export async function newCameraAlert(
  q: Queryable,
  cameraId: string,
  at: Date,
  label = 'person',
): Promise<string> {
  const id = next('ca');
  await q.query(
    `INSERT INTO camera_alerts (id, camera_id, label, score, started_at, at, received_at, geom)
     SELECT $1, $2, $3, 0.9, $4, $4, $4, geom FROM cameras WHERE id = $2`,
    [id, cameraId, label, at.toISOString()],
  );
  return id;
}

/** Inserts a dead letter with its reason; returns its id. */
export async function newDeadLetter(q: Queryable, topic: string, payload: string, reason: string, at: Date) {
  const res = await q.query<{ id: number }>(
    `INSERT INTO dead_letters (topic, payload, reason, received_at) VALUES ($1, convert_to($2, 'UTF8'), $3, $4) RETURNING id`,
    [topic, payload, reason, at.toISOString()],
  );
  return res.rows[0]!.id;
}

import type { Queryable } from '@wardmap/db';
import type { WrittenRiverReport } from '../incidents/drafts.ts';
import type { RiverReportItem } from '../items.ts';
import { gridAtLateral } from './sql.ts';
import { type Accepted, type Change, changed } from './types.ts';

interface InsertedRow {
  message_id: string;
  segment_id: string;
  person_id: string | null;
  type: string;
  issue: string | null;
  severity: 'low' | 'medium' | 'high' | null;
  note: string | null;
  patrol_id: string | null;
  lon: number;
  lat: number;
  grid_id: string | null;
  community_id: string | null;
  segment_name: string;
}

export interface RiverReportWrite {
  inserted: number;
  duplicates: number;
  /** The reports stored now, placed (for incident drafting: an `issue` opens one). */
  written: WrittenRiverReport[];
  changes: Change[];
}

/**
 * River reports (idempotent by message id). patrol_start / track / patrol_end build a river
 * patrol whose track, distance and duration are recomputed from the stored reports, so arrival
 * order does not matter. Each report is placed at its point, or the middle of its segment.
 */
export async function writeRiverReports(
  q: Queryable,
  accepted: ReadonlyArray<Accepted<RiverReportItem>>,
  now: Date,
): Promise<RiverReportWrite> {
  if (accepted.length === 0) return { inserted: 0, duplicates: 0, written: [], changes: [] };
  const it = accepted.map((a) => a.item);
  const col = <K extends keyof RiverReportItem>(k: K) => it.map((r) => r[k]);
  const res = await q.query<InsertedRow>(
    `WITH input AS (
       SELECT DISTINCT ON (message_id) * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
              $6::int[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::float8[], $12::float8[],
              $13::timestamptz[], $14::timestamptz[], $15::text[])
         AS t(message_id, segment_id, person_id, type, issue, count, tons, severity, note, photo_url, lon, lat, at,
              received_at, patrol_id)
     ), ins AS (
       INSERT INTO river_reports (message_id, segment_id, person_id, type, issue, count, tons, severity, note,
                                  photo_url, geom, at, received_at, patrol_id)
       SELECT message_id, segment_id, person_id, type, issue, count, tons, severity, note, photo_url,
              CASE WHEN lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END, at, received_at, patrol_id
         FROM input
       ON CONFLICT DO NOTHING
       RETURNING *
     ), placed AS (
       SELECT ins.*, coalesce(ins.geom, ST_LineInterpolatePoint(s.geom, 0.5)) AS pt, s.name AS segment_name
         FROM ins JOIN river_segments s ON s.id = ins.segment_id
     )
     SELECT p.message_id, p.segment_id, p.person_id, p.type, p.issue, p.severity, p.note, p.patrol_id,
            ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat, g.id AS grid_id, g.community_id, p.segment_name
       FROM placed p ${gridAtLateral('p.pt')}`,
    [
      col('messageId'),
      col('segmentId'),
      col('personId'),
      col('reportType'),
      col('issue'),
      col('count'),
      col('tons'),
      col('severity'),
      col('note'),
      col('photoUrl'),
      col('lon'),
      col('lat'),
      col('at'),
      accepted.map((a) => a.receivedAt.toISOString()),
      col('patrolId'),
    ],
  );
  const inserted = res.rows;
  const changes = changed(
    'river_reports',
    inserted.map((r) => r.message_id),
    inserted.map((r) => [r.lon, r.lat] as const),
  );

  // Positions of river chiefs move with their reports' locations, never backwards in device time.
  const located = it.filter((r) => r.personId && r.lon !== null && r.lat !== null);
  if (located.length) {
    const pos = await q.query<{ person_id: string }>(
      `INSERT INTO positions AS p (person_id, geom, at, received_at, online, message_id)
       SELECT DISTINCT ON (person_id) person_id, ST_SetSRID(ST_MakePoint(lon, lat), 4326), at, $5::timestamptz, true, message_id
         FROM unnest($1::text[], $2::float8[], $3::float8[], $4::timestamptz[], $6::text[]) AS t(person_id, lon, lat, at, message_id)
        ORDER BY person_id, at DESC
       ON CONFLICT (person_id) DO UPDATE SET geom = excluded.geom, at = excluded.at, received_at = excluded.received_at,
         online = true, message_id = excluded.message_id, accuracy = NULL, speed = NULL, heading = NULL
       WHERE excluded.at > p.at
       RETURNING person_id`,
      [
        located.map((r) => r.personId),
        located.map((r) => r.lon),
        located.map((r) => r.lat),
        located.map((r) => r.at),
        now.toISOString(),
        located.map((r) => r.messageId),
      ],
    );
    changes.push(
      ...changed(
        'positions',
        pos.rows.map((r) => r.person_id),
      ),
    );
  }

  const patrolRows = inserted.filter((r) => r.patrol_id && r.type !== 'issue');
  if (patrolRows.length) {
    const ids = [...new Set(patrolRows.map((r) => r.patrol_id as string))];
    await q.query(
      `INSERT INTO patrols AS p (id, person_id, kind, segment_id, started_at, ended_at, status)
       SELECT r.patrol_id, min(r.person_id), 'river', min(r.segment_id),
              coalesce(min(r.at) FILTER (WHERE r.type = 'patrol_start'), min(r.at)),
              min(r.at) FILTER (WHERE r.type = 'patrol_end'),
              CASE WHEN bool_or(r.type = 'patrol_end') THEN 'closed' ELSE 'open' END
         FROM river_reports r WHERE r.patrol_id = ANY($1::text[]) AND r.type <> 'issue' AND r.person_id IS NOT NULL
        GROUP BY r.patrol_id
       ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, ended_at = excluded.ended_at,
         status = excluded.status`,
      [ids],
    );
    const rebuilt = await q.query<{ id: string }>(
      `UPDATE patrols p
          SET track = s.track,
              distance_m = coalesce(ST_Length(s.track::geography), 0),
              duration_s = greatest(0, extract(epoch FROM coalesce(p.ended_at, s.last_at) - p.started_at))
         FROM (SELECT r.patrol_id AS id,
                      CASE WHEN count(r.geom) >= 2 THEN ST_MakeLine(r.geom ORDER BY r.at, r.message_id) END AS track,
                      max(r.at) AS last_at
                 FROM river_reports r WHERE r.patrol_id = ANY($1::text[]) AND r.type <> 'issue' GROUP BY r.patrol_id) s
        WHERE p.id = s.id AND p.kind = 'river'
       RETURNING p.id`,
      [ids],
    );
    changes.push(
      ...changed(
        'patrols',
        rebuilt.rows.map((r) => r.id),
      ),
    );
  }

  const written = inserted.map(
    (r): WrittenRiverReport => ({
      messageId: r.message_id,
      segmentId: r.segment_id,
      segmentName: r.segment_name,
      personId: r.person_id,
      type: r.type,
      issue: r.issue,
      severity: r.severity,
      note: r.note,
      lon: r.lon,
      lat: r.lat,
      gridId: r.grid_id,
      communityId: r.community_id,
    }),
  );
  return { inserted: inserted.length, duplicates: accepted.length - inserted.length, written, changes };
}

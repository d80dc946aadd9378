import type { Queryable } from '@wardmap/db';
import type { IncidentLevel, Severity } from '@wardmap/geo';
import { incidentId } from '../ids.ts';

export interface IncidentDraft {
  source: 'camera' | 'river';
  sourceId: string;
  category: string;
  title: string;
  description: string | null;
  severity: Severity;
  level: IncidentLevel;
  /** SQL gives the location: the alert's or report's point. */
  lon: number | null;
  lat: number | null;
  gridId: string | null;
  communityId: string | null;
  segmentId: string | null;
  cameraId: string | null;
  policePostId: string | null;
  reportedBy: string | null;
}

/**
 * Creates incidents idempotently (unique (source, source_id); the id is a hash of both), with the
 * ack deadline from sla_rules counted from the injected clock's `now`, and one incident_events
 * row per created incident. Returns the ids of incidents created now, keyed by source id.
 */
export async function createIncidents(
  q: Queryable,
  drafts: readonly IncidentDraft[],
  now: Date,
): Promise<Map<string, string>> {
  if (drafts.length === 0) return new Map();
  const col = <K extends keyof IncidentDraft>(k: K) => drafts.map((d) => d[k]);
  const res = await q.query<{ id: string; source_id: string }>(
    `WITH d AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::float8[], $10::float8[], $11::text[], $12::text[], $13::text[], $14::text[],
                            $15::text[], $16::text[])
         AS d(id, source, source_id, category, title, description, severity, level, lon, lat, grid_id, community_id,
              segment_id, camera_id, police_post_id, reported_by)
     ), ins AS (
       INSERT INTO incidents (id, source, source_id, category, title, description, severity, level, state, geom,
                              grid_id, community_id, segment_id, camera_id, police_post_id, reported_by, sla_due_at,
                              created_at, updated_at)
       SELECT d.id, d.source, d.source_id, d.category, d.title, d.description, d.severity, d.level, 'open',
              CASE WHEN d.lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(d.lon, d.lat), 4326) END,
              d.grid_id, d.community_id, d.segment_id, d.camera_id, d.police_post_id, d.reported_by,
              $17::timestamptz + r.ack_minutes * interval '1 minute', $17::timestamptz, $17::timestamptz
         FROM d LEFT JOIN sla_rules r ON r.level = d.level AND r.severity = d.severity
       ON CONFLICT DO NOTHING
       RETURNING id, source_id, level, severity, source
     ), ev AS (
       INSERT INTO incident_events (incident_id, at, actor, action, to_state, to_level, data)
       SELECT id, $17::timestamptz, 'ingest', 'create', 'open', level,
              jsonb_build_object('source', source, 'sourceId', source_id, 'severity', severity)
         FROM ins
       RETURNING incident_id
     )
     SELECT ins.id, ins.source_id FROM ins`,
    [
      drafts.map((d) => incidentId(d.source, d.sourceId)),
      col('source'),
      col('sourceId'),
      col('category'),
      col('title'),
      col('description'),
      col('severity'),
      col('level'),
      col('lon'),
      col('lat'),
      col('gridId'),
      col('communityId'),
      col('segmentId'),
      col('cameraId'),
      col('policePostId'),
      col('reportedBy'),
      now.toISOString(),
    ],
  );
  return new Map(res.rows.map((r) => [r.source_id, r.id]));
}

import type { Queryable } from '@wardmap/db';
import { incidentId } from '../ids.ts';
import { type Change, changed } from '../write/types.ts';
import type { IncidentDraft } from './drafts.ts';

// Where the incident's id is written back to the row that opened it.
const LINK_BACK: Record<IncidentDraft['source'], string> = {
  camera: `UPDATE camera_alerts a SET incident_id = t.incident_id
             FROM unnest($1::text[], $2::text[]) AS t(alert_id, incident_id) WHERE a.id = t.alert_id`,
  river: `UPDATE river_reports r SET incident_id = t.incident_id
            FROM unnest($1::text[], $2::text[]) AS t(message_id, incident_id) WHERE r.message_id = t.message_id`,
};

/**
 * Opens the drafted incidents inside the batch's transaction: creates those not created before,
 * writes each new incident's id back to the alert or report that opened it, and returns how many
 * were created and the change for the batch's notices.
 */
export async function openIncidents(
  q: Queryable,
  drafts: readonly IncidentDraft[],
  now: Date,
): Promise<{ created: number; changes: Change[] }> {
  let count = 0;
  const changes: Change[] = [];
  for (const source of new Set(drafts.map((d) => d.source))) {
    // Source ids are unique per source only: one source at a time.
    const mine = drafts.filter((d) => d.source === source);
    const created = await createIncidents(q, mine, now);
    if (created.size === 0) continue;
    await q.query(LINK_BACK[source], [[...created.keys()], [...created.values()]]);
    count += created.size;
    changes.push(
      ...changed(
        'incidents',
        [...created.values()],
        mine.filter((d) => created.has(d.sourceId)).map((d) => [d.lon ?? 0, d.lat ?? 0] as const),
      ),
    );
  }
  return { created: count, changes };
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

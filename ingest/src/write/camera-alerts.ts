import type { Queryable } from '@wardmap/db';
import type { WrittenCameraAlert } from '../incidents/drafts.ts';
import type { CameraAlertItem, CameraAvailabilityItem } from '../items.ts';
import { gridAtLateral } from './sql.ts';
import { type Accepted, type Change, changed } from './types.ts';

/** Folds several messages about one alert (new, update, end in one batch) into one row, newest state last. */
export function foldAlerts(items: readonly CameraAlertItem[]): CameraAlertItem[] {
  const byId = new Map<string, CameraAlertItem>();
  for (const it of [...items].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    const prev = byId.get(it.alertId);
    if (!prev) {
      byId.set(it.alertId, it);
      continue;
    }
    byId.set(it.alertId, {
      ...it,
      topScore: Math.max(prev.topScore ?? 0, it.topScore ?? 0, it.score ?? 0),
      startedAt: [prev.startedAt, it.startedAt].sort()[0] as string,
      endedAt: it.endedAt ?? prev.endedAt,
      snapshotUrl: it.snapshotUrl ?? prev.snapshotUrl,
      zones: [...new Set([...prev.zones, ...it.zones])],
    });
  }
  return [...byId.values()];
}

interface AlertRow {
  id: string;
  camera_id: string;
  label: string;
  top_score: number | null;
  false_positive: boolean | null;
  incident_id: string | null;
  lon: number;
  lat: number;
  grid_id: string | null;
  community_id: string | null;
  police_post_id: string | null;
  camera_name: string;
}

export interface CameraAlertWrite {
  applied: number;
  duplicates: number;
  /** The alerts as stored now (for incident drafting). */
  written: WrittenCameraAlert[];
  changes: Change[];
}

/**
 * Camera alerts: one row per detection (Frigate new/update/end of an event id update it), located
 * at the camera and enriched with grid, community and police post. State fields follow the newest
 * frame; the top score only grows. (Whether an alert opens an incident is decided by the caller:
 * see incidents/drafts.ts.)
 */
export async function writeCameraAlerts(
  q: Queryable,
  accepted: ReadonlyArray<Accepted<CameraAlertItem>>,
  now: Date,
): Promise<CameraAlertWrite> {
  if (accepted.length === 0) return { applied: 0, duplicates: 0, written: [], changes: [] };
  const fresh = await q.query<{ message_id: string }>(
    `INSERT INTO processed_messages (message_id, topic, received_at)
     SELECT DISTINCT ON (m) m, t, r FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(m, t, r)
     ON CONFLICT DO NOTHING RETURNING message_id`,
    [
      accepted.map((a) => a.item.messageId),
      accepted.map((a) => a.entry.topic),
      accepted.map((a) => a.receivedAt.toISOString()),
    ],
  );
  const freshIds = new Set(fresh.rows.map((r) => r.message_id));
  const applied = accepted.filter((a) => freshIds.has(a.item.messageId));
  const seenOnce = new Set<string>();
  const newOnes = applied.filter((a) => !seenOnce.has(a.item.messageId) && seenOnce.add(a.item.messageId));
  if (newOnes.length === 0) return { applied: 0, duplicates: accepted.length, written: [], changes: [] };
  const receivedAt = new Map(newOnes.map((a) => [a.item.alertId, a.receivedAt.toISOString()]));
  const rows = foldAlerts(newOnes.map((a) => a.item));
  const col = <K extends keyof CameraAlertItem>(k: K) => rows.map((r) => r[k]);
  const res = await q.query<AlertRow>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                            $8::text[], $9::text[], $10::text[], $11::bool[], $12::bool[], $13::timestamptz[],
                            $14::timestamptz[], $15::timestamptz[], $16::timestamptz[])
         AS t(id, camera_id, source, label, sub_label, score, top_score, state, zones, snapshot_url, has_clip,
              false_positive, started_at, ended_at, at, received_at)
     ), located AS (
       SELECT i.*, c.geom, c.police_post_id AS cam_post, g.id AS grid_id, g.community_id
         FROM input i JOIN cameras c ON c.id = i.camera_id ${gridAtLateral('c.geom')}
     )
     INSERT INTO camera_alerts AS a (id, camera_id, source, label, sub_label, score, top_score, state, zones,
                                     snapshot_url, has_clip, false_positive, started_at, ended_at, at, received_at,
                                     updated_at, geom, grid_id, community_id, police_post_id)
     SELECT l.id, l.camera_id, l.source, l.label, l.sub_label, l.score, l.top_score, l.state,
            coalesce(l.zones::text[], '{}'), l.snapshot_url, l.has_clip, l.false_positive, l.started_at, l.ended_at,
            l.at, l.received_at, l.received_at, l.geom, l.grid_id, l.community_id,
            coalesce(l.cam_post, (SELECT pp.id FROM police_posts pp ORDER BY pp.geom <-> l.geom LIMIT 1))
       FROM located l
     ON CONFLICT (id) DO UPDATE SET
       -- An older frame (late or out-of-order message) never rewrites the newer state.
       state = CASE WHEN excluded.at >= a.at THEN excluded.state ELSE a.state END,
       label = CASE WHEN excluded.at >= a.at THEN excluded.label ELSE a.label END,
       sub_label = CASE WHEN excluded.at >= a.at THEN coalesce(excluded.sub_label, a.sub_label) ELSE a.sub_label END,
       score = CASE WHEN excluded.at >= a.at THEN excluded.score ELSE a.score END,
       false_positive = CASE WHEN excluded.at >= a.at THEN coalesce(excluded.false_positive, a.false_positive)
                             ELSE a.false_positive END,
       has_clip = coalesce(excluded.has_clip, a.has_clip),
       snapshot_url = coalesce(excluded.snapshot_url, a.snapshot_url),
       zones = ARRAY(SELECT DISTINCT z FROM unnest(a.zones || excluded.zones) z ORDER BY z),
       top_score = greatest(a.top_score, excluded.top_score, excluded.score),
       started_at = least(a.started_at, excluded.started_at),
       ended_at = coalesce(a.ended_at, excluded.ended_at),
       at = greatest(a.at, excluded.at),
       updated_at = excluded.received_at
     RETURNING a.id, a.camera_id, a.label, a.top_score, a.false_positive, a.incident_id,
               ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, a.grid_id, a.community_id, a.police_post_id,
               (SELECT name FROM cameras WHERE id = a.camera_id) AS camera_name`,
    [
      col('alertId'),
      col('cameraName'),
      col('source'),
      col('label'),
      col('subLabel'),
      col('score'),
      col('topScore'),
      col('state'),
      // text[][] would need equal lengths; zones travel as array literals per row.
      rows.map((r) => `{${r.zones.map((z) => `"${z.replace(/["\\]/g, '\\$&')}"`).join(',')}}`),
      col('snapshotUrl'),
      col('hasClip'),
      col('falsePositive'),
      col('startedAt'),
      col('endedAt'),
      col('at'),
      rows.map((r) => receivedAt.get(r.alertId) ?? now.toISOString()),
    ],
  );
  const changes = changed(
    'camera_alerts',
    res.rows.map((r) => r.id),
    res.rows.map((r) => [r.lon, r.lat] as const),
  );
  await q.query(
    `UPDATE cameras SET last_seen_at = greatest(last_seen_at, t.at)
       FROM (SELECT camera_id, max(at) AS at FROM unnest($1::text[], $2::timestamptz[]) AS x(camera_id, at) GROUP BY camera_id) t
      WHERE cameras.id = t.camera_id`,
    [col('cameraName'), col('at')],
  );
  const written = res.rows.map(
    (r): WrittenCameraAlert => ({
      id: r.id,
      cameraId: r.camera_id,
      cameraName: r.camera_name,
      label: r.label,
      topScore: r.top_score,
      falsePositive: r.false_positive,
      incidentId: r.incident_id,
      lon: r.lon,
      lat: r.lat,
      gridId: r.grid_id,
      communityId: r.community_id,
      policePostId: r.police_post_id,
    }),
  );
  return { applied: newOnes.length, duplicates: accepted.length - newOnes.length, written, changes };
}

/**
 * `frigate/available`: Frigate's availability is the NVR's, so it applies to every camera Frigate
 * serves (those with a Frigate name). The last message in the batch wins.
 */
export async function writeCameraAvailability(
  q: Queryable,
  accepted: ReadonlyArray<Accepted<CameraAvailabilityItem>>,
): Promise<{ applied: number; changes: Change[] }> {
  const last = accepted.at(-1);
  if (!last) return { applied: 0, changes: [] };
  const res = await q.query<{ id: string }>(
    `UPDATE cameras SET online = $1, status_changed_at = $2
      WHERE frigate_name IS NOT NULL AND online IS DISTINCT FROM $1
        AND (status_changed_at IS NULL OR status_changed_at <= $2)
     RETURNING id`,
    [last.item.online, last.receivedAt.toISOString()],
  );
  return {
    applied: accepted.length,
    changes: changed(
      'cameras',
      res.rows.map((r) => r.id),
    ),
  };
}

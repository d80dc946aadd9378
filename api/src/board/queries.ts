import type { Queryable } from '@wardmap/db';
import { INCIDENT_COLUMNS, type IncidentRow } from '../incidents/view.ts';

const OPEN = `('open', 'acknowledged', 'dispatched', 'resolved')`;

export interface BoardPost {
  id: string;
  name: string;
  community_id: string | null;
  location: [number, number];
}

/** A police post with its community and location; undefined when there is none with that id. */
export async function findPolicePost(q: Queryable, postId: string): Promise<BoardPost | undefined> {
  const res = await q.query<BoardPost>(
    'SELECT id, name, community_id, ARRAY[ST_X(geom), ST_Y(geom)] AS location FROM police_posts WHERE id = $1',
    [postId],
  );
  return res.rows[0];
}

/** Open incidents of the post or its community, by SLA deadline. */
export async function openIncidentsOf(q: Queryable, post: BoardPost): Promise<IncidentRow[]> {
  const res = await q.query<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents i
      WHERE (i.police_post_id = $1 OR i.community_id = $2) AND i.state IN ${OPEN}
      ORDER BY i.sla_due_at ASC NULLS LAST, i.created_at LIMIT 5000`,
    [post.id, post.community_id],
  );
  return res.rows;
}

/** Camera alerts of the post's area: recent unfinished ones, and any an open incident keeps. */
export async function alertsOf(q: Queryable, post: BoardPost, recentSince: Date) {
  const res = await q.query(
    `SELECT a.id, a.camera_id AS "cameraId", a.label, a.score, a.state, a.at, a.snapshot_url AS "snapshotUrl",
            a.incident_id AS "incidentId", i.sla_due_at AS "dueAt", i.state AS "incidentState"
       FROM camera_alerts a
       LEFT JOIN cameras c ON c.id = a.camera_id
       LEFT JOIN incidents i ON i.id = a.incident_id
      WHERE (c.police_post_id = $1 OR a.police_post_id = $1 OR a.community_id = $2)
        AND NOT coalesce(a.false_positive, false)
        AND ((a.state <> 'end' AND a.at >= $3) OR i.state IN ${OPEN})
      ORDER BY i.sla_due_at ASC NULLS LAST, a.at DESC LIMIT 200`,
    [post.id, post.community_id, recentSince],
  );
  return res.rows;
}

/** The post's cameras, offline first. */
export async function camerasOf(q: Queryable, postId: string) {
  const res = await q.query(
    `SELECT c.id, c.name, c.online, c.last_seen_at AS "lastSeenAt", c.status_changed_at AS "statusChangedAt",
            ARRAY[ST_X(c.geom), ST_Y(c.geom)] AS location, c.heading, c.fov
       FROM cameras c WHERE c.police_post_id = $1 ORDER BY c.online, c.id LIMIT 500`,
    [postId],
  );
  return res.rows;
}

/** Patrollers of the community with an open patrol or a position since `seenSince`. */
export async function patrollersOnDuty(q: Queryable, communityId: string | null, seenSince: Date) {
  const res = await q.query(
    `SELECT pe.id, pe.name, pe.grid_id AS "gridId", pos.at AS "lastSeenAt", pos.battery,
            CASE WHEN pos.geom IS NULL THEN NULL ELSE ARRAY[ST_X(pos.geom), ST_Y(pos.geom)] END AS location,
            (SELECT pa.id FROM patrols pa WHERE pa.person_id = pe.id AND pa.status = 'open'
              ORDER BY pa.started_at DESC LIMIT 1) AS "patrolId"
       FROM people pe
       JOIN grids g ON g.id = pe.grid_id
       LEFT JOIN positions pos ON pos.person_id = pe.id
      WHERE 'patroller' = ANY(pe.roles) AND pe.active AND g.community_id = $1
        AND (pos.at >= $2 OR EXISTS (SELECT 1 FROM patrols pa WHERE pa.person_id = pe.id AND pa.status = 'open'))
      ORDER BY pe.id LIMIT 500`,
    [communityId, seenSince],
  );
  return res.rows;
}

export interface HandoverNoteRow {
  id: string;
  authorId: string;
  authorName?: string | null;
  note: string;
  incidentIds: string[];
  at: Date;
}

/** The post's latest handover notes, newest first. */
export async function handoverNotesOf(q: Queryable, postId: string): Promise<HandoverNoteRow[]> {
  const res = await q.query<HandoverNoteRow>(
    `SELECT h.id::text AS id, h.author_id AS "authorId", pe.name AS "authorName", h.note,
            h.incident_ids AS "incidentIds", h.at
       FROM handover_notes h LEFT JOIN people pe ON pe.id = h.author_id
      WHERE h.police_post_id = $1 ORDER BY h.at DESC, h.id DESC LIMIT 50`,
    [postId],
  );
  return res.rows;
}

/** Which of `ids` are open incidents of the post's area. */
export async function openIncidentIdsOf(q: Queryable, post: BoardPost, ids: string[]): Promise<Set<string>> {
  const found = await q.query<{ id: string }>(
    `SELECT id FROM incidents WHERE id = ANY($1) AND state IN ${OPEN} AND (police_post_id = $2 OR community_id = $3)`,
    [ids, post.id, post.community_id],
  );
  return new Set(found.rows.map((r) => r.id));
}

/** Stores a handover note and returns it as the API shows it. */
export async function insertHandoverNote(
  q: Queryable,
  note: { postId: string; authorId: string; note: string; incidentIds: string[]; at: Date },
) {
  const res = await q.query(
    `INSERT INTO handover_notes (police_post_id, author_id, note, incident_ids, at) VALUES ($1, $2, $3, $4, $5)
     RETURNING id::text AS id, author_id AS "authorId", note, incident_ids AS "incidentIds", at`,
    [note.postId, note.authorId, note.note, note.incidentIds, note.at],
  );
  return res.rows[0];
}

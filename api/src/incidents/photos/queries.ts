import type { Queryable } from '@wardmap/db';
import type { AreaRef } from '../../auth/principal.ts';

export type PhotoPurpose = 'report' | 'after' | 'resolve';

export interface NewPhoto {
  id: string;
  ownerId: string;
  contentType: string;
  bytes: Uint8Array;
  width: number | null;
  height: number | null;
  sha256: string;
  stripped: string[];
  purpose: PhotoPurpose;
  incidentId: string | null;
  reportId: string | null;
  takenAt: string | null;
}

/** A stored photo without its bytes. */
export interface PhotoMeta extends Omit<NewPhoto, 'bytes'> {
  sizeBytes: number;
  createdAt: string;
}

const META_COLUMNS = `p.id, p.owner_id AS "ownerId", p.content_type AS "contentType", p.size_bytes AS "sizeBytes",
  p.width, p.height, p.sha256, p.stripped, p.purpose, p.incident_id AS "incidentId", p.report_id AS "reportId",
  p.taken_at AS "takenAt", p.created_at AS "createdAt"`;

const isoOrNull = (v: unknown) =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();
function metaOf(row: Record<string, unknown>): PhotoMeta {
  return {
    ...(row as unknown as PhotoMeta),
    takenAt: isoOrNull(row.takenAt),
    createdAt: new Date(row.createdAt as string).toISOString(),
  };
}

/**
 * Stores a photo unless its id is taken. Returns the stored row's metadata and whether this call
 * created it, so a retried upload (same id, same owner) answers like the first one.
 */
export async function insertPhoto(q: Queryable, p: NewPhoto): Promise<{ created: boolean; meta: PhotoMeta }> {
  const ins = await q.query(
    `INSERT INTO photos (id, owner_id, content_type, bytes, size_bytes, width, height, sha256, stripped, purpose,
                         incident_id, report_id, taken_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (id) DO NOTHING`,
    [
      p.id,
      p.ownerId,
      p.contentType,
      p.bytes,
      p.bytes.length,
      p.width,
      p.height,
      p.sha256,
      p.stripped,
      p.purpose,
      p.incidentId,
      p.reportId,
      p.takenAt,
    ],
  );
  const meta = await photoMeta(q, p.id);
  if (!meta) throw new Error(`photo ${p.id} vanished after insert`);
  return { created: ins.rowCount > 0, meta };
}

export async function photoMeta(q: Queryable, id: string): Promise<PhotoMeta | null> {
  const res = await q.query<Record<string, unknown>>(`SELECT ${META_COLUMNS} FROM photos p WHERE p.id = $1`, [
    id,
  ]);
  return res.rows[0] ? metaOf(res.rows[0]) : null;
}

export async function photoBytes(q: Queryable, id: string): Promise<Uint8Array | null> {
  const res = await q.query<{ bytes: Uint8Array }>('SELECT bytes FROM photos WHERE id = $1', [id]);
  return res.rows[0]?.bytes ?? null;
}

/** Where a photo's report or incident lies, and who reported and was assigned it. */
export interface PhotoLink {
  incidentId: string | null;
  area: AreaRef | null;
  assigneeId: string | null;
}

/**
 * Resolves what a photo belongs to: its incident (named directly, or created from the report whose
 * id it carries: a river incident keeps the report's id as source_id, a manual one the reporter's id
 * and the client's id, `<reporter>:<id>`, so only the reporter's own photos attach by report id), else the river
 * report itself (its segment and reporter). `area` null: the report has not arrived yet.
 */
export async function photoLink(
  q: Queryable,
  photo: Pick<PhotoMeta, 'incidentId' | 'reportId' | 'ownerId'>,
): Promise<PhotoLink> {
  const inc = await q.query<{
    id: string;
    community_id: string | null;
    grid_id: string | null;
    segment_id: string | null;
    police_post_id: string | null;
    reported_by: string | null;
    assignee_id: string | null;
  }>(
    `SELECT id, community_id, grid_id, segment_id, police_post_id, reported_by, assignee_id FROM incidents
      WHERE id = $1
         OR (source = 'river' AND source_id = $2)
         OR (source = 'manual' AND source_id = $3 || ':' || $2)
      ORDER BY (id = $1) DESC LIMIT 1`,
    [photo.incidentId, photo.reportId, photo.ownerId],
  );
  const i = inc.rows[0];
  if (i) {
    return {
      incidentId: i.id,
      assigneeId: i.assignee_id,
      area: {
        personId: i.reported_by,
        communityId: i.community_id,
        gridId: i.grid_id,
        segmentId: i.segment_id,
        policePostId: i.police_post_id,
      },
    };
  }
  if (photo.reportId) {
    const rr = await q.query<{ segment_id: string; person_id: string | null }>(
      'SELECT segment_id, person_id FROM river_reports WHERE message_id = $1',
      [photo.reportId],
    );
    const r = rr.rows[0];
    if (r)
      return { incidentId: null, assigneeId: null, area: { segmentId: r.segment_id, personId: r.person_id } };
  }
  return { incidentId: null, assigneeId: null, area: null };
}

/** Metadata of the photos attached to an incident (directly or through its report's id). */
export async function photosOfIncident(q: Queryable, incidentId: string): Promise<PhotoMeta[]> {
  const res = await q.query<Record<string, unknown>>(
    `SELECT ${META_COLUMNS} FROM photos p
      WHERE p.incident_id = $1
         OR EXISTS (SELECT 1 FROM incidents i WHERE i.id = $1 AND p.report_id IS NOT NULL
                      AND ((i.source = 'river' AND i.source_id = p.report_id)
                        OR (i.source = 'manual' AND i.source_id = p.owner_id || ':' || p.report_id)))
      ORDER BY p.created_at, p.id LIMIT 100`,
    [incidentId],
  );
  return res.rows.map(metaOf);
}

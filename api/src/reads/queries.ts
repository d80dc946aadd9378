import type { Queryable } from '@wardmap/db';
import { isAdmin, type Principal } from '../auth/principal.ts';
import { iso } from '../sql/iso.ts';

export interface ReadWindow {
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
}

const TIMES = ['at', 'receivedAt', 'startedAt', 'endedAt', 'updatedAt'] as const;

function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const out = { ...row };
  for (const k of TIMES) if (k in out) out[k] = iso(out[k]);
  return out;
}

/**
 * The caller's area as a SQL condition over whichever area columns a table has (same rule as
 * `canSee`: own rows, own community, grid, river segments or police post); admins see all.
 * Values are appended to `params`.
 */
function areaWhere(
  p: Principal,
  params: unknown[],
  cols: { person?: string; community?: string; grid?: string; segment?: string; post?: string },
): string {
  if (isAdmin(p)) return 'true';
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const or: string[] = [];
  if (cols.person) or.push(`${cols.person} = ${add(p.id)}`);
  if (cols.community) or.push(`${cols.community} = ANY(${add(p.communityIds)}::text[])`);
  if (cols.grid && p.gridId) or.push(`${cols.grid} = ${add(p.gridId)}`);
  if (cols.segment) or.push(`${cols.segment} = ANY(${add(p.segmentIds)}::text[])`);
  if (cols.post && p.policePostId) or.push(`${cols.post} = ${add(p.policePostId)}`);
  return or.length ? `(${or.join(' OR ')})` : 'false';
}

const loc = (col: string) =>
  `CASE WHEN ${col} IS NULL THEN NULL ELSE json_build_array(ST_X(${col}), ST_Y(${col})) END AS location`;

type AreaColumns = Parameters<typeof areaWhere>[2];

/**
 * One of the raw reads: `columns` of `table`, newest first (by `at`, then `tieBreak`), optionally of
 * one device (`deviceColumn` = `deviceId`), within [since, until], in the caller's area.
 */
async function listWindow(
  q: Queryable,
  p: Principal,
  f: ReadWindow,
  read: {
    table: string;
    columns: string;
    deviceColumn: string;
    deviceId: string | undefined;
    tieBreak: string;
    area: AreaColumns;
  },
) {
  const params: unknown[] = [read.deviceId ?? null, f.since ?? null, f.until ?? null, f.limit];
  const area = areaWhere(p, params, read.area);
  const res = await q.query<Record<string, unknown>>(
    `SELECT ${read.columns}
       FROM ${read.table}
      WHERE ($1::text IS NULL OR ${read.deviceColumn} = $1)
        AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at <= $3) AND ${area}
      ORDER BY at DESC, ${read.tieBreak} LIMIT $4`,
    params,
  );
  return res.rows.map(normalise);
}

/** Check-ins, newest first, optionally of one person, within [since, until]. */
export function listCheckins(q: Queryable, f: ReadWindow & { personId?: string | undefined }, p: Principal) {
  return listWindow(q, p, f, {
    table: 'checkins',
    columns: `message_id AS "messageId", person_id AS "personId", device, source, kind, ${loc('geom')},
            accuracy, battery, altitude, speed, heading, at, received_at AS "receivedAt", patrol_id AS "patrolId",
            grid_id AS "gridId", community_id AS "communityId", region`,
    deviceColumn: 'person_id',
    deviceId: f.personId,
    tieBreak: 'message_id',
    area: { person: 'person_id', community: 'community_id', grid: 'grid_id' },
  });
}

/** Camera alerts, newest first, optionally of one camera. */
export function listCameraAlerts(
  q: Queryable,
  f: ReadWindow & { cameraId?: string | undefined },
  p: Principal,
) {
  return listWindow(q, p, f, {
    table: 'camera_alerts',
    columns: `id, camera_id AS "cameraId", source, label, sub_label AS "subLabel", score, top_score AS "topScore",
            state, zones, snapshot_url AS "snapshotUrl", has_clip AS "hasClip", false_positive AS "falsePositive",
            started_at AS "startedAt", ended_at AS "endedAt", at, received_at AS "receivedAt", updated_at AS "updatedAt",
            ${loc('geom')}, grid_id AS "gridId", community_id AS "communityId", police_post_id AS "policePostId",
            incident_id AS "incidentId"`,
    deviceColumn: 'camera_id',
    deviceId: f.cameraId,
    tieBreak: 'id',
    area: { community: 'community_id', grid: 'grid_id', post: 'police_post_id' },
  });
}

/** River reports, newest first, optionally of one segment. */
export function listRiverReports(
  q: Queryable,
  f: ReadWindow & { segmentId?: string | undefined },
  p: Principal,
) {
  return listWindow(q, p, f, {
    table: 'river_reports',
    columns: `message_id AS "messageId", segment_id AS "segmentId", person_id AS "personId", type, issue, count,
            tons, severity, note, photo_url AS "photoUrl", ${loc('geom')}, at, received_at AS "receivedAt",
            patrol_id AS "patrolId", incident_id AS "incidentId"`,
    deviceColumn: 'segment_id',
    deviceId: f.segmentId,
    tieBreak: 'message_id',
    area: { person: 'person_id', segment: 'segment_id' },
  });
}

/** Dead letters, newest first, with the stored reason and the payload (as UTF-8 text and base64). */
export async function listDeadLetters(q: Queryable, f: ReadWindow) {
  const res = await q.query<Record<string, unknown> & { payload: Uint8Array | null }>(
    `SELECT id, topic, payload, stage, reason, source, client_id AS "clientId", received_at AS "receivedAt",
            payload_length AS "payloadLength", payload_sha256 AS "payloadSha256"
       FROM dead_letters
      WHERE ($1::timestamptz IS NULL OR received_at >= $1) AND ($2::timestamptz IS NULL OR received_at <= $2)
      ORDER BY received_at DESC, id DESC LIMIT $3`,
    [f.since ?? null, f.until ?? null, f.limit],
  );
  return res.rows.map(({ payload, ...row }) => {
    const bytes = payload ? Buffer.from(payload) : null;
    return normalise({
      ...row,
      payload: bytes ? bytes.toString('utf8') : null,
      payloadBase64: bytes ? bytes.toString('base64') : null,
    });
  });
}

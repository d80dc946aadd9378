import { createHash } from 'node:crypto';
import { claimCtes, type Queryable } from '@wardmap/db';
import { MAX_CHANGE_NOTICE_IDS } from '@wardmap/geo';
import { gridPatrolId } from '../ids.ts';
import type { CheckinItem } from '../items.ts';
import { closeGridPatrols, openGridPatrols, rebuildGridPatrols } from './grid-patrols.ts';
import { gridAtLateral, point } from './sql.ts';
import { type Accepted, type Box, type Change, changed, changedSummary } from './types.ts';

export interface CheckinWriteResult {
  inserted: number;
  duplicates: number;
  /** Check-ins whose id was stored before (or earlier in the batch) with different content. */
  conflicts: Array<{ accepted: Accepted<CheckinItem>; reason: string }>;
  /** Check-ins, positions and grid patrols written. */
  changes: Change[];
}

/** Check-ins of one batch made ready for the database (pure JS, done before the writer's turn). */
export interface PreparedCheckins {
  accepted: number;
  rows: ReadonlyArray<Accepted<CheckinItem>>;
  /** Same id as an earlier message of the batch but different content: dead-lettered as conflicts. */
  conflicts: ReadonlyArray<Accepted<CheckinItem>>;
  /** The rows as one JSON parameter. */
  json: string;
}

/** Fingerprint of what a check-in says (everything but when it was received). */
export function checkinDigest(c: CheckinItem): string {
  const content = [
    c.personId,
    c.device,
    c.source,
    c.kind,
    c.lon,
    c.lat,
    c.accuracy,
    c.battery,
    c.altitude,
    c.speed,
    c.heading,
    c.at,
    c.patrolId,
    c.region,
  ];
  return createHash('sha1').update(JSON.stringify(content)).digest('base64url');
}

/**
 * One check-in as a JSON object with one-letter keys (see the column list of `json_to_recordset`
 * below) and without its null fields: PostgreSQL parses this text on the writers' critical path,
 * so fewer bytes mean a shorter turn.
 */
function rowJson(r: Accepted<CheckinItem>, digest: string): string {
  const c = r.item;
  const o: Record<string, string | number> = {
    m: c.messageId,
    p: c.personId,
    s: c.source,
    k: c.kind,
    x: c.lon,
    y: c.lat,
    a: c.at,
    r: r.receivedAt.toISOString(),
    g: digest,
  };
  if (c.device !== null) o.d = c.device;
  if (c.accuracy !== null) o.ac = c.accuracy;
  if (c.battery !== null) o.b = c.battery;
  if (c.altitude !== null) o.al = c.altitude;
  if (c.speed !== null) o.sp = c.speed;
  if (c.heading !== null) o.h = c.heading;
  if (c.patrolId !== null) o.pa = c.patrolId;
  if (c.region !== null) o.re = c.region;
  return JSON.stringify(o);
}

/**
 * One row per message id (a redelivery can land in the same batch; so can a re-send of the id with
 * other content, which is a conflict), encoded as one JSON parameter: V8's JSON.stringify is
 * native, whereas 16 array parameters are serialised element by element in JS when the statement
 * is sent.
 */
export function prepareCheckins(accepted: ReadonlyArray<Accepted<CheckinItem>>): PreparedCheckins {
  const seen = new Map<string, string>();
  const rows: Array<Accepted<CheckinItem>> = [];
  const conflicts: Array<Accepted<CheckinItem>> = [];
  const parts: string[] = [];
  for (const a of accepted) {
    // OwnTracks has no message id: ours is derived from (user, device, tst, _type), so two fixes of
    // one second share it by design and the first one stands (see stableOwnTracksMessageId). Only a
    // sender's own ids can conflict.
    const digest = a.item.messageId.startsWith('ot:') ? '' : checkinDigest(a.item);
    const first = seen.get(a.item.messageId);
    if (first === undefined) {
      seen.set(a.item.messageId, digest);
      rows.push(a);
      parts.push(rowJson(a, digest));
    } else if (first !== digest) {
      conflicts.push(a);
    }
  }
  const json = parts.length ? `[${parts.join(',')}]` : '[]';
  return { accepted: accepted.length, rows, conflicts, json };
}

/**
 * Writes check-ins idempotently (PK (message_id, at): a redelivery is a no-op), enriched with grid
 * and community in the same statement, updates latest positions (never with an older device
 * time), and maintains grid patrol sessions from start/end check-ins.
 */
export async function writeCheckins(
  q: Queryable,
  prepared: PreparedCheckins,
  /** A stored position later than this is implausible (pinned by a bad clock): any check-in replaces it. */
  latestPlausible: Date,
): Promise<CheckinWriteResult> {
  if (prepared.accepted === 0) return { inserted: 0, duplicates: 0, conflicts: [], changes: [] };
  const rows = prepared.rows;
  const starts = rows.filter((r) => r.item.kind === 'start');
  const ends = rows.filter((r) => r.item.kind === 'end');
  const opened = starts.length
    ? await openGridPatrols(
        q,
        starts.map((r) => ({
          ...r.item,
          patrolId: r.item.patrolId ?? gridPatrolId(r.item.personId, r.item.at),
        })),
      )
    : [];
  const closed = ends.length
    ? await closeGridPatrols(
        q,
        ends.map((r) => r.item),
      )
    : [];

  const res = await q.query<{
    inserted: number;
    inserted_ids: string[] | null;
    inserted_box: Array<number | null> | null;
    patrols: string[] | null;
    positions: string[] | null;
    positions_box: Array<number | null> | null;
    conflicts: Array<{ m: string; at: string }> | string | null;
  }>(
    `WITH parsed AS (
       SELECT t.m AS message_id, t.p AS person_id, t.d AS device, t.s AS source, t.k AS kind, t.x AS lon,
              t.y AS lat, t.ac AS accuracy, t.b AS battery, t.al AS altitude, t.sp AS speed, t.h AS heading,
              t.a AS at, t.r AS received_at, t.pa AS patrol_id, t.re AS region, t.g AS digest,
              ${point('t.x', 't.y')} AS geom
         FROM json_to_recordset($1::json)
           AS t(m text, p text, d text, s text, k text, x float8, y float8, ac float8, b float8, al float8,
                sp float8, h float8, a timestamptz, r timestamptz, pa text, re text, g text)
     ), ${claimCtes('parsed')}, input AS (
       SELECT * FROM parsed WHERE message_id IN (SELECT message_id FROM claims)
     ), enriched AS (
       SELECT i.*, g.id AS grid_id, g.community_id,
              coalesce(i.patrol_id, (
                SELECT p.id FROM patrols p
                 WHERE p.person_id = i.person_id AND p.kind = 'grid' AND p.started_at <= i.at
                   AND (p.ended_at IS NULL OR p.ended_at >= i.at)
                 ORDER BY p.started_at DESC LIMIT 1)) AS pid
         FROM input i ${gridAtLateral('i.geom')}
     ), ins AS (
       INSERT INTO checkins (message_id, person_id, device, source, kind, geom, accuracy, battery, altitude, speed,
                             heading, at, received_at, patrol_id, grid_id, community_id, region)
       SELECT message_id, person_id, device, source, kind, geom, accuracy, battery, altitude, speed,
              heading, at, received_at, pid, grid_id, community_id, region
         FROM enriched
       ON CONFLICT DO NOTHING
       RETURNING message_id, patrol_id, geom
     ), pos AS (
       INSERT INTO positions AS p (person_id, device, geom, accuracy, battery, speed, heading, at, received_at,
                                   grid_id, online, message_id)
       SELECT DISTINCT ON (person_id) person_id, device, geom, accuracy, battery, speed, heading, at, received_at,
              grid_id, true, message_id
         FROM enriched ORDER BY person_id, at DESC, message_id DESC
       ON CONFLICT (person_id) DO UPDATE SET device = excluded.device, geom = excluded.geom,
         accuracy = excluded.accuracy, battery = excluded.battery, speed = excluded.speed,
         heading = excluded.heading, at = excluded.at, received_at = excluded.received_at,
         grid_id = excluded.grid_id, online = true, message_id = excluded.message_id
       -- Never backwards in device time; but a position stamped in the implausible future (from before
       -- plausibility checks, or a changed setting) must not pin the person there forever.
       WHERE excluded.at > p.at OR p.at > $3::timestamptz
       RETURNING person_id, geom
     )
     -- What the change notices need (count, the first ids, extent), summed up here rather than
     -- shipping every id back: this runs while other writers wait for their turn.
     SELECT (SELECT count(*)::int FROM ins) AS inserted,
            (SELECT array_agg(message_id) FROM (SELECT message_id FROM ins LIMIT $2) f) AS inserted_ids,
            (SELECT ARRAY[min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)), max(ST_Y(geom))] FROM ins) AS inserted_box,
            (SELECT array_agg(DISTINCT patrol_id) FROM ins WHERE patrol_id IS NOT NULL) AS patrols,
            (SELECT array_agg(person_id) FROM pos) AS positions,
            (SELECT ARRAY[min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)), max(ST_Y(geom))] FROM pos) AS positions_box,
            (SELECT json_agg(json_build_object('m', message_id, 'at', first_at)) FROM conflicts) AS conflicts`,
    [prepared.json, MAX_CHANGE_NOTICE_IDS, latestPlausible.toISOString()],
  );
  const out = res.rows[0];
  const inserted = out?.inserted ?? 0;
  const posIds = out?.positions ?? [];
  const changes = [
    ...changedSummary('checkins', out?.inserted_ids ?? [], inserted, box(out?.inserted_box)),
    ...changedSummary('positions', posIds, posIds.length, box(out?.positions_box)),
  ];

  const touched = new Set<string>([...opened, ...closed, ...(out?.patrols ?? [])]);
  if (touched.size) changes.push(...changed('patrols', await rebuildGridPatrols(q, [...touched], opened)));
  const conflicts = conflictsOf(prepared, out?.conflicts ?? null);
  return { inserted, duplicates: prepared.accepted - inserted - conflicts.length, conflicts, changes };
}

function conflictsOf(
  prepared: PreparedCheckins,
  stored: Array<{ m: string; at: string }> | string | null,
): CheckinWriteResult['conflicts'] {
  const out: CheckinWriteResult['conflicts'] = prepared.conflicts.map((a) => ({
    accepted: a,
    reason: `id: message id '${a.item.messageId}' arrived twice in one batch with different content`,
  }));
  // json comes back parsed from pg and as text from some drivers.
  const list = typeof stored === 'string' ? (JSON.parse(stored) as Array<{ m: string; at: string }>) : stored;
  if (!list?.length) return out;
  const firstAt = new Map(list.map((c) => [c.m, c.at]));
  for (const r of prepared.rows) {
    const at = firstAt.get(r.item.messageId);
    if (at === undefined) continue;
    out.push({
      accepted: r,
      reason: `id: message id '${r.item.messageId}' was already stored with different content (device time ${new Date(at).toISOString()}); this one says ${r.item.at}`,
    });
  }
  return out;
}

/** `[minLon, minLat, maxLon, maxLat]` from SQL, or undefined when nothing changed. */
function box(b: Array<number | null> | null | undefined): Box | undefined {
  if (b?.length !== 4 || b.some((v) => v === null)) return undefined;
  return b as Box;
}

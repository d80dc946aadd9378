import type { Queryable } from '@wardmap/db';
import { gridPatrolId } from '../ids.ts';
import type { CheckinItem } from '../items.ts';
import { closeGridPatrols, openGridPatrols, rebuildGridPatrols } from './grid-patrols.ts';
import { gridAtLateral, point } from './sql.ts';
import type { Accepted, ChangeSet } from './types.ts';

export interface CheckinWriteResult {
  inserted: number;
  duplicates: number;
}

/**
 * Writes check-ins idempotently (PK (message_id, at): a redelivery is a no-op), enriched with grid
 * and community in the same statement, updates latest positions (never with an older device
 * time), and maintains grid patrol sessions from start/end check-ins.
 */
export async function writeCheckins(
  q: Queryable,
  accepted: ReadonlyArray<Accepted<CheckinItem>>,
  changes: ChangeSet,
): Promise<CheckinWriteResult> {
  if (accepted.length === 0) return { inserted: 0, duplicates: 0 };
  // One row per message id within the batch (a redelivery can land in the same batch).
  const seen = new Set<string>();
  const rows: Array<Accepted<CheckinItem>> = [];
  for (const a of accepted) {
    const key = `${a.item.messageId}\u0000${a.item.at}`;
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(a);
    }
  }
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

  const it = rows.map((r) => r.item);
  const res = await q.query<{
    inserted: string[] | null;
    patrols: string[] | null;
    positions: string[] | null;
  }>(
    `WITH input AS (
       SELECT t.*, ${point('t.lon', 't.lat')} AS geom
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                     $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::timestamptz[],
                     $14::timestamptz[], $15::text[], $16::text[])
           AS t(message_id, person_id, device, source, kind, lon, lat, accuracy, battery, altitude, speed, heading,
                at, received_at, patrol_id, region)
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
       RETURNING message_id, patrol_id
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
       WHERE excluded.at > p.at
       RETURNING person_id
     )
     SELECT (SELECT array_agg(message_id) FROM ins) AS inserted,
            (SELECT array_agg(DISTINCT patrol_id) FROM ins WHERE patrol_id IS NOT NULL) AS patrols,
            (SELECT array_agg(person_id) FROM pos) AS positions`,
    [
      it.map((c) => c.messageId),
      it.map((c) => c.personId),
      it.map((c) => c.device),
      it.map((c) => c.source),
      it.map((c) => c.kind),
      it.map((c) => c.lon),
      it.map((c) => c.lat),
      it.map((c) => c.accuracy),
      it.map((c) => c.battery),
      it.map((c) => c.altitude),
      it.map((c) => c.speed),
      it.map((c) => c.heading),
      it.map((c) => c.at),
      rows.map((r) => r.receivedAt.toISOString()),
      it.map((c) => c.patrolId),
      it.map((c) => c.region),
    ],
  );
  const out = res.rows[0] ?? { inserted: null, patrols: null, positions: null };
  const inserted = out.inserted ?? [];
  const byId = new Map(it.map((c) => [c.messageId, c] as const));
  const pts = inserted.flatMap((id) => {
    const c = byId.get(id);
    return c ? [[c.lon, c.lat] as const] : [];
  });
  changes.add('checkins', inserted, pts);
  const posIds = out.positions ?? [];
  if (posIds.length) {
    const latest = new Map<string, CheckinItem>();
    for (const c of it) {
      const prev = latest.get(c.personId);
      if (!prev || c.at > prev.at) latest.set(c.personId, c);
    }
    changes.add(
      'positions',
      posIds,
      posIds.flatMap((p) => {
        const c = latest.get(p);
        return c ? [[c.lon, c.lat] as const] : [];
      }),
    );
  }

  const touched = new Set<string>([...opened, ...closed, ...(out.patrols ?? [])]);
  if (touched.size) {
    const rebuilt = await rebuildGridPatrols(q, [...touched], opened);
    changes.add('patrols', rebuilt);
  }
  return { inserted: inserted.length, duplicates: accepted.length - inserted.length };
}

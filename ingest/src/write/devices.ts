import type { Queryable } from '@wardmap/db';
import type { CheckinItem, DeviceOfflineItem } from '../items.ts';
import { type Accepted, type Change, changed } from './types.ts';

/**
 * OwnTracks device state. An lwt's tst is when the device had *connected*, so device time cannot
 * order online/offline: server receipt time does (`status_at`). A location received after the lwt
 * brings the device back online.
 */
export async function writeDeviceStatus(
  q: Queryable,
  seen: ReadonlyArray<Accepted<CheckinItem>>,
  offline: ReadonlyArray<Accepted<DeviceOfflineItem>>,
): Promise<{ offlineApplied: number; duplicates: number; changes: Change[] }> {
  const online = new Map<string, Accepted<CheckinItem>>();
  for (const a of seen) {
    if (a.item.device === null) continue;
    const key = `${a.item.personId}\u0000${a.item.device}`;
    const prev = online.get(key);
    if (!prev || a.item.at > prev.item.at) online.set(key, a);
  }
  if (online.size) {
    const rows = [...online.values()];
    await q.query(
      `INSERT INTO devices AS d (person_id, device, online, last_seen_at, status_at)
       SELECT person_id, device, true, at, received_at
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS t(person_id, device, at, received_at)
       ON CONFLICT (person_id, device) DO UPDATE SET
         last_seen_at = greatest(d.last_seen_at, excluded.last_seen_at),
         online = CASE WHEN d.status_at IS NULL OR excluded.status_at >= d.status_at THEN true ELSE d.online END,
         status_at = greatest(d.status_at, excluded.status_at)`,
      [
        rows.map((r) => r.item.personId),
        rows.map((r) => r.item.device),
        rows.map((r) => r.item.at),
        rows.map((r) => r.receivedAt.toISOString()),
      ],
    );
  }
  if (offline.length === 0) return { offlineApplied: 0, duplicates: 0, changes: [] };
  // lwt updates a row instead of inserting one: processed_messages recognises a redelivery.
  const fresh = await q.query<{ message_id: string }>(
    `INSERT INTO processed_messages (message_id, topic, received_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
     ON CONFLICT DO NOTHING RETURNING message_id`,
    [
      offline.map((o) => o.item.messageId),
      offline.map((o) => o.entry.topic),
      offline.map((o) => o.receivedAt.toISOString()),
    ],
  );
  const freshIds = new Set(fresh.rows.map((r) => r.message_id));
  const apply = offline.filter((o) => freshIds.has(o.item.messageId));
  const changes: Change[] = [];
  if (apply.length) {
    const res = await q.query<{ person_id: string }>(
      `WITH t AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(person_id, device, received_at)
       ), dev AS (
         INSERT INTO devices AS d (person_id, device, online, status_at)
         SELECT person_id, device, false, received_at FROM t
         ON CONFLICT (person_id, device) DO UPDATE SET online = false, status_at = excluded.status_at
         WHERE d.status_at IS NULL OR excluded.status_at >= d.status_at
         RETURNING person_id, device
       )
       UPDATE positions p SET online = false FROM dev
        WHERE p.person_id = dev.person_id AND (p.device IS NULL OR p.device = dev.device)
       RETURNING p.person_id`,
      [
        apply.map((o) => o.item.personId),
        apply.map((o) => o.item.device),
        apply.map((o) => o.receivedAt.toISOString()),
      ],
    );
    changes.push(
      ...changed(
        'positions',
        res.rows.map((r) => r.person_id),
      ),
    );
  }
  return { offlineApplied: apply.length, duplicates: offline.length - apply.length, changes };
}

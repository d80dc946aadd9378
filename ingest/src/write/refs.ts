import type { Queryable } from '@wardmap/db';
import type { IngestItem } from '../items.ts';

/** Which referenced people, cameras and segments exist (one query per kind present in the batch). */
export interface KnownRefs {
  people: Set<string>;
  /** Camera id or Frigate name -> camera id. */
  cameras: Map<string, string>;
  /** Segment id -> its chief (may be null). */
  segments: Map<string, string | null>;
}

export async function loadRefs(q: Queryable, items: readonly IngestItem[]): Promise<KnownRefs> {
  const people = new Set<string>();
  const cameraNames = new Set<string>();
  const segmentIds = new Set<string>();
  for (const it of items) {
    if (it.type === 'checkin' || it.type === 'device-offline') people.add(it.personId);
    else if (it.type === 'camera-alert') cameraNames.add(it.cameraName);
    else if (it.type === 'river-report') {
      segmentIds.add(it.segmentId);
      if (it.personId) people.add(it.personId);
    }
  }
  const refs: KnownRefs = { people: new Set(), cameras: new Map(), segments: new Map() };
  if (people.size) {
    // A deactivated person's messages (still queued, or from a session that outlived the
    // deactivation) are refused like an unknown person's.
    const r = await q.query<{ id: string }>('SELECT id FROM people WHERE id = ANY($1::text[]) AND active', [
      [...people],
    ]);
    for (const row of r.rows) refs.people.add(row.id);
  }
  if (cameraNames.size) {
    const r = await q.query<{ id: string; frigate_name: string | null }>(
      'SELECT id, frigate_name FROM cameras WHERE id = ANY($1::text[]) OR frigate_name = ANY($1::text[])',
      [[...cameraNames]],
    );
    // A camera's own id wins over another camera's Frigate name.
    for (const row of r.rows)
      if (row.frigate_name && !refs.cameras.has(row.frigate_name)) refs.cameras.set(row.frigate_name, row.id);
    for (const row of r.rows) refs.cameras.set(row.id, row.id);
  }
  if (segmentIds.size) {
    const r = await q.query<{ id: string; chief_id: string | null }>(
      'SELECT id, chief_id FROM river_segments WHERE id = ANY($1::text[])',
      [[...segmentIds]],
    );
    for (const row of r.rows) refs.segments.set(row.id, row.chief_id);
  }
  return refs;
}

/** The reason an item names something unknown, or null when every reference exists. */
export function unknownReference(item: IngestItem, refs: KnownRefs): string | null {
  switch (item.type) {
    case 'checkin':
    case 'device-offline':
      return refs.people.has(item.personId)
        ? null
        : `personId: unknown or inactive person '${item.personId}'`;
    case 'camera-alert':
      return refs.cameras.has(item.cameraName) ? null : `camera: unknown camera '${item.cameraName}'`;
    case 'river-report':
      if (!refs.segments.has(item.segmentId)) return `segmentId: unknown river segment '${item.segmentId}'`;
      if (item.personId && !refs.people.has(item.personId))
        return `personId: unknown or inactive person '${item.personId}'`;
      return null;
    case 'camera-availability':
      return null;
  }
}

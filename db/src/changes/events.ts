import type { ChangeNotice, StreamEvent } from '@wardmap/geo';
import type { Queryable } from '../types.ts';
import { INCIDENT_COLUMNS, type IncidentRow, incidentView } from './incident-view.ts';

/** An event to persist, with the area columns the per-caller filter reads. */
export interface EventDraft {
  event: StreamEvent;
  personId?: string | null;
  communityId?: string | null;
  gridId?: string | null;
  segmentId?: string | null;
  policePostId?: string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();

/**
 * Turns one change notice into typed stream events by reading the committed rows it names. Check-in
 * notices produce nothing of their own: ingest's positions notice of the same batch carries them.
 */
export async function buildEvents(q: Queryable, n: ChangeNotice): Promise<EventDraft[]> {
  switch (n.kind) {
    case 'positions':
      return positionEvents(q, n.ids);
    case 'camera_alerts':
      return alertEvents(q, n.ids);
    case 'incidents':
      return incidentEvents(q, n.ids, n.at);
    case 'cameras':
      return cameraEvents(q, n.ids);
    case 'patrols':
      return segmentEvents(
        q,
        'SELECT DISTINCT segment_id AS id FROM patrols WHERE id = ANY($1) AND segment_id IS NOT NULL',
        n.ids,
        n.at,
      );
    case 'river_reports':
      return segmentEvents(
        q,
        'SELECT DISTINCT segment_id AS id FROM river_reports WHERE message_id = ANY($1)',
        n.ids,
        n.at,
      );
    default:
      return [];
  }
}

async function positionEvents(q: Queryable, ids: string[]): Promise<EventDraft[]> {
  const res = await q.query<{
    person_id: string;
    lon: number;
    lat: number;
    accuracy: number | null;
    battery: number | null;
    at: Date;
    grid_id: string | null;
    community_id: string | null;
    online: boolean;
  }>(
    `SELECT p.person_id, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, p.accuracy, p.battery, p.at, p.grid_id,
            g.community_id, p.online
       FROM positions p LEFT JOIN grids g ON g.id = p.grid_id WHERE p.person_id = ANY($1)`,
    [ids],
  );
  return res.rows.map((r) => ({
    event: {
      type: 'position',
      at: iso(r.at),
      personId: r.person_id,
      location: [r.lon, r.lat],
      accuracy: r.accuracy,
      battery: r.battery,
      gridId: r.grid_id,
      online: r.online,
    },
    personId: r.person_id,
    gridId: r.grid_id,
    communityId: r.community_id,
  }));
}

async function alertEvents(q: Queryable, ids: string[]): Promise<EventDraft[]> {
  const res = await q.query<{
    id: string;
    camera_id: string;
    label: string;
    score: number | null;
    state: 'new' | 'update' | 'end';
    at: Date;
    lon: number | null;
    lat: number | null;
    grid_id: string | null;
    community_id: string | null;
    police_post_id: string | null;
    incident_id: string | null;
  }>(
    `SELECT a.id, a.camera_id, a.label, a.score, a.state, a.at, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat,
            a.grid_id, a.community_id, coalesce(a.police_post_id, c.police_post_id) AS police_post_id, a.incident_id
       FROM camera_alerts a LEFT JOIN cameras c ON c.id = a.camera_id WHERE a.id = ANY($1)`,
    [ids],
  );
  return res.rows.map((r) => ({
    event: {
      type: 'alert',
      at: iso(r.at),
      alertId: r.id,
      cameraId: r.camera_id,
      label: r.label,
      score: r.score,
      state: r.state,
      location: r.lon === null || r.lat === null ? null : [r.lon, r.lat],
      gridId: r.grid_id,
      communityId: r.community_id,
      policePostId: r.police_post_id,
      incidentId: r.incident_id,
    },
    gridId: r.grid_id,
    communityId: r.community_id,
    policePostId: r.police_post_id,
  }));
}

async function incidentEvents(q: Queryable, ids: string[], at: string): Promise<EventDraft[]> {
  const res = await q.query<IncidentRow & { action: string | null }>(
    `SELECT ${INCIDENT_COLUMNS},
            (SELECT e.action FROM incident_events e WHERE e.incident_id = i.id ORDER BY e.at DESC, e.id DESC LIMIT 1) AS action
       FROM incidents i WHERE i.id = ANY($1)`,
    [ids],
  );
  const drafts: EventDraft[] = res.rows.map((r) => ({
    event: { type: 'incident', at: iso(r.updated_at), action: r.action, incident: incidentView(r) },
    communityId: r.community_id,
    gridId: r.grid_id,
    segmentId: r.segment_id,
    policePostId: r.police_post_id,
  }));
  const grids = [...new Set(res.rows.map((r) => r.grid_id).filter((g): g is string => !!g))];
  const segments = [...new Set(res.rows.map((r) => r.segment_id).filter((s): s is string => !!s))];
  if (grids.length) drafts.push(...(await gridEvents(q, grids, at)));
  if (segments.length) drafts.push(...(await segmentStatus(q, segments, at)));
  return drafts;
}

async function gridEvents(q: Queryable, gridIds: string[], at: string): Promise<EventDraft[]> {
  const res = await q.query<{ id: string; community_id: string; open: number; inside: number }>(
    `SELECT g.id, g.community_id,
            (SELECT count(*)::int FROM incidents i WHERE i.grid_id = g.id
                AND i.state IN ('open', 'acknowledged', 'dispatched')) AS open,
            (SELECT count(*)::int FROM positions p WHERE p.grid_id = g.id AND p.online) AS inside
       FROM grids g WHERE g.id = ANY($1)`,
    [gridIds],
  );
  return res.rows.map((r) => ({
    event: {
      type: 'grid_status',
      at,
      gridId: r.id,
      communityId: r.community_id,
      openIncidents: r.open,
      patrollersInside: r.inside,
    },
    gridId: r.id,
    communityId: r.community_id,
  }));
}

async function segmentEvents(q: Queryable, sql: string, ids: string[], at: string): Promise<EventDraft[]> {
  const res = await q.query<{ id: string }>(sql, [ids]);
  return segmentStatus(
    q,
    res.rows.map((r) => r.id),
    at,
  );
}

async function segmentStatus(q: Queryable, segmentIds: string[], at: string): Promise<EventDraft[]> {
  if (segmentIds.length === 0) return [];
  const res = await q.query<{ id: string; chief_id: string | null; last: Date | null; open: number }>(
    `SELECT s.id, s.chief_id,
            (SELECT max(p.ended_at) FROM patrols p WHERE p.segment_id = s.id AND p.status = 'closed') AS last,
            (SELECT count(*)::int FROM incidents i WHERE i.segment_id = s.id
                AND i.state IN ('open', 'acknowledged', 'dispatched')) AS open
       FROM river_segments s WHERE s.id = ANY($1)`,
    [segmentIds],
  );
  return res.rows.map((r) => ({
    event: {
      type: 'segment_status',
      at,
      segmentId: r.id,
      chiefId: r.chief_id,
      lastPatrolAt: r.last === null ? null : iso(r.last),
      openIssues: r.open,
    },
    segmentId: r.id,
    personId: r.chief_id,
  }));
}

async function cameraEvents(q: Queryable, ids: string[]): Promise<EventDraft[]> {
  const res = await q.query<{
    id: string;
    online: boolean;
    police_post_id: string | null;
    community_id: string | null;
    at: Date | null;
  }>(
    `SELECT c.id, c.online, c.police_post_id, pp.community_id, coalesce(c.status_changed_at, c.last_seen_at) AS at
       FROM cameras c LEFT JOIN police_posts pp ON pp.id = c.police_post_id WHERE c.id = ANY($1)`,
    [ids],
  );
  return res.rows.map((r) => ({
    event: {
      type: 'camera_status',
      at: iso(r.at ?? new Date()),
      cameraId: r.id,
      online: r.online,
      policePostId: r.police_post_id,
    },
    policePostId: r.police_post_id,
    communityId: r.community_id,
  }));
}

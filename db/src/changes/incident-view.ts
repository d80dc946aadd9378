import type { Incident } from '@wardmap/geo';

/** Columns every incident read selects, so rows map to the wire shape in one place. */
export const INCIDENT_COLUMNS = `i.id, i.source, i.source_id, i.category, i.title, i.description, i.severity, i.level,
  i.state, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.grid_id, i.community_id, i.segment_id, i.camera_id,
  i.police_post_id, i.reported_by, i.assignee_id, i.sla_due_at, i.created_at, i.updated_at, i.escalations,
  i.callback_result`;

export interface IncidentRow {
  id: string;
  source: string;
  source_id: string | null;
  category: string;
  title: string;
  description: string | null;
  severity: Incident['severity'];
  level: Incident['level'];
  state: Incident['state'];
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  community_id: string | null;
  segment_id: string | null;
  camera_id: string | null;
  police_post_id: string | null;
  reported_by: string | null;
  assignee_id: string | null;
  sla_due_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  escalations: number;
  callback_result: string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const SOURCE_KIND: Record<string, Incident['source']['kind']> = {
  camera: 'camera_alert',
  river: 'river_report',
};

/** An incident row as the API and the stream return it (IncidentSchema plus post, escalations, call-back). */
export function incidentView(r: IncidentRow): Incident & {
  policePostId: string | null;
  escalations: number;
  callbackResult: string | null;
} {
  return {
    id: r.id,
    category: r.category as Incident['category'],
    level: r.level,
    state: r.state,
    severity: r.severity,
    title: r.title,
    note: r.description,
    location: r.lon === null || r.lat === null ? null : [r.lon, r.lat],
    communityId: r.community_id,
    gridId: r.grid_id,
    segmentId: r.segment_id,
    cameraId: r.camera_id,
    source: { kind: SOURCE_KIND[r.source] ?? 'manual', id: r.source_id },
    reporterId: r.reported_by,
    assigneeId: r.assignee_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    dueAt: r.sla_due_at === null ? null : iso(r.sla_due_at),
    policePostId: r.police_post_id,
    escalations: r.escalations,
    callbackResult: r.callback_result,
  };
}

/** The area an incident lies in, for role checks. */
export function incidentArea(r: IncidentRow) {
  return {
    communityId: r.community_id,
    gridId: r.grid_id,
    segmentId: r.segment_id,
    policePostId: r.police_post_id,
  };
}

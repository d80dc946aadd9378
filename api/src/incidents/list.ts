import type { Queryable } from '@wardmap/db';
import type { Principal } from '../auth/principal.ts';
import { isAdmin } from '../auth/principal.ts';
import { INCIDENT_COLUMNS, type IncidentRow, incidentView } from './view.ts';

export interface IncidentFilter {
  state?: string[] | undefined;
  level?: string | undefined;
  gridId?: string | undefined;
  communityId?: string | undefined;
  segmentId?: string | undefined;
  policePostId?: string | undefined;
  since?: string | undefined;
  limit: number;
}

/** The SQL condition limiting rows to a caller's area (same rule as `canSee`), appended to `params`. */
export function areaCondition(p: Principal | undefined, params: unknown[], alias = 'i'): string {
  if (!p || isAdmin(p)) return 'true';
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  return `(${alias}.community_id = ANY(${add(p.communityIds)}::text[])
    OR ${alias}.grid_id = ${add(p.gridId)} OR ${alias}.segment_id = ANY(${add(p.segmentIds)}::text[])
    OR ${alias}.police_post_id = ${add(p.policePostId)})`;
}

/** Incidents newest first, bounded, filtered by query and by the caller's area (anonymous: public, all). */
export async function listIncidents(q: Queryable, f: IncidentFilter, p: Principal | undefined) {
  const params: unknown[] = [];
  const where = [areaCondition(p, params)];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.state?.length) where.push(`i.state = ANY(${add(f.state)}::text[])`);
  if (f.level) where.push(`i.level = ${add(f.level)}`);
  if (f.gridId) where.push(`i.grid_id = ${add(f.gridId)}`);
  if (f.communityId) where.push(`i.community_id = ${add(f.communityId)}`);
  if (f.segmentId) where.push(`i.segment_id = ${add(f.segmentId)}`);
  if (f.policePostId) where.push(`i.police_post_id = ${add(f.policePostId)}`);
  if (f.since) where.push(`i.updated_at >= ${add(f.since)}`);
  const res = await q.query<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE ${where.join(' AND ')}
      ORDER BY i.created_at DESC, i.id LIMIT ${add(f.limit)}`,
    params,
  );
  return res.rows.map(incidentView);
}

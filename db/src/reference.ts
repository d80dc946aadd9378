import type { Geometry, LonLat, ReferenceGeography, RiverChiefLevel } from '@wardmap/geo';
import type { Queryable } from './types.ts';

// Reference data is written with one statement per table: the rows travel as one JSON
// parameter and are unpacked by jsonb_to_recordset, so a thousand features cost one round trip
// on both backends. Geometries arrive as GeoJSON and are stored as SRID 4326.

const point = (p: LonLat) => ({ type: 'Point', coordinates: p });

async function upsert(q: Queryable, sql: string, rows: unknown[]): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await q.query(sql, [JSON.stringify(rows)]);
  return res.rowCount;
}

export interface CommunityRow {
  id: string;
  name: string;
  kind?: 'resettlement' | 'traditional' | undefined;
  residents?: number | undefined;
  households?: number | undefined;
  geometry: Geometry;
}

/** Inserts or updates communities. */
export function upsertCommunities(q: Queryable, rows: CommunityRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO communities (id, name, kind, residents, households, geom)
     SELECT id, name, coalesce(kind, 'resettlement'), coalesce(residents, 0), coalesce(households, 0),
            ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326))
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, kind text, residents int, households int, geometry jsonb)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, residents = excluded.residents,
       households = excluded.households, geom = excluded.geom`,
    rows,
  );
}

export interface GridRow {
  id: string;
  name: string;
  communityId: string;
  households: number;
  liaisonId?: string | undefined;
  unitLiaisonIds?: string[] | undefined;
  buildingChiefId?: string | undefined;
  geometry: Geometry;
}

/** Inserts or updates management blocks (grids). */
export function upsertGrids(q: Queryable, rows: GridRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO grids (id, name, community_id, households, liaison_id, unit_liaison_ids, building_chief_id, geom)
     SELECT id, name, "communityId", households, "liaisonId",
            coalesce(ARRAY(SELECT jsonb_array_elements_text("unitLiaisonIds")), '{}'), "buildingChiefId",
            ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326))
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, "communityId" text, households int,
            "liaisonId" text, "unitLiaisonIds" jsonb, "buildingChiefId" text, geometry jsonb)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, community_id = excluded.community_id,
       households = excluded.households, liaison_id = excluded.liaison_id,
       unit_liaison_ids = excluded.unit_liaison_ids, building_chief_id = excluded.building_chief_id, geom = excluded.geom`,
    rows,
  );
}

export interface BuildingRow {
  id: string;
  gridId: string;
  name: string;
  households: number;
  geometry: Geometry;
}

/** Inserts or updates buildings. */
export function upsertBuildings(q: Queryable, rows: BuildingRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO buildings (id, grid_id, name, households, geom)
     SELECT id, "gridId", name, households, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326))
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, "gridId" text, name text, households int, geometry jsonb)
     ON CONFLICT (id) DO UPDATE SET grid_id = excluded.grid_id, name = excluded.name,
       households = excluded.households, geom = excluded.geom`,
    rows,
  );
}

export interface OrganisationRow {
  id: string;
  name: string;
  kind: 'party' | 'police' | 'property' | 'resident_unit';
  communityId?: string | null | undefined;
}

/** Inserts or updates the four-in-one partner organisations. */
export function upsertOrganisations(q: Queryable, rows: OrganisationRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO organisations (id, name, kind, community_id)
     SELECT id, name, kind, "communityId"
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, kind text, "communityId" text)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, community_id = excluded.community_id`,
    rows,
  );
}

export interface PolicePostRow {
  id: string;
  name: string;
  location: LonLat;
  communityId?: string | undefined;
  organisationId?: string | undefined;
}

/** Inserts or updates police posts (警务岗). */
export function upsertPolicePosts(q: Queryable, rows: PolicePostRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO police_posts (id, name, community_id, organisation_id, geom)
     SELECT id, name, "communityId", "organisationId", ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, "communityId" text, "organisationId" text, geometry jsonb)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, community_id = excluded.community_id,
       organisation_id = excluded.organisation_id, geom = excluded.geom`,
    rows.map((r) => ({ ...r, geometry: point(r.location) })),
  );
}

export interface CameraRow {
  id: string;
  name: string;
  location: LonLat;
  heading?: number | undefined;
  fov?: number | undefined;
  policePostId?: string | undefined;
  frigateName?: string | undefined;
  passwordHash?: string | undefined;
}

/** Inserts or updates cameras; the Frigate name defaults to the id. A missing password hash keeps the old one. */
export function upsertCameras(q: Queryable, rows: CameraRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO cameras (id, name, geom, heading, fov, police_post_id, frigate_name, password_hash)
     SELECT id, name, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326), heading, fov, "policePostId",
            coalesce("frigateName", id), "passwordHash"
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, geometry jsonb, heading float8, fov float8,
            "policePostId" text, "frigateName" text, "passwordHash" text)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, geom = excluded.geom, heading = excluded.heading,
       fov = excluded.fov, police_post_id = excluded.police_post_id, frigate_name = excluded.frigate_name,
       password_hash = coalesce(excluded.password_hash, cameras.password_hash)`,
    rows.map((r) => ({ ...r, geometry: point(r.location) })),
  );
}

export interface PersonRow {
  id: string;
  name: string;
  roles: string[];
  phone?: string | undefined;
  gridId?: string | undefined;
  organisationId?: string | undefined;
  policePostId?: string | undefined;
  passwordHash?: string | undefined;
}

/** Inserts or updates people. A missing password hash keeps the old one. */
export function upsertPeople(q: Queryable, rows: PersonRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO people (id, name, roles, phone, grid_id, organisation_id, police_post_id, password_hash)
     SELECT id, name, ARRAY(SELECT jsonb_array_elements_text(roles)), phone, "gridId", "organisationId",
            "policePostId", "passwordHash"
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, roles jsonb, phone text, "gridId" text,
            "organisationId" text, "policePostId" text, "passwordHash" text)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, roles = excluded.roles, phone = excluded.phone,
       grid_id = excluded.grid_id, organisation_id = excluded.organisation_id,
       police_post_id = excluded.police_post_id,
       password_hash = coalesce(excluded.password_hash, people.password_hash)`,
    rows,
  );
}

export interface RiverRow {
  id: string;
  name: string;
  geometry: Geometry;
}

/** Inserts or updates rivers. */
export function upsertRivers(q: Queryable, rows: RiverRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO rivers (id, name, geom)
     SELECT id, name, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, geometry jsonb)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, geom = excluded.geom`,
    rows,
  );
}

export interface RiverSegmentRow {
  id: string;
  name: string;
  riverId?: string | undefined;
  chiefId?: string | undefined;
  level: RiverChiefLevel;
  task?: string | undefined;
  standard?: string | undefined;
  geometry: Geometry;
}

/**
 * Inserts or updates river segments. A MultiLineString is merged into one line; one that does not
 * merge is rejected by the LineString column. Length is measured on the spheroid.
 */
export function upsertRiverSegments(q: Queryable, rows: RiverSegmentRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO river_segments (id, river_id, name, level, chief_id, task, standard, geom, length_m)
     SELECT id, "riverId", name, level, "chiefId", task, standard, g, ST_Length(g::geography)
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, "riverId" text, name text, level text, "chiefId" text,
            task text, standard text, geometry jsonb),
            LATERAL (SELECT ST_LineMerge(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)) AS g) AS m
     ON CONFLICT (id) DO UPDATE SET river_id = excluded.river_id, name = excluded.name, level = excluded.level,
       chief_id = excluded.chief_id, task = excluded.task, standard = excluded.standard, geom = excluded.geom,
       length_m = excluded.length_m`,
    rows,
  );
}

export interface BasemapRow {
  id: string;
  kind: 'lake' | 'road' | 'river' | 'village';
  name?: string | undefined;
  geometry: Geometry;
}

/** Inserts or updates basemap features (lake, roads, rivers, villages). */
export function upsertBasemap(q: Queryable, rows: BasemapRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO basemap_features (id, kind, name, geom)
     SELECT id, kind, name, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, name text, geometry jsonb)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, geom = excluded.geom`,
    rows,
  );
}

export interface PatrolRuleRow {
  id: string;
  chiefLevel: string;
  season: string | null;
  minIntervalHours: number;
  minDurationMin: number;
  minDistanceM: number;
}

/** Inserts or updates patrol-frequency rules. */
export function upsertPatrolRules(q: Queryable, rows: PatrolRuleRow[]): Promise<number> {
  return upsert(
    q,
    `INSERT INTO patrol_rules (id, chief_level, season, min_interval_hours, min_duration_min, min_distance_m)
     SELECT id, "chiefLevel", season, "minIntervalHours", "minDurationMin", "minDistanceM"
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, "chiefLevel" text, season text, "minIntervalHours" float8,
            "minDurationMin" float8, "minDistanceM" float8)
     ON CONFLICT (id) DO UPDATE SET chief_level = excluded.chief_level, season = excluded.season,
       min_interval_hours = excluded.min_interval_hours, min_duration_min = excluded.min_duration_min,
       min_distance_m = excluded.min_distance_m`,
    rows,
  );
}

/** Tables holding reference data, children first: the order to empty them in. */
export const REFERENCE_TABLES = [
  'river_segments',
  'cameras',
  'people',
  'buildings',
  'grids',
  'police_posts',
  'organisations',
  'rivers',
  'villages',
  'basemap_features',
  'patrol_rules',
  'communities',
] as const;

/** Removes every reference row (before an import that replaces the demo geography). */
export async function clearReference(q: Queryable): Promise<void> {
  for (const t of REFERENCE_TABLES) await q.query(`DELETE FROM ${t}`);
}

/** True when no community exists yet: the database is empty and may receive the demo geography. */
export async function isReferenceEmpty(q: Queryable): Promise<boolean> {
  const res = await q.query('SELECT 1 FROM communities LIMIT 1');
  return res.rowCount === 0;
}

/**
 * Loads a generated reference geography. Every demo person gets `passwordHash` (one hash shared by
 * all demo accounts: hashing hundreds of passwords would slow start-up for labelled demo data).
 */
export async function loadReference(
  q: Queryable,
  ref: ReferenceGeography,
  opts: { passwordHash?: string } = {},
): Promise<Record<string, number>> {
  const pw = opts.passwordHash;
  const counts: Record<string, number> = {};
  counts.communities = await upsertCommunities(q, ref.communities);
  counts.organisations = await upsertOrganisations(q, ref.organisations);
  counts.policePosts = await upsertPolicePosts(q, ref.policePosts);
  counts.grids = await upsertGrids(q, ref.grids);
  counts.buildings = await upsertBuildings(q, ref.buildings);
  await q.query(
    `INSERT INTO villages (id, name, geom)
     SELECT id, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, lon float8, lat float8)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, geom = excluded.geom`,
    [
      JSON.stringify(
        ref.villages.map((v) => ({ id: v.id, name: v.name, lon: v.location[0], lat: v.location[1] })),
      ),
    ],
  );
  counts.villages = ref.villages.length;
  counts.basemap = await upsertBasemap(q, [
    { id: ref.lake.id, kind: 'lake', name: ref.lake.name, geometry: ref.lake.geometry },
    ...ref.roads.map((r) => ({ id: r.id, kind: 'road' as const, name: r.name, geometry: r.geometry })),
    ...ref.rivers.map((r) => ({ id: r.id, kind: 'river' as const, name: r.name, geometry: r.geometry })),
    ...ref.villages.map((v) => ({
      id: v.id,
      kind: 'village' as const,
      name: v.name,
      geometry: { type: 'Point' as const, coordinates: v.location },
    })),
  ]);
  counts.rivers = await upsertRivers(q, ref.rivers);
  counts.people = await upsertPeople(
    q,
    ref.people.map((p) => ({ ...p, roles: p.roles, ...(pw ? { passwordHash: pw } : {}) })),
  );
  counts.riverSegments = await upsertRiverSegments(q, ref.riverSegments);
  counts.cameras = await upsertCameras(
    q,
    ref.cameras.map((c) => ({ ...c, ...(pw ? { passwordHash: pw } : {}) })),
  );
  counts.patrolRules = await upsertPatrolRules(q, ref.patrolRules);
  return counts;
}

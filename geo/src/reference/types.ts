import type { LineStringGeometry, LonLat, PolygonGeometry } from '../geometry/types.ts';

/** The river-chief level is defined once, by its wire schema. */
import type { RiverChiefLevel } from '../schemas/river-segment.ts';

export type { LineStringGeometry, LonLat, PolygonGeometry, RiverChiefLevel };

export type CommunityKind = 'resettlement' | 'traditional';
export type OrganisationKind = 'party' | 'police' | 'property' | 'resident_unit';
export type ReferenceRole = 'patroller' | 'river_chief' | 'police' | 'liaison' | 'admin';
export type PatrolSeason = 'flood' | 'dry';

export interface ReferenceMeta {
  name: string;
  seed: number;
  demo: true;
  note: string;
  center: LonLat;
}

export interface ReferenceLake {
  id: string;
  name: string;
  geometry: PolygonGeometry;
}

export interface ReferenceCommunity {
  id: string;
  name: string;
  kind: CommunityKind;
  residents: number;
  households: number;
  geometry: PolygonGeometry;
}

/** A management block (管理区块 / 网格) of about 300 households with its "三员" liaisons. */
export interface ReferenceGrid {
  id: string;
  communityId: string;
  name: string;
  households: number;
  /** Liaison social worker (联络社工). */
  liaisonId: string;
  /** Unit party liaisons (单元党员联络员). */
  unitLiaisonIds: string[];
  /** Building party liaison chief (楼宇党员联络长). */
  buildingChiefId: string;
  geometry: PolygonGeometry;
}

export interface ReferenceBuilding {
  id: string;
  gridId: string;
  name: string;
  households: number;
  geometry: PolygonGeometry;
}

export interface ReferenceVillage {
  id: string;
  name: string;
  location: LonLat;
}

export interface ReferenceRoad {
  id: string;
  name: string;
  geometry: LineStringGeometry;
}

/** A river or stream, drawn in flow direction: its last position is its mouth on the lake shore. */
export interface ReferenceRiver {
  id: string;
  name: string;
  geometry: LineStringGeometry;
}

/** A key river segment under one chief (河长"五定"): a contiguous sub-line of its river, in flow direction. */
export interface ReferenceRiverSegment {
  id: string;
  riverId: string;
  name: string;
  level: RiverChiefLevel;
  chiefId: string;
  geometry: LineStringGeometry;
  lengthM: number;
}

export interface ReferenceOrganisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  communityId: string | null;
}

export interface ReferencePolicePost {
  id: string;
  name: string;
  communityId: string;
  organisationId: string;
  location: LonLat;
}

export interface ReferenceCamera {
  id: string;
  name: string;
  location: LonLat;
  /** Direction the camera faces, degrees clockwise from north. */
  heading: number;
  /** Horizontal field of view, degrees. */
  fov: number;
  policePostId: string;
  /** Frigate camera name; equals the camera id. */
  frigateName: string;
}

export interface ReferencePerson {
  id: string;
  name: string;
  roles: ReferenceRole[];
  gridId?: string;
  policePostId?: string;
  organisationId?: string;
  segmentIds?: string[];
}

/**
 * A patrol-frequency rule for one chief level (and optionally one season). `minIntervalHours` is the
 * rule's period: at least one valid patrol is due every that many hours (720 = once a month).
 * A valid patrol lasts at least `minDurationMin` minutes and covers at least `minDistanceM` metres.
 */
export interface ReferencePatrolRule {
  id: string;
  chiefLevel: RiverChiefLevel;
  season: PatrolSeason | null;
  minIntervalHours: number;
  minDurationMin: number;
  minDistanceM: number;
}

export interface ReferenceGeography {
  meta: ReferenceMeta;
  lake: ReferenceLake;
  communities: ReferenceCommunity[];
  grids: ReferenceGrid[];
  buildings: ReferenceBuilding[];
  villages: ReferenceVillage[];
  roads: ReferenceRoad[];
  rivers: ReferenceRiver[];
  riverSegments: ReferenceRiverSegment[];
  organisations: ReferenceOrganisation[];
  policePosts: ReferencePolicePost[];
  cameras: ReferenceCamera[];
  people: ReferencePerson[];
  patrolRules: ReferencePatrolRule[];
}

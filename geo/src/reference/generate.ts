import { createRng } from '../geometry/prng.ts';
import { buildCameras } from './cameras.ts';
import { assignBlockHouseholds, layoutBuildings, placeCommunities, splitInteger } from './communities.ts';
import { closed, LAKE_CENTER, rectPoint, rectRing, toLonLat, toPolygon } from './frame.ts';
import { buildLake } from './lake.ts';
import { chineseOrdinal } from './names.ts';
import { buildOrganisations, POLICE_STATION_ID } from './organisations.ts';
import { buildPatrolRules } from './patrol-rules.ts';
import { buildPeople } from './people.ts';
import { buildRivers } from './rivers.ts';
import { buildRoads, roadRecords } from './roads.ts';
import type {
  ReferenceBuilding,
  ReferenceCommunity,
  ReferenceGeography,
  ReferenceGrid,
  ReferencePolicePost,
} from './types.ts';
import { buildVillages } from './villages.ts';

/** Default seed (the date the seed article's supermarket opened, 2013-07-05). */
export const DEFAULT_SEED = 20130705;

/** Published resident count of the resettlement communities (2.22万), used as the demo total. */
export const TARGET_RESIDENTS = 22_200;
/** Average household size used to turn residents into households. */
export const HOUSEHOLD_SIZE = 2.7;

/** Generate the deterministic Dongqian Lake demo geography for a seed (same seed, same data). */
export function generateReference(seed: number = DEFAULT_SEED): ReferenceGeography {
  const rng = createRng(seed);
  const lake = buildLake(rng.fork('lake'));
  const placed = placeCommunities(rng.fork('communities'), lake);
  const blockCount = placed.reduce((acc, p) => acc + p.cells.length, 0);
  const blockHouseholds = assignBlockHouseholds(
    blockCount,
    Math.round(TARGET_RESIDENTS / HOUSEHOLD_SIZE),
    rng.fork('households'),
  );

  const layoutRng = rng.fork('blocks');
  const communities: ReferenceCommunity[] = [];
  const grids: Omit<ReferenceGrid, 'liaisonId' | 'unitLiaisonIds' | 'buildingChiefId'>[] = [];
  const buildings: ReferenceBuilding[] = [];
  const posts: ReferencePolicePost[] = [];
  let block = 0;
  for (const { spec, rect, cells } of placed) {
    const communityId = `com-${spec.slug}`;
    let households = 0;
    for (const [k, cell] of cells.entries()) {
      const gridHouseholds = blockHouseholds[block++] ?? 0;
      households += gridHouseholds;
      const gridId = `grid-${spec.slug}-${String(k + 1).padStart(2, '0')}`;
      grids.push({
        id: gridId,
        communityId,
        name: `${spec.name}第${chineseOrdinal(k + 1)}区块`,
        households: gridHouseholds,
        geometry: toPolygon(rectRing(cell)),
      });
      const footprints = layoutBuildings(cell, layoutRng.int(4, 6));
      const split = splitInteger(gridHouseholds, footprints.length, layoutRng);
      for (const [b, footprint] of footprints.entries()) {
        buildings.push({
          id: `bld-${spec.slug}-${String(k + 1).padStart(2, '0')}-${String(b + 1).padStart(2, '0')}`,
          gridId,
          name: `${spec.name}${chineseOrdinal(k + 1)}区${b + 1}幢`,
          households: split[b] ?? 0,
          geometry: toPolygon(rectRing(footprint)),
        });
      }
    }
    communities.push({
      id: communityId,
      name: spec.name,
      kind: spec.kind,
      residents: Math.round(households * layoutRng.range(2.64, 2.76)),
      households,
      geometry: toPolygon(rectRing(rect)),
    });
    // The post sits in the lake-side margin strip, beside the main gate.
    posts.push({
      id: `pp-${spec.slug}`,
      name: `${spec.name}警务岗`,
      communityId,
      organisationId: POLICE_STATION_ID,
      location: toLonLat(rectPoint(rect, rect.halfW * 0.45, -rect.halfH + 12)),
    });
  }

  const roadLines = buildRoads(
    rng.fork('roads'),
    lake,
    placed.map((p) => closed(rectRing(p.rect, 30))),
  );
  const roads = roadRecords(roadLines);
  const riverPlan = buildRivers(
    rng.fork('rivers'),
    lake,
    placed.map((p) => closed(rectRing(p.rect, 60))),
    roadLines.access.map((r) => r.line),
  );
  const villages = buildVillages(
    rng.fork('villages'),
    lake,
    placed.map((p) => closed(rectRing(p.rect, 40))),
  );
  const cameras = buildCameras(rng.fork('cameras'), roads, placed, posts);
  const { people, staffByGrid, chiefBySegment } = buildPeople(
    rng.fork('people'),
    grids,
    posts,
    riverPlan.segments,
  );

  return {
    meta: {
      name: '东钱湖社区演示地理 (Dongqian Lake demo reference geography)',
      seed,
      demo: true,
      note:
        'Demo data generated deterministically from the seed around real place names; shapes, blocks, people, ' +
        'cameras and river segments are invented. Real deployments import their own GeoJSON.',
      center: [LAKE_CENTER[0], LAKE_CENTER[1]],
    },
    lake: { id: 'lake-dongqian', name: '东钱湖', geometry: toPolygon(lake.ring) },
    communities,
    grids: grids.map((grid) => {
      const staff = staffByGrid.get(grid.id);
      if (!staff) throw new Error(`no staff for ${grid.id}`);
      return { ...grid, ...staff, unitLiaisonIds: [...staff.unitLiaisonIds] };
    }),
    buildings,
    villages,
    roads,
    rivers: riverPlan.rivers,
    riverSegments: riverPlan.segments.map((s) => {
      const chiefId = chiefBySegment.get(s.id);
      if (!chiefId) throw new Error(`no chief for ${s.id}`);
      return {
        id: s.id,
        riverId: s.riverId,
        name: s.name,
        level: s.level,
        chiefId,
        geometry: { type: 'LineString', coordinates: s.coordinates },
        lengthM: s.lengthM,
      };
    }),
    organisations: buildOrganisations(communities),
    policePosts: posts,
    cameras,
    people,
    patrolRules: buildPatrolRules(),
  };
}

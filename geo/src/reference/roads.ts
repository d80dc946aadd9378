import type { Rng } from '../geometry/prng.ts';
import { closed, toLonLat, type XY } from './frame.ts';
import type { LakeShape } from './lake.ts';
import { findFreeLine, lineHitsRings, radialLine } from './radial.ts';
import type { ReferenceRoad } from './types.ts';

/** Shore road offset from the lake, metres (communities keep 260 m clear). */
export const SHORE_ROAD_OFFSET = 120;

const ACCESS_ROADS = [
  { slug: 'qianhu-north', name: '钱湖北路', bearing: 2 },
  { slug: 'mozhi', name: '莫枝路', bearing: 266 },
  { slug: 'hanling', name: '韩岭路', bearing: 150 },
  { slug: 'tiantong', name: '天童北路', bearing: 60 },
];

/** Roads in the local frame: the closed shore ring plus access roads leading away from it. */
export interface RoadLines {
  shore: XY[];
  access: { slug: string; name: string; line: XY[] }[];
}

/** Lay out the shore ring road and a few access roads that avoid the communities. */
export function buildRoads(rng: Rng, lake: LakeShape, communityRings: readonly XY[][]): RoadLines {
  const shore = closed(lake.grown(SHORE_ROAD_OFFSET));
  const access = ACCESS_ROADS.map((road) => {
    const wander = {
      waves: [{ amp: rng.range(30, 80), wavelength: rng.range(2000, 3500), phase: rng.range(0, 6.28) }],
      driftDeg: rng.range(-6, 6),
    };
    const length = rng.range(2400, 3200);
    const line = findFreeLine(
      road.bearing,
      (b) => radialLine(lake, b, SHORE_ROAD_OFFSET, length, 100, wander),
      (l) => lineHitsRings(l, communityRings),
    );
    return { slug: road.slug, name: road.name, line };
  });
  return { shore, access };
}

/** Emit roads as reference records. */
export function roadRecords(roads: RoadLines): ReferenceRoad[] {
  return [
    {
      id: 'road-shore',
      name: '环湖路',
      geometry: { type: 'LineString', coordinates: roads.shore.map(toLonLat) },
    },
    ...roads.access.map((r) => ({
      id: `road-${r.slug}`,
      name: r.name,
      geometry: { type: 'LineString' as const, coordinates: r.line.map(toLonLat) },
    })),
  ];
}

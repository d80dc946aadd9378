import { lineLengthM } from '../geometry/distance.ts';
import { sliceLine } from '../geometry/interpolate.ts';
import type { Rng } from '../geometry/prng.ts';
import type { LonLat } from '../geometry/types.ts';
import { toLonLat, type XY } from './frame.ts';
import type { LakeShape } from './lake.ts';
import { findFreeLine, lineHitsRings, linesCross, radialLine } from './radial.ts';
import type { ReferenceRiver, RiverChiefLevel } from './types.ts';

// Streams draining the hills into the lake, mostly from the south and east where there are no
// communities. Bearings are starting points; a stream is turned until its corridor is free.
const RIVER_SPECS = [
  { slug: 'gaoqian', name: '高钱河', bearing: 25 },
  { slug: 'shangshui', name: '上水溪', bearing: 62 },
  { slug: 'xiashui', name: '下水溪', bearing: 92 },
  { slug: 'hanling', name: '韩岭溪', bearing: 118 },
  { slug: 'taogong', name: '陶公溪', bearing: 145 },
  { slug: 'meixi', name: '梅溪', bearing: 165 },
  { slug: 'fuquan', name: '福泉溪', bearing: 185 },
  { slug: 'dayan', name: '大堰溪', bearing: 205 },
  { slug: 'guojiazhi', name: '郭家峙河', bearing: 238 },
  { slug: 'houtang', name: '后塘河', bearing: 315 },
];

/** Second-level (township) river chiefs named in the seed: 30 of them, one segment each. */
export const TOWNSHIP_SEGMENTS = 30;

/** A planned river segment before chiefs are attached. */
export interface PlannedSegment {
  id: string;
  riverId: string;
  name: string;
  level: RiverChiefLevel;
  coordinates: LonLat[];
  lengthM: number;
}

/** Rivers and their key segments, in WGS-84. */
export interface RiverPlan {
  rivers: ReferenceRiver[];
  segments: PlannedSegment[];
}

/**
 * Lay out rivers flowing into the lake and cut them into key segments from the mouth upstream.
 * Segment lengths are seeded and scaled so their sum is 60 km ± 0.6 km; 30 are township-level and
 * 3-5 (the uppermost segments of as many rivers) are enterprise-level.
 */
export function buildRivers(
  rng: Rng,
  lake: LakeShape,
  obstacles: readonly XY[][],
  roads: readonly XY[][],
): RiverPlan {
  const enterpriseCount = rng.int(3, 5);
  const total = TOWNSHIP_SEGMENTS + enterpriseCount;
  const perRiver = RIVER_SPECS.map(() => Math.floor(total / RIVER_SPECS.length));
  for (const i of rng.shuffle(RIVER_SPECS.map((_, i) => i)).slice(0, total % RIVER_SPECS.length)) {
    perRiver[i] = (perRiver[i] ?? 0) + 1;
  }
  const raw = Array.from({ length: total }, () => rng.range(1400, 2100));
  const target = 60_000 + rng.range(-600, 600);
  const scale = target / raw.reduce((a, b) => a + b, 0);
  const lengths = raw.map((l) => l * scale);
  const enterpriseRivers = new Set(rng.shuffle(RIVER_SPECS.map((_, i) => i)).slice(0, enterpriseCount));

  const placed: XY[][] = [];
  const rivers: ReferenceRiver[] = [];
  const segments: PlannedSegment[] = [];
  let cursor = 0;
  for (const [index, spec] of RIVER_SPECS.entries()) {
    const count = perRiver[index] ?? 0;
    const own = lengths.slice(cursor, cursor + count);
    cursor += count;
    const needed = own.reduce((a, b) => a + b, 0);
    const wander = {
      waves: [
        { amp: rng.range(80, 150), wavelength: rng.range(1500, 2500), phase: rng.range(0, 6.28) },
        { amp: rng.range(10, 30), wavelength: rng.range(450, 800), phase: rng.range(0, 6.28) },
      ],
      driftDeg: rng.range(-8, 8),
    };
    const span = needed + rng.range(400, 900);
    const outward = findFreeLine(
      spec.bearing,
      (b) => radialLine(lake, b, 0, span, 60, wander),
      (line) =>
        lineHitsRings(line, obstacles) ||
        roads.some((r) => linesCross(line, r)) ||
        placed.some((r) => linesCross(line, r)),
    );
    placed.push(outward);
    // Rivers are drawn in flow direction: from the hills down to the mouth on the shore.
    const coordinates = [...outward].reverse().map(toLonLat);
    const riverId = `riv-${spec.slug}`;
    rivers.push({ id: riverId, name: spec.name, geometry: { type: 'LineString', coordinates } });

    const lineLength = lineLengthM(coordinates);
    if (lineLength < needed) throw new Error(`river ${riverId} is shorter than its segments`);
    let fromMouth = 0;
    for (const [k, length] of own.entries()) {
      const piece = sliceLine(coordinates, lineLength - fromMouth - length, lineLength - fromMouth).map(
        ([lon, lat]): LonLat => [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7],
      );
      fromMouth += length;
      const uppermost = k === own.length - 1;
      segments.push({
        id: `seg-${String(segments.length + 1).padStart(2, '0')}`,
        riverId,
        name: `${spec.name}第${k + 1}段`,
        level: uppermost && enterpriseRivers.has(index) ? 'enterprise' : 'township',
        coordinates: piece,
        lengthM: Math.round(lineLengthM(piece) * 10) / 10,
      });
    }
  }
  return { rivers, segments };
}

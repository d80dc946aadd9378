import { pointInRing } from '../geometry/point-in-polygon.ts';
import type { Rng } from '../geometry/prng.ts';
import { polar, toLonLat, type XY } from './frame.ts';
import type { LakeShape } from './lake.ts';
import type { ReferenceVillage } from './types.ts';

// Villages named in the seed (黄隘村, 郭家峙, 高钱村, 莫枝) plus a few other lakeside villages.
const VILLAGE_SPECS = [
  { slug: 'mozhi', name: '莫枝', bearing: 270 },
  { slug: 'guojiazhi', name: '郭家峙', bearing: 238 },
  { slug: 'huangai', name: '黄隘村', bearing: 196 },
  { slug: 'gaoqian', name: '高钱村', bearing: 30 },
  { slug: 'yinwan', name: '殷湾村', bearing: 66 },
  { slug: 'hanling', name: '韩岭村', bearing: 142 },
  { slug: 'taogong', name: '陶公村', bearing: 160 },
];

/** Village centres a few hundred metres off the shore, nudged along the shore until clear of communities. */
export function buildVillages(
  rng: Rng,
  lake: LakeShape,
  communityRings: readonly XY[][],
): ReferenceVillage[] {
  return VILLAGE_SPECS.map((spec) => {
    const distance = rng.range(350, 750);
    for (let k = 0; k <= 60; k++) {
      const bearing = spec.bearing + (k % 2 === 1 ? 1 : -1) * 2 * Math.ceil(k / 2);
      const point = polar(bearing, lake.shoreRadius(bearing) + distance);
      if (communityRings.some((ring) => pointInRing(point, ring))) continue;
      return { id: `vil-${spec.slug}`, name: spec.name, location: toLonLat(point) };
    }
    throw new Error(`no free place for village ${spec.slug}`);
  });
}

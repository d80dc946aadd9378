import { haversineM, lineLengthM } from '../geometry/distance.ts';
import { interpolateAlong } from '../geometry/interpolate.ts';
import { bearingDeg } from '../geometry/offset.ts';
import type { Rng } from '../geometry/prng.ts';
import type { LonLat } from '../geometry/types.ts';
import type { PlacedCommunity } from './communities.ts';
import { bearingOf, LAKE_CENTER, rectPoint, toLonLat, type XY } from './frame.ts';
import type { ReferenceCamera, ReferencePolicePost, ReferenceRoad } from './types.ts';

type CameraDraft = Omit<ReferenceCamera, 'id' | 'frigateName' | 'policePostId'>;

const negate = (v: XY): XY => [-v[0], -v[1]];

/**
 * Cameras along the shore road (facing the lake), at community gates and squares, and at the entry of
 * each access road; each reports to its nearest police post. Ids run cam-001, cam-002, ...
 */
export function buildCameras(
  rng: Rng,
  roads: readonly ReferenceRoad[],
  placed: readonly PlacedCommunity[],
  posts: readonly ReferencePolicePost[],
): ReferenceCamera[] {
  const drafts: CameraDraft[] = [];
  const [shore, ...access] = roads;
  if (shore) {
    const ring = shore.geometry.coordinates;
    const length = lineLengthM(ring);
    const count = rng.int(18, 22);
    for (let i = 0; i < count; i++) {
      const location = round(interpolateAlong(ring, ((i + rng.range(0.2, 0.8)) * length) / count));
      drafts.push({
        name: `${shore.name}${String(i + 1).padStart(2, '0')}号监控`,
        location,
        heading: Math.round(bearingDeg(location, LAKE_CENTER)),
        fov: rng.int(90, 110),
      });
    }
  }
  for (const { spec, rect } of placed) {
    const gate = rectPoint(rect, rng.range(-0.3, 0.3) * rect.halfW, -rect.halfH + 8);
    drafts.push({
      name: `${spec.name}正门`,
      location: toLonLat(gate),
      heading: Math.round(bearingOf(negate(rect.depth))),
      fov: rng.int(70, 90),
    });
    const rear = rectPoint(rect, rng.range(-0.3, 0.3) * rect.halfW, rect.halfH - 8);
    drafts.push({
      name: `${spec.name}后门`,
      location: toLonLat(rear),
      heading: Math.round(bearingOf(rect.depth)),
      fov: rng.int(70, 90),
    });
    if (spec.kind === 'resettlement') {
      drafts.push({
        name: `${spec.name}中心广场`,
        location: toLonLat(rectPoint(rect, 0, 0)),
        heading: rng.int(0, 359),
        fov: rng.int(100, 120),
      });
    }
  }
  for (const road of access) {
    const line = road.geometry.coordinates;
    const location = round(interpolateAlong(line, rng.range(300, 900)));
    const start = line[0] ?? location;
    drafts.push({
      name: `${road.name}入口`,
      location,
      heading: Math.round(bearingDeg(location, start)),
      fov: rng.int(60, 80),
    });
  }
  return drafts.map((draft, i) => {
    const id = `cam-${String(i + 1).padStart(3, '0')}`;
    return {
      id,
      ...draft,
      heading: draft.heading % 360,
      policePostId: nearestPost(draft.location, posts),
      frigateName: id,
    };
  });
}

function round(p: LonLat): LonLat {
  return [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];
}

function nearestPost(location: LonLat, posts: readonly ReferencePolicePost[]): string {
  let best: ReferencePolicePost | undefined;
  let bestDistance = Infinity;
  for (const post of posts) {
    const d = haversineM(location, post.location);
    if (d < bestDistance) {
      bestDistance = d;
      best = post;
    }
  }
  if (!best) throw new Error('cameras need at least one police post');
  return best.id;
}

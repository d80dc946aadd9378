import { describe, expect, it } from 'vitest';
import { polygonAreaM2 } from '../geometry/area.ts';
import { haversineM, lineLengthM } from '../geometry/distance.ts';
import { distanceToLineM } from '../geometry/nearest.ts';
import { lineIntersectsRing, ringsOverlap } from '../geometry/overlap.ts';
import { pointInPolygon } from '../geometry/point-in-polygon.ts';
import type { LonLat, PolygonGeometry } from '../geometry/types.ts';
import { isRingClosed, polygonProblem } from '../geometry/validity.ts';
import { generateReference } from './generate.ts';
import type { ReferenceGeography } from './types.ts';

const outer = (p: PolygonGeometry): LonLat[] => p.coordinates[0] ?? [];

describe('generateReference determinism', () => {
  it('returns deep-equal data for the same seed and different data for another seed', () => {
    const a = generateReference();
    expect(generateReference(20130705)).toEqual(a);
    expect(a.meta.seed).toBe(20130705);
    expect(a.meta.demo).toBe(true);
    const b = generateReference(7);
    expect(b).not.toEqual(a);
    expect(b.lake.geometry).not.toEqual(a.lake.geometry);
  });

  it('produces plain JSON data (survives a JSON round trip unchanged)', () => {
    const ref = generateReference();
    expect(JSON.parse(JSON.stringify(ref))).toEqual(ref);
  });
});

// The default seed plus two others, so the invariants are not an accident of one seed.
describe.each([20130705, 1, 42])('reference geography for seed %i', (seed) => {
  const ref: ReferenceGeography = generateReference(seed);
  const polygons = (): [string, PolygonGeometry][] => [
    [ref.lake.id, ref.lake.geometry],
    ...ref.communities.map((c): [string, PolygonGeometry] => [c.id, c.geometry]),
    ...ref.grids.map((g): [string, PolygonGeometry] => [g.id, g.geometry]),
    ...ref.buildings.map((b): [string, PolygonGeometry] => [b.id, b.geometry]),
  ];

  it('has ids that are unique across every collection', () => {
    const ids = [
      ref.lake.id,
      ...[ref.communities, ref.grids, ref.buildings, ref.villages, ref.roads, ref.rivers, ref.riverSegments]
        .flat()
        .map((x) => x.id),
      ...[ref.organisations, ref.policePosts, ref.cameras, ref.people, ref.patrolRules]
        .flat()
        .map((x) => x.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
  });

  it('has only closed, simple polygons', () => {
    for (const [id, polygon] of polygons()) {
      expect(isRingClosed(outer(polygon)), id).toBe(true);
      expect(polygonProblem(polygon), id).toBeNull();
    }
  });

  it('has a lake of roughly 20 km² around 121.64 E, 29.77 N', () => {
    const area = polygonAreaM2(ref.lake.geometry);
    expect(area).toBeGreaterThan(14e6);
    expect(area).toBeLessThan(26e6);
    expect(pointInPolygon([121.64, 29.77], ref.lake.geometry)).toBe(true);
  });

  it('has 7 resettlement communities (incl. the seed names) and 4 traditional ones, none touching the lake or each other', () => {
    expect(ref.communities.filter((c) => c.kind === 'resettlement')).toHaveLength(7);
    expect(ref.communities.filter((c) => c.kind === 'traditional')).toHaveLength(4);
    const names = ref.communities.map((c) => c.name);
    for (const name of ['隐学山庄', '万金人家', '钱湖丽园']) expect(names).toContain(name);
    const lake = outer(ref.lake.geometry);
    for (const [i, c] of ref.communities.entries()) {
      expect(ringsOverlap(outer(c.geometry), lake), c.id).toBe(false);
      for (const other of ref.communities.slice(i + 1)) {
        expect(ringsOverlap(outer(c.geometry), outer(other.geometry)), `${c.id} vs ${other.id}`).toBe(false);
      }
    }
  });

  it('has about 22,200 residents at about 2.7 per household', () => {
    const residents = ref.communities.reduce((acc, c) => acc + c.residents, 0);
    const households = ref.communities.reduce((acc, c) => acc + c.households, 0);
    expect(residents).toBeGreaterThanOrEqual(21_500);
    expect(residents).toBeLessThanOrEqual(22_900);
    expect(residents / households).toBeGreaterThan(2.6);
    expect(residents / households).toBeLessThan(2.8);
  });

  it('has blocks of 250..350 households that add up to their community', () => {
    for (const grid of ref.grids) {
      expect(grid.households, grid.id).toBeGreaterThanOrEqual(250);
      expect(grid.households, grid.id).toBeLessThanOrEqual(350);
    }
    for (const c of ref.communities) {
      const sum = ref.grids.filter((g) => g.communityId === c.id).reduce((acc, g) => acc + g.households, 0);
      expect(sum, c.id).toBe(c.households);
    }
  });

  it('keeps every block inside its community and clear of the other blocks', () => {
    const byId = new Map(ref.communities.map((c) => [c.id, c]));
    for (const grid of ref.grids) {
      const community = byId.get(grid.communityId);
      expect(community, grid.id).toBeDefined();
      if (!community) continue;
      for (const vertex of outer(grid.geometry))
        expect(pointInPolygon(vertex, community.geometry), grid.id).toBe(true);
    }
    for (const [i, a] of ref.grids.entries()) {
      for (const b of ref.grids.slice(i + 1)) {
        expect(ringsOverlap(outer(a.geometry), outer(b.geometry)), `${a.id} vs ${b.id}`).toBe(false);
      }
    }
  });

  it('keeps buildings inside their block, with households adding up to the block', () => {
    const byId = new Map(ref.grids.map((g) => [g.id, g]));
    for (const building of ref.buildings) {
      const grid = byId.get(building.gridId);
      expect(grid, building.id).toBeDefined();
      if (!grid) continue;
      for (const vertex of outer(building.geometry))
        expect(pointInPolygon(vertex, grid.geometry), building.id).toBe(true);
    }
    for (const grid of ref.grids) {
      const sum = ref.buildings.filter((b) => b.gridId === grid.id).reduce((acc, b) => acc + b.households, 0);
      expect(sum, grid.id).toBe(grid.households);
    }
  });

  it('staffs every block with people who exist and have the right roles', () => {
    const people = new Map(ref.people.map((p) => [p.id, p]));
    for (const grid of ref.grids) {
      for (const id of [grid.liaisonId, grid.buildingChiefId, ...grid.unitLiaisonIds]) {
        expect(people.get(id)?.roles, `${grid.id} ${id}`).toContain('liaison');
      }
      const patrollers = ref.people.filter((p) => p.gridId === grid.id && p.roles.includes('patroller'));
      expect(patrollers.length, grid.id).toBeGreaterThanOrEqual(1);
      expect(patrollers.length, grid.id).toBeLessThanOrEqual(2);
    }
  });

  it('has 58..62 km of key river segments: 30 township chiefs with one segment each plus 3-5 enterprise chiefs', () => {
    const totalKm = ref.riverSegments.reduce((acc, s) => acc + s.lengthM, 0) / 1000;
    expect(totalKm).toBeGreaterThanOrEqual(58);
    expect(totalKm).toBeLessThanOrEqual(62);
    const township = ref.riverSegments.filter((s) => s.level === 'township');
    expect(township).toHaveLength(30);
    expect(new Set(township.map((s) => s.chiefId)).size).toBe(30);
    const enterprise = ref.riverSegments.filter((s) => s.level === 'enterprise');
    expect(enterprise.length).toBeGreaterThanOrEqual(3);
    expect(enterprise.length).toBeLessThanOrEqual(5);
    const people = new Map(ref.people.map((p) => [p.id, p]));
    for (const segment of ref.riverSegments) {
      const chief = people.get(segment.chiefId);
      expect(chief?.roles, segment.id).toContain('river_chief');
      expect(chief?.segmentIds, segment.id).toEqual([segment.id]);
      expect(lineLengthM(segment.geometry.coordinates)).toBeCloseTo(segment.lengthM, 0);
    }
  });

  it('cuts each segment as a contiguous piece of its river, neighbouring segments meeting end to start', () => {
    const rivers = new Map(ref.rivers.map((r) => [r.id, r]));
    for (const segment of ref.riverSegments) {
      const river = rivers.get(segment.riverId);
      expect(river, segment.id).toBeDefined();
      if (!river) continue;
      for (const point of segment.geometry.coordinates) {
        expect(distanceToLineM(point, river.geometry.coordinates), segment.id).toBeLessThan(0.5);
      }
    }
    for (const [i, segment] of ref.riverSegments.entries()) {
      const next = ref.riverSegments[i + 1];
      if (!next || next.riverId !== segment.riverId) continue;
      // Segments are numbered from the mouth upstream; geometry runs downstream.
      const upstreamEnd = next.geometry.coordinates.at(-1);
      const start = segment.geometry.coordinates[0];
      expect(upstreamEnd && start && haversineM(upstreamEnd, start), segment.id).toBeLessThan(0.05);
    }
  });

  it('runs rivers into the lake without crossing it: only the mouth touches the shore', () => {
    const lake = outer(ref.lake.geometry);
    for (const river of ref.rivers) {
      const line = river.geometry.coordinates;
      const mouth = line.at(-1);
      expect(mouth && distanceToLineM(mouth, lake), river.id).toBeLessThan(1);
      const inside = line.slice(0, -1).filter((point) => pointInPolygon(point, ref.lake.geometry));
      expect(inside, river.id).toEqual([]);
      // Every leg but the last (which ends on the shore) stays clear of the shoreline.
      expect(lineIntersectsRing(line.slice(0, -1), lake), river.id).toBe(false);
    }
  });

  it('has a closed shore road around the lake and access roads', () => {
    const shore = ref.roads[0];
    expect(shore?.id).toBe('road-shore');
    const ring = shore?.geometry.coordinates ?? [];
    expect(ring[0]).toEqual(ring.at(-1));
    for (const point of ring) expect(pointInPolygon(point, ref.lake.geometry)).toBe(false);
    expect(ref.roads.length).toBeGreaterThanOrEqual(4);
  });

  it('names the seed villages', () => {
    const names = ref.villages.map((v) => v.name);
    for (const name of ['黄隘村', '郭家峙', '高钱村', '莫枝']) expect(names).toContain(name);
  });

  it('has a police post in every community and 40..80 cameras each reporting to an existing post', () => {
    const posts = new Set(ref.policePosts.map((p) => p.id));
    const orgs = new Set(ref.organisations.map((o) => o.id));
    for (const c of ref.communities) {
      const post = ref.policePosts.find((p) => p.communityId === c.id);
      expect(post, c.id).toBeDefined();
      if (post) expect(pointInPolygon(post.location, c.geometry), post.id).toBe(true);
    }
    for (const post of ref.policePosts) expect(orgs.has(post.organisationId)).toBe(true);
    expect(ref.cameras.length).toBeGreaterThanOrEqual(40);
    expect(ref.cameras.length).toBeLessThanOrEqual(80);
    for (const camera of ref.cameras) {
      expect(posts.has(camera.policePostId), camera.id).toBe(true);
      expect(camera.frigateName).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(camera.heading).toBeGreaterThanOrEqual(0);
      expect(camera.heading).toBeLessThan(360);
    }
    for (const post of ref.policePosts) {
      expect(
        ref.people.some((p) => p.policePostId === post.id && p.roles.includes('police')),
        post.id,
      ).toBe(true);
    }
  });

  it('has all four kinds of four-in-one partner, each linked to a real community or none', () => {
    const communities = new Set(ref.communities.map((c) => c.id));
    expect(new Set(ref.organisations.map((o) => o.kind))).toEqual(
      new Set(['party', 'police', 'property', 'resident_unit']),
    );
    for (const org of ref.organisations) {
      if (org.communityId !== null) expect(communities.has(org.communityId), org.id).toBe(true);
    }
    const orgs = new Set(ref.organisations.map((o) => o.id));
    for (const person of ref.people)
      if (person.organisationId) expect(orgs.has(person.organisationId), person.id).toBe(true);
  });

  it('gives people distinct names and links them to existing blocks and posts', () => {
    expect(new Set(ref.people.map((p) => p.name)).size).toBe(ref.people.length);
    const grids = new Set(ref.grids.map((g) => g.id));
    const posts = new Set(ref.policePosts.map((p) => p.id));
    for (const person of ref.people) {
      expect(person.roles.length).toBeGreaterThan(0);
      if (person.gridId) expect(grids.has(person.gridId), person.id).toBe(true);
      if (person.policePostId) expect(posts.has(person.policePostId), person.id).toBe(true);
    }
  });

  it('has patrol rules ordered by level: county quarterly, township monthly, village weekly, flood stricter', () => {
    const rule = (level: string, season: string | null) =>
      ref.patrolRules.find((r) => r.chiefLevel === level && r.season === season);
    expect(rule('county', null)?.minIntervalHours).toBeLessThanOrEqual(92 * 24);
    expect(rule('township', null)?.minIntervalHours).toBeLessThanOrEqual(31 * 24);
    expect(rule('village', null)?.minIntervalHours).toBeLessThanOrEqual(7 * 24);
    expect(rule('enterprise', null)).toBeDefined();
    for (const level of ['county', 'township', 'village', 'enterprise']) {
      const base = rule(level, null);
      const flood = rule(level, 'flood');
      expect(flood && base && flood.minIntervalHours < base.minIntervalHours, level).toBe(true);
    }
    for (const r of ref.patrolRules) {
      expect(r.minDurationMin).toBeGreaterThanOrEqual(10);
      expect(r.minDurationMin).toBeLessThanOrEqual(30);
      expect(r.minDistanceM).toBeGreaterThanOrEqual(1000);
      expect(r.minDistanceM).toBeLessThanOrEqual(2000);
    }
  });
});

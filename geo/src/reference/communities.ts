import { ringsOverlap } from '../geometry/overlap.ts';
import type { Rng } from '../geometry/prng.ts';
import { addScaled, closed, type Rect, rectPoint, rectRing, unit, type XY } from './frame.ts';
import type { LakeShape } from './lake.ts';
import type { CommunityKind } from './types.ts';

/** A community to place: where around the lake it sits (compass bearing) and how many blocks it has. */
export interface CommunitySpec {
  slug: string;
  name: string;
  kind: CommunityKind;
  bearing: number;
  gridCount: number;
}

// Seven resettlement communities (three named in the seed) and four traditional neighbourhood
// committees, mostly on the west and north shores where the town (莫枝) is.
export const COMMUNITY_SPECS: readonly CommunitySpec[] = [
  { slug: 'yinxue', name: '隐学山庄', kind: 'resettlement', bearing: 222, gridCount: 4 },
  { slug: 'wanjin', name: '万金人家', kind: 'resettlement', bearing: 252, gridCount: 4 },
  { slug: 'liyuan', name: '钱湖丽园', kind: 'resettlement', bearing: 300, gridCount: 3 },
  { slug: 'jingyuan', name: '钱湖景苑', kind: 'resettlement', bearing: 328, gridCount: 3 },
  { slug: 'yangshan', name: '洋山家园', kind: 'resettlement', bearing: 12, gridCount: 3 },
  { slug: 'yinwan', name: '殷湾新苑', kind: 'resettlement', bearing: 78, gridCount: 3 },
  { slug: 'hanling', name: '韩岭新村', kind: 'resettlement', bearing: 132, gridCount: 3 },
  { slug: 'mozhi', name: '莫枝居委会', kind: 'traditional', bearing: 278, gridCount: 2 },
  { slug: 'chengyang', name: '城杨居委会', kind: 'traditional', bearing: 350, gridCount: 1 },
  { slug: 'hubin', name: '湖滨居委会', kind: 'traditional', bearing: 42, gridCount: 1 },
  { slug: 'xiashui', name: '下水居委会', kind: 'traditional', bearing: 104, gridCount: 1 },
];

/** A community laid out in the local frame: its outline and the inset cells of its blocks. */
export interface PlacedCommunity {
  spec: CommunitySpec;
  rect: Rect;
  cells: Rect[];
}

const LAYOUT: Record<number, [cols: number, rows: number]> = { 1: [1, 1], 2: [2, 1], 3: [3, 1], 4: [2, 2] };
const MARGIN = 25; // community edge to block edge, metres: room for gates, posts and cameras
const CELL_INSET = 6; // gap between neighbouring blocks is twice this
const LAKE_CLEARANCE = 260; // radial metres kept free for the shore road and the lakeside
const COMMUNITY_GAP = 80;

/** Place every community outside the lake and clear of the others, pushing outward until it fits. */
export function placeCommunities(rng: Rng, lake: LakeShape): PlacedCommunity[] {
  const exclusion = closed(lake.grown(LAKE_CLEARANCE));
  const placed: PlacedCommunity[] = [];
  for (const spec of COMMUNITY_SPECS) {
    const layout = LAYOUT[spec.gridCount];
    if (!layout) throw new Error(`no block layout for ${spec.gridCount} blocks`);
    const [cols, rows] = layout;
    const cellW = rng.range(200, 250);
    const cellH = rng.range(170, 210);
    const bearing = spec.bearing + rng.range(-3, 3);
    const tilt = bearing + rng.range(-10, 10);
    const depth = unit(tilt);
    const across: XY = [depth[1], -depth[0]];
    const halfW = (cols * cellW) / 2 + MARGIN;
    const halfH = (rows * cellH) / 2 + MARGIN;
    let distance = lake.shoreRadius(bearing) + LAKE_CLEARANCE + halfH;
    let rect: Rect | null = null;
    for (let attempt = 0; attempt < 200; attempt++, distance += 40) {
      const candidate: Rect = {
        center: addScaled([0, 0], unit(bearing), distance),
        across,
        depth,
        halfW,
        halfH,
      };
      const padded = closed(rectRing(candidate, COMMUNITY_GAP));
      const outline = closed(rectRing(candidate));
      if (ringsOverlap(outline, exclusion)) continue;
      if (placed.some((other) => ringsOverlap(padded, closed(rectRing(other.rect))))) continue;
      rect = candidate;
      break;
    }
    if (!rect) throw new Error(`could not place community ${spec.slug}`);
    const cells: Rect[] = [];
    // Row 0 is the lake-facing row; cells go left to right across the community.
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        if (cells.length === spec.gridCount) break;
        cells.push({
          center: rectPoint(
            rect,
            -halfW + MARGIN + (col + 0.5) * cellW,
            -halfH + MARGIN + (row + 0.5) * cellH,
          ),
          across,
          depth,
          halfW: cellW / 2 - CELL_INSET,
          halfH: cellH / 2 - CELL_INSET,
        });
      }
    }
    placed.push({ spec, rect, cells });
  }
  return placed;
}

/** Building footprints inside a block cell: `count` slabs in two rows, each well inside its slot. */
export function layoutBuildings(cell: Rect, count: number): Rect[] {
  const perRow = Math.ceil(count / 2);
  const pad = 12;
  const slotW = (2 * (cell.halfW - pad)) / perRow;
  const slotH = cell.halfH - pad;
  const out: Rect[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    out.push({
      center: rectPoint(
        cell,
        -cell.halfW + pad + (col + 0.5) * slotW,
        -cell.halfH + pad + (row + 0.5) * slotH,
      ),
      across: cell.across,
      depth: cell.depth,
      halfW: slotW * 0.35,
      halfH: Math.min(slotH * 0.3, 12),
    });
  }
  return out;
}

/** Split a total into `parts` integers that differ by at most a few, in seeded order. */
export function splitInteger(total: number, parts: number, rng: Rng): number[] {
  const base = Math.floor(total / parts);
  const out = Array.from({ length: parts }, () => base);
  for (let i = 0; i < total - base * parts; i++) out[i] = (out[i] ?? 0) + 1;
  // Move a few households between neighbours so buildings are not all identical.
  for (let i = 1; i < parts; i++) {
    const shift = rng.int(-3, 3);
    out[i - 1] = (out[i - 1] ?? 0) + shift;
    out[i] = (out[i] ?? 0) - shift;
  }
  return out;
}

/**
 * Households per block: seeded draws of ~300, then nudged one at a time (staying within 255..345)
 * until the total matches `targetTotal`, so the resident count lands near the published 22,200.
 */
export function assignBlockHouseholds(blockCount: number, targetTotal: number, rng: Rng): number[] {
  const out = Array.from({ length: blockCount }, () => rng.int(265, 335));
  let diff = targetTotal - out.reduce((a, b) => a + b, 0);
  for (let guard = 0; diff !== 0 && guard < 100_000; guard++) {
    const i = guard % blockCount;
    const value = out[i] ?? 0;
    const step = Math.sign(diff);
    if (value + step < 255 || value + step > 345) continue;
    out[i] = value + step;
    diff -= step;
  }
  if (diff !== 0) throw new Error(`cannot reach ${targetTotal} households with ${blockCount} blocks`);
  return out;
}

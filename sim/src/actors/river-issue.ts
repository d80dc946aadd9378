import type { LonLat, RiverIssueKind, Rng } from '@wardmap/geo';
import { round7 } from '../gps.ts';
import type { IdSource } from '../ids.ts';
import { type Publication, topics } from '../publication.ts';

// Garbage dominates what river chiefs find; net cages and stakes (illegal fishing) come next.
const KINDS: [RiverIssueKind, number][] = [
  ['garbage', 0.5],
  ['net_cage', 0.17],
  ['stake', 0.15],
  ['pollution', 0.08],
  ['bamboo_raft', 0.05],
  ['other', 0.05],
];

const NOTES: Record<RiverIssueKind, string[]> = {
  garbage: ['河面漂浮生活垃圾', '岸边堆放垃圾', '水草与塑料袋缠绕'],
  net_cage: ['发现违规网箱', '河道内有地笼网'],
  stake: ['河道内有违规木桩', '发现插桩围网'],
  pollution: ['排口有异色污水', '水面有油污'],
  bamboo_raft: ['有竹筏停靠河道', '竹筏违规捕捞'],
  // Not drawn by the simulator's weights (kept as they were); listed because the type asks for every kind.
  illegal_building: ['河岸新建违章棚屋'],
  other: ['护栏损坏', '警示牌缺失'],
};

function pickKind(rng: Rng): RiverIssueKind {
  let x = rng.next();
  for (const [kind, w] of KINDS) {
    x -= w;
    if (x < 0) return kind;
  }
  return 'garbage';
}

/** A river issue report (garbage, net cages, stakes...) by the segment's chief at `location`. */
export function riverIssue(opts: {
  rng: Rng;
  ids: IdSource;
  segmentId: string;
  chiefId: string;
  at: number;
  location: LonLat;
  patrolId?: string;
}): Publication {
  const { rng, segmentId, chiefId } = opts;
  const issue = pickKind(rng);
  const id = opts.ids(segmentId, 'ri');
  const body = {
    id,
    personId: chiefId,
    type: 'issue' as const,
    issue,
    at: new Date(opts.at).toISOString(),
    location: [round7(opts.location[0]), round7(opts.location[1])],
    ...(opts.patrolId ? { patrolId: opts.patrolId } : {}),
    ...(issue === 'garbage'
      ? { tons: Math.round(rng.range(0.02, 0.8) * 100) / 100 }
      : { count: rng.int(1, issue === 'stake' ? 12 : 4) }),
    severity: rng.pick(['low', 'medium', 'medium', 'high'] as const),
    note: rng.pick(NOTES[issue]),
    photoUrl: `https://demo.wardmap.example/photos/${id}.jpg`,
  };
  return {
    at: opts.at,
    kind: 'river_report',
    topic: topics.riverReport(segmentId),
    payload: JSON.stringify(body),
    identity: chiefId,
    messageId: id,
  };
}

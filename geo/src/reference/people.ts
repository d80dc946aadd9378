import type { Rng } from '../geometry/prng.ts';
import { createNamer } from './names.ts';
import {
  ENTERPRISES,
  PARTY_COMMITTEE_ID,
  POLICE_STATION_ID,
  partyBranchId,
  TOWN_PARTY_ID,
} from './organisations.ts';
import type { PlannedSegment } from './rivers.ts';
import type { ReferencePerson, ReferencePolicePost } from './types.ts';

/** The "三员" of one block: liaison social worker, unit party liaisons and building party liaison chief. */
export interface BlockStaff {
  liaisonId: string;
  unitLiaisonIds: string[];
  buildingChiefId: string;
}

/** Everyone in the demo network plus the lookups the generator needs to wire them in. */
export interface PeoplePlan {
  people: ReferencePerson[];
  staffByGrid: Map<string, BlockStaff>;
  chiefBySegment: Map<string, string>;
}

/**
 * People with deterministic names and ids p-0001...: an administrator, per block its liaisons and 1-2
 * patrollers, 2-3 police officers per post, and one chief per river segment (township chiefs from the
 * town party committee, enterprise chiefs from the enterprises).
 */
export function buildPeople(
  rng: Rng,
  grids: readonly { id: string; communityId: string }[],
  posts: readonly ReferencePolicePost[],
  segments: readonly PlannedSegment[],
): PeoplePlan {
  const nameOf = createNamer(rng.fork('names'));
  const people: ReferencePerson[] = [];
  const add = (person: Omit<ReferencePerson, 'id' | 'name'>): string => {
    const id = `p-${String(people.length + 1).padStart(4, '0')}`;
    people.push({ id, name: nameOf(), ...person });
    return id;
  };

  add({ roles: ['admin'], organisationId: PARTY_COMMITTEE_ID });

  const staffByGrid = new Map<string, BlockStaff>();
  for (const grid of grids) {
    const organisationId = partyBranchId(grid.communityId);
    const liaisonId = add({ roles: ['liaison'], gridId: grid.id, organisationId });
    const unitLiaisonIds = Array.from({ length: rng.int(2, 3) }, () =>
      add({ roles: ['liaison'], gridId: grid.id, organisationId }),
    );
    const buildingChiefId = add({ roles: ['liaison'], gridId: grid.id, organisationId });
    const patrollers = rng.int(1, 2);
    for (let i = 0; i < patrollers; i++) add({ roles: ['patroller'], gridId: grid.id, organisationId });
    staffByGrid.set(grid.id, { liaisonId, unitLiaisonIds, buildingChiefId });
  }

  for (const post of posts) {
    const officers = rng.int(2, 3);
    for (let i = 0; i < officers; i++) {
      add({ roles: ['police'], policePostId: post.id, organisationId: POLICE_STATION_ID });
    }
  }

  const chiefBySegment = new Map<string, string>();
  let enterprise = 0;
  for (const segment of segments) {
    const organisationId =
      segment.level === 'enterprise'
        ? (ENTERPRISES[enterprise++ % ENTERPRISES.length]?.id ?? TOWN_PARTY_ID)
        : TOWN_PARTY_ID;
    chiefBySegment.set(segment.id, add({ roles: ['river_chief'], organisationId, segmentIds: [segment.id] }));
  }
  return { people, staffByGrid, chiefBySegment };
}

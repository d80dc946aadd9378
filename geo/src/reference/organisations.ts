import type { ReferenceCommunity, ReferenceOrganisation } from './types.ts';

/** The community party working committee (社区党工委), which coordinates all communities. */
export const PARTY_COMMITTEE_ID = 'org-party-committee';
/** The town party committee (镇党委), employer of the second-level river chiefs. */
export const TOWN_PARTY_ID = 'org-town-party';
/** The police station (派出所) that runs every community police post. */
export const POLICE_STATION_ID = 'org-police';

/** Enterprises that appoint enterprise river chiefs (企业河长); the first two are named in the seed. */
export const ENTERPRISES: readonly ReferenceOrganisation[] = [
  { id: 'org-ent-ruanzhou', name: '宁波汽车软轴软管厂', kind: 'resident_unit', communityId: null },
  { id: 'org-ent-fishery', name: '莫枝渔业社', kind: 'resident_unit', communityId: null },
  { id: 'org-ent-taogong', name: '陶公岛景区', kind: 'resident_unit', communityId: null },
  { id: 'org-ent-shike', name: '南宋石刻公园', kind: 'resident_unit', communityId: null },
  { id: 'org-ent-water', name: '钱湖水务有限公司', kind: 'resident_unit', communityId: null },
];

/** The party branch organisation id of a community. */
export const partyBranchId = (communityId: string) => `org-party-${communityId.replace(/^com-/, '')}`;

/** The four-in-one partners (四合一): party, police, property management and resident units. */
export function buildOrganisations(communities: readonly ReferenceCommunity[]): ReferenceOrganisation[] {
  const byKind = (kind: string) => communities.find((c) => c.kind === kind)?.id ?? null;
  const at = (slug: string) => communities.find((c) => c.id === `com-${slug}`)?.id ?? byKind('resettlement');
  return [
    { id: PARTY_COMMITTEE_ID, name: '东钱湖社区党工委', kind: 'party', communityId: null },
    { id: TOWN_PARTY_ID, name: '东钱湖镇党委', kind: 'party', communityId: null },
    { id: POLICE_STATION_ID, name: '东钱湖派出所', kind: 'police', communityId: null },
    ...communities.map((c) => ({
      id: partyBranchId(c.id),
      name: `${c.name}党支部`,
      kind: 'party' as const,
      communityId: c.id,
    })),
    ...communities.map((c) => ({
      id: `org-property-${c.id.replace(/^com-/, '')}`,
      name: `${c.name.replace(/居委会$/, '')}物业服务中心`,
      kind: 'property' as const,
      communityId: c.id,
    })),
    { id: 'org-unit-school', name: '东钱湖镇中心小学', kind: 'resident_unit', communityId: at('liyuan') },
    { id: 'org-unit-clinic', name: '东钱湖镇卫生院', kind: 'resident_unit', communityId: at('mozhi') },
    { id: 'org-unit-sanjiang', name: '三江超市隐学山庄店', kind: 'resident_unit', communityId: at('yinxue') },
    { id: 'org-unit-kindergarten', name: '万金人家幼儿园', kind: 'resident_unit', communityId: at('wanjin') },
    ...ENTERPRISES,
  ];
}

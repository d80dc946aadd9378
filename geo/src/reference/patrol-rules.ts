import type { ReferencePatrolRule } from './types.ts';

const DAY = 24;

/**
 * Published patrol-frequency practice as data: county chiefs at least once a quarter, township once a
 * month, village once a week, enterprise chiefs once a week; a valid patrol lasts 10-30 min and covers
 * 1-2 km depending on level. Flood season (汛期) rules shorten the period.
 */
export function buildPatrolRules(): ReferencePatrolRule[] {
  return [
    {
      id: 'rule-county',
      chiefLevel: 'county',
      season: null,
      minIntervalHours: 90 * DAY,
      minDurationMin: 30,
      minDistanceM: 2000,
    },
    {
      id: 'rule-county-flood',
      chiefLevel: 'county',
      season: 'flood',
      minIntervalHours: 30 * DAY,
      minDurationMin: 30,
      minDistanceM: 2000,
    },
    {
      id: 'rule-township',
      chiefLevel: 'township',
      season: null,
      minIntervalHours: 30 * DAY,
      minDurationMin: 20,
      minDistanceM: 1500,
    },
    {
      id: 'rule-township-flood',
      chiefLevel: 'township',
      season: 'flood',
      minIntervalHours: 10 * DAY,
      minDurationMin: 20,
      minDistanceM: 1500,
    },
    {
      id: 'rule-village',
      chiefLevel: 'village',
      season: null,
      minIntervalHours: 7 * DAY,
      minDurationMin: 10,
      minDistanceM: 1000,
    },
    {
      id: 'rule-village-flood',
      chiefLevel: 'village',
      season: 'flood',
      minIntervalHours: 3 * DAY,
      minDurationMin: 10,
      minDistanceM: 1000,
    },
    {
      id: 'rule-enterprise',
      chiefLevel: 'enterprise',
      season: null,
      minIntervalHours: 7 * DAY,
      minDurationMin: 15,
      minDistanceM: 1000,
    },
    {
      id: 'rule-enterprise-flood',
      chiefLevel: 'enterprise',
      season: 'flood',
      minIntervalHours: 3 * DAY,
      minDurationMin: 15,
      minDistanceM: 1000,
    },
  ];
}

// Which written rows open an incident, and what the incident says: the one place that turns a
// camera alert or a river issue report into an incident draft (rules.ts decides level and
// severity; open.ts stores the drafts). Pure.

import type { IncidentLevel, Severity } from '@wardmap/geo';
import { decideCameraIncident, decideRiverIncident, type IncidentRules } from './rules.ts';

export interface IncidentDraft {
  source: 'camera' | 'river';
  /** The alert id or the report's message id: with `source`, it identifies the incident. */
  sourceId: string;
  category: string;
  title: string;
  description: string | null;
  severity: Severity;
  level: IncidentLevel;
  /** The alert's or report's point. */
  lon: number | null;
  lat: number | null;
  gridId: string | null;
  communityId: string | null;
  segmentId: string | null;
  cameraId: string | null;
  policePostId: string | null;
  reportedBy: string | null;
}

/** A camera alert as stored (its newest state), located at its camera. */
export interface WrittenCameraAlert {
  id: string;
  cameraId: string;
  cameraName: string;
  label: string;
  topScore: number | null;
  falsePositive: boolean | null;
  /** The incident it already opened, if any. */
  incidentId: string | null;
  lon: number;
  lat: number;
  gridId: string | null;
  communityId: string | null;
  policePostId: string | null;
}

/** A river report as newly stored, placed at its point or the middle of its segment. */
export interface WrittenRiverReport {
  messageId: string;
  segmentId: string;
  segmentName: string;
  personId: string | null;
  type: string;
  issue: string | null;
  severity: Severity | null;
  note: string | null;
  lon: number;
  lat: number;
  gridId: string | null;
  communityId: string | null;
}

const ISSUE_NAMES: Record<string, string> = {
  garbage: '河道垃圾',
  net_cage: '网箱',
  stake: '违规桩',
  pollution: '水体污染',
  bamboo_raft: '竹排',
  illegal_building: '违章建筑',
  other: '河道问题',
};

/** Incidents the alerts open: those over the rules' threshold that have none yet. */
export function draftCameraIncidents(
  rules: IncidentRules,
  alerts: readonly WrittenCameraAlert[],
): IncidentDraft[] {
  const drafts: IncidentDraft[] = [];
  for (const a of alerts) {
    if (a.incidentId) continue;
    const decision = decideCameraIncident(rules, a);
    if (!decision) continue;
    drafts.push({
      source: 'camera',
      sourceId: a.id,
      category: decision.category,
      title: `${a.label} · ${a.cameraName}`,
      description: `camera ${a.cameraId} detected ${a.label} (score ${(a.topScore ?? 0).toFixed(2)})`,
      severity: decision.severity,
      level: decision.level,
      lon: a.lon,
      lat: a.lat,
      gridId: a.gridId,
      communityId: a.communityId,
      segmentId: null,
      cameraId: a.cameraId,
      policePostId: a.policePostId,
      reportedBy: null,
    });
  }
  return drafts;
}

/** Incidents the reports open: every `issue` report opens one on its segment. */
export function draftRiverIncidents(
  rules: IncidentRules,
  reports: readonly WrittenRiverReport[],
): IncidentDraft[] {
  return reports
    .filter((r) => r.type === 'issue')
    .map((r) => {
      const d = decideRiverIncident(rules, r);
      return {
        source: 'river',
        sourceId: r.messageId,
        category: d.category,
        title: `${ISSUE_NAMES[r.issue ?? 'other'] ?? r.issue} · ${r.segmentName}`,
        description: r.note,
        severity: d.severity,
        level: d.level,
        lon: r.lon,
        lat: r.lat,
        gridId: r.gridId,
        communityId: r.communityId,
        segmentId: r.segmentId,
        cameraId: null,
        policePostId: null,
        reportedBy: r.personId,
      };
    });
}

import { IncidentCategorySchema, type IncidentLevel, type Severity } from '@wardmap/geo';

/** Which detections become incidents and at what level: data, so deployments tune it without code. */
export interface IncidentRules {
  camera: {
    /** Labels that open an incident. */
    labels: string[];
    /** Minimum (top) score; below it an alert stays an alert. */
    minScore: number;
    /** Labels whose incident starts at block level (the rest start at building level). */
    blockLabels: string[];
    /** Labels whose incident is high severity (the rest medium). */
    highLabels: string[];
  };
  river: {
    /** Level a river issue starts at. */
    level: IncidentLevel;
    /** Severity when the report gives none. */
    severityByIssue: Record<string, Severity>;
  };
}

export const DEFAULT_INCIDENT_RULES: IncidentRules = {
  camera: {
    labels: ['person', 'loitering', 'intrusion', 'smoke', 'fire'],
    minScore: 0.7,
    blockLabels: ['intrusion', 'smoke', 'fire'],
    highLabels: ['smoke', 'fire'],
  },
  river: {
    level: 'block',
    severityByIssue: {
      pollution: 'high',
      net_cage: 'medium',
      stake: 'medium',
      bamboo_raft: 'medium',
      illegal_building: 'medium',
      garbage: 'low',
      other: 'low',
    },
  },
};

export interface CameraDecision {
  category: string;
  level: IncidentLevel;
  severity: Severity;
}

/** Whether a camera alert opens an incident, and with which category, level and severity. */
export function decideCameraIncident(
  rules: IncidentRules,
  alert: { label: string; topScore: number | null; falsePositive: boolean | null },
): CameraDecision | null {
  if (alert.falsePositive === true) return null;
  if (!rules.camera.labels.includes(alert.label)) return null;
  if ((alert.topScore ?? 0) < rules.camera.minScore) return null;
  return {
    category: categoryOf(alert.label),
    level: rules.camera.blockLabels.includes(alert.label) ? 'block' : 'building',
    severity: rules.camera.highLabels.includes(alert.label) ? 'high' : 'medium',
  };
}

/** Level and severity of the incident a river issue opens. */
export function decideRiverIncident(
  rules: IncidentRules,
  report: { issue: string | null; severity: Severity | null },
): CameraDecision {
  const issue = report.issue ?? 'other';
  return {
    category: categoryOf(issue),
    level: rules.river.level,
    severity: report.severity ?? rules.river.severityByIssue[issue] ?? 'medium',
  };
}

/** An incident category for a label or issue kind; unknown ones become `other`. */
export function categoryOf(label: string): string {
  return IncidentCategorySchema.safeParse(label).success ? label : 'other';
}

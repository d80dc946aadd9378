import {
  CameraAlertSchema,
  CheckinSchema,
  parseOrReason,
  RiverReportSchema,
  resolveCheckinPerson,
} from '@wardmap/geo';
import { nativeAlertId } from '../ids.ts';
import type { Decoded } from '../items.ts';
import { fastCheckinItem } from './checkin-fast.ts';

const schemaFail = (reason: string): Decoded => ({ ok: false, stage: 'schema', reason });

/** `wardmap/checkin/<personId>` -> check-in item (the common shape by hand, the rest through zod). */
export function adaptCheckin(personId: string, data: unknown): Decoded {
  const fast = fastCheckinItem(personId, data);
  return fast ? { ok: true, item: fast } : adaptCheckinWithSchema(personId, data);
}

/** `wardmap/checkin/<personId>` -> check-in item, validated by CheckinSchema alone. */
export function adaptCheckinWithSchema(personId: string, data: unknown): Decoded {
  const parsed = parseOrReason(CheckinSchema, data);
  if (!parsed.ok) return schemaFail(parsed.reason);
  const bound = resolveCheckinPerson(parsed.value, personId);
  if (!bound.ok) return schemaFail(bound.reason);
  const c = bound.value;
  return {
    ok: true,
    item: {
      type: 'checkin',
      messageId: c.id,
      personId: c.personId,
      device: null,
      source: 'native',
      kind: c.kind,
      lon: c.location[0],
      lat: c.location[1],
      accuracy: c.accuracy ?? null,
      battery: c.battery ?? null,
      altitude: c.altitude ?? null,
      speed: c.speed ?? null,
      heading: c.heading ?? null,
      at: c.at,
      patrolId: c.patrolId ?? null,
      region: c.checkpointId ?? null,
    },
  };
}

/** `wardmap/camera/<cameraId>/alert` -> camera alert item. */
export function adaptCameraAlert(cameraId: string, data: unknown): Decoded {
  const parsed = parseOrReason(CameraAlertSchema, data);
  if (!parsed.ok) return schemaFail(parsed.reason);
  const a = parsed.value;
  return {
    ok: true,
    item: {
      type: 'camera-alert',
      messageId: `ca:${cameraId}:${a.id}`.slice(0, 128),
      cameraName: cameraId,
      alertId: nativeAlertId(cameraId, a.eventId, a.id),
      source: 'native',
      label: a.label,
      subLabel: null,
      score: a.score,
      topScore: a.score,
      state: a.state,
      zones: a.zones ?? [],
      snapshotUrl: a.snapshotUrl ?? null,
      hasClip: null,
      falsePositive: null,
      startedAt: a.at,
      endedAt: a.state === 'end' ? a.at : null,
      at: a.at,
    },
  };
}

/** `wardmap/river/<segmentId>/report` -> river report item. */
export function adaptRiverReport(segmentId: string, data: unknown): Decoded {
  const parsed = parseOrReason(RiverReportSchema, data);
  if (!parsed.ok) return schemaFail(parsed.reason);
  const r = parsed.value;
  const issue = r.type === 'issue' ? r : undefined;
  return {
    ok: true,
    item: {
      type: 'river-report',
      messageId: r.id,
      segmentId,
      personId: r.personId ?? null,
      reportType: r.type,
      issue: issue?.issue ?? null,
      count: issue?.count ?? null,
      tons: issue?.tons ?? null,
      severity: issue?.severity ?? null,
      note: issue?.note ?? null,
      photoUrl: issue?.photoUrl ?? null,
      lon: r.location?.[0] ?? null,
      lat: r.location?.[1] ?? null,
      at: r.at,
      patrolId: r.patrolId ?? null,
    },
  };
}

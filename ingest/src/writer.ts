import type { Db } from '@wardmap/db';
import type { Clock } from '@wardmap/geo';
import { draftCameraIncidents, draftRiverIncidents } from './incidents/drafts.ts';
import { openIncidents } from './incidents/open.ts';
import { DEFAULT_INCIDENT_RULES, type IncidentRules } from './incidents/rules.ts';
import type {
  CameraAlertItem,
  CameraAvailabilityItem,
  CheckinItem,
  DeviceOfflineItem,
  RejectStage,
  RiverReportItem,
} from './items.ts';
import { writeCameraAlerts, writeCameraAvailability } from './write/camera-alerts.ts';
import { prepareCheckins, writeCheckins } from './write/checkins.ts';
import { insertDeadLetters } from './write/dead-letters.ts';
import { writeDeviceStatus } from './write/devices.ts';
import { sendNotices } from './write/notices.ts';
import { loadRefs, unknownReference } from './write/refs.ts';
import { writeRiverReports } from './write/river-reports.ts';
import { batchCommunities, takeCommunityTurns } from './write/shards.ts';
import { type Accepted, type BatchEntry, ChangeSet, changed, type DeadLetter } from './write/types.ts';

export interface WriterContext {
  clock: Clock;
  incidentRules?: IncidentRules;
  /** How far device time may run ahead of `clock` (plausibility); default 5 minutes. */
  maxAheadMs?: number;
  /** Numbers change notices; monotonic per writer. */
  nextSeq: () => number;
}

export interface BatchResult {
  /** Messages whose row was newly written (or whose state change was applied). */
  stored: number;
  /** Messages already stored before (redeliveries): acknowledged, nothing written. */
  duplicates: number;
  deadLettered: Partial<Record<RejectStage, number>>;
  /** Refused messages already dead-lettered before (redeliveries): not stored again. */
  deadLetterDuplicates: number;
  notices: number;
  incidents: number;
  /** Communities the batch wrote to (its write turns; fewer means fewer batches to wait for). */
  communities: number;
}

/**
 * Writes one batch in one transaction: dead letters for refused messages (including unknown
 * people/cameras/segments), then each kind of item, then change notices (delivered on commit).
 * Throws only when the database fails; the caller retries or splits the batch.
 */
export async function writeBatch(
  db: Db,
  entries: readonly BatchEntry[],
  ctx: WriterContext,
): Promise<BatchResult> {
  return db.transaction(async (tx) => {
    const dead: DeadLetter[] = [];
    const checkins: Array<Accepted<CheckinItem>> = [];
    const offline: Array<Accepted<DeviceOfflineItem>> = [];
    const alerts: Array<Accepted<CameraAlertItem>> = [];
    const availability: Array<Accepted<CameraAvailabilityItem>> = [];
    const river: Array<Accepted<RiverReportItem>> = [];
    const decoded = entries.filter((e) => e.decoded.ok);
    const refs = await loadRefs(
      tx,
      decoded.map((e) => (e.decoded as { item: CheckinItem }).item),
    );
    for (const entry of entries) {
      const d = entry.decoded;
      if (!d.ok) {
        dead.push({
          topic: entry.topic,
          payload: entry.payload,
          stage: d.stage,
          reason: d.reason,
          receivedAt: entry.receivedAt,
        });
        continue;
      }
      const unknown = unknownReference(d.item, refs);
      if (unknown) {
        dead.push({
          topic: entry.topic,
          payload: entry.payload,
          stage: 'reference',
          reason: unknown,
          receivedAt: entry.receivedAt,
        });
        continue;
      }
      const base = { receivedAt: entry.receivedAt, entry };
      switch (d.item.type) {
        case 'checkin':
          checkins.push({ ...base, item: d.item });
          break;
        case 'device-offline':
          offline.push({ ...base, item: d.item });
          break;
        case 'camera-alert':
          alerts.push({
            ...base,
            item: { ...d.item, cameraName: refs.cameras.get(d.item.cameraName) ?? d.item.cameraName },
          });
          break;
        case 'camera-availability':
          availability.push({ ...base, item: d.item });
          break;
        case 'river-report':
          river.push({
            ...base,
            item: { ...d.item, personId: d.item.personId ?? refs.segments.get(d.item.segmentId) ?? null },
          });
          break;
      }
    }
    const now = ctx.clock.now();
    const rules = ctx.incidentRules ?? DEFAULT_INCIDENT_RULES;
    const preparedCheckins = prepareCheckins(checkins);
    // Writers take turns per community from here to the commit (the locks are released by it): a
    // batch waits only for batches that share one of its communities, and then every statement
    // below runs after that batch committed and sees its rows (READ COMMITTED: a fresh snapshot per
    // statement), as if the two were written one after the other. Derived state (patrol tracks,
    // alert folding, incidents) reads rows other batches of the same community write, so those
    // must never run side by side; batches of other communities share none of it (see shards.ts).
    const accepted = [...checkins, ...offline, ...alerts, ...river].map((a) => a.item);
    const communities = await batchCommunities(tx, accepted);
    await takeCommunityTurns(tx, communities, {
      everything: availability.length > 0,
    });
    const dl = await insertDeadLetters(tx, dead);
    const ck = await writeCheckins(
      tx,
      preparedCheckins,
      new Date(now.getTime() + (ctx.maxAheadMs ?? 300_000)),
    );
    // Same id, other content: refused visibly, after the claims decided which one was first.
    const conflicts = ck.conflicts.map(
      (c): DeadLetter => ({
        topic: c.accepted.entry.topic,
        payload: c.accepted.entry.payload,
        stage: 'conflict',
        reason: c.reason,
        receivedAt: c.accepted.receivedAt,
      }),
    );
    const cl = await insertDeadLetters(tx, conflicts);
    const conflicted = new Set(ck.conflicts.map((c) => c.accepted));
    const dev = await writeDeviceStatus(
      tx,
      conflicted.size ? checkins.filter((c) => !conflicted.has(c)) : checkins,
      offline,
    );
    const al = await writeCameraAlerts(tx, alerts, now);
    const alertIncidents = await openIncidents(tx, draftCameraIncidents(rules, al.written), now);
    const av = await writeCameraAvailability(tx, availability);
    const rv = await writeRiverReports(tx, river, now);
    const riverIncidents = await openIncidents(tx, draftRiverIncidents(rules, rv.written), now);
    // Notices once, for everything the batch changed (delivered on commit).
    const changes = new ChangeSet([
      ...changed('dead_letters', dl.ids),
      ...ck.changes,
      ...changed('dead_letters', cl.ids),
      ...dev.changes,
      ...al.changes,
      ...alertIncidents.changes,
      ...av.changes,
      ...rv.changes,
      ...riverIncidents.changes,
    ]);
    const notices = await sendNotices(tx, changes, now, ctx.nextSeq);
    const deadLettered: Partial<Record<RejectStage, number>> = {};
    for (const d of [...dl.stored, ...cl.stored]) deadLettered[d.stage] = (deadLettered[d.stage] ?? 0) + 1;
    return {
      stored: ck.inserted + dev.offlineApplied + al.applied + av.applied + rv.inserted,
      duplicates: ck.duplicates + dev.duplicates + al.duplicates + rv.duplicates,
      deadLettered,
      deadLetterDuplicates: dl.duplicates + cl.duplicates,
      notices,
      incidents: alertIncidents.created + riverIncidents.created,
      communities: communities.length,
    };
  });
}

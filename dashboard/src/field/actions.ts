import type { Fix } from './geo.ts';
import { newClientId, type Outbox } from './outbox/index.ts';

/** A photo ready to queue (already downsized on the phone). */
export interface PhotoDraft {
  bytes: ArrayBuffer;
  type: string;
  takenAt: number;
}

const photoPath = (id: string) => `/api/photos/${id}`;

/**
 * Queues photos ahead of what refers to them (the outbox keeps order, so the photo is stored before
 * its report arrives); returns their `/api/photos/<id>` references.
 */
export async function queuePhotos(
  outbox: Outbox,
  personId: string,
  photos: readonly PhotoDraft[],
  link: { reportId?: string; incidentId?: string; purpose: 'report' | 'after' | 'resolve'; group: string },
): Promise<string[]> {
  const urls: string[] = [];
  for (const [i, p] of photos.entries()) {
    const id = newClientId('ph');
    await outbox.add({
      id,
      kind: 'photo',
      group: link.group,
      personId,
      capturedAt: p.takenAt,
      label: { key: 'outbox.kind.photo', values: { n: i + 1 } },
      request: {
        path: 'photos',
        query: {
          id,
          purpose: link.purpose,
          takenAt: String(Math.round(p.takenAt)),
          ...(link.reportId ? { reportId: link.reportId } : {}),
          ...(link.incidentId ? { incidentId: link.incidentId } : {}),
        },
        bytes: p.bytes,
        contentType: p.type,
      },
    });
    urls.push(photoPath(id));
  }
  return urls;
}

/** A check-in (`location`, or the start / end of a grid patrol). */
export async function queueCheckin(
  outbox: Outbox,
  personId: string,
  fix: Fix,
  extra: { kind?: 'location' | 'start' | 'end'; patrolId?: string } = {},
): Promise<string> {
  const id = newClientId('ci');
  const kind = extra.kind ?? 'location';
  await outbox.add({
    id,
    kind: 'checkin',
    personId,
    capturedAt: fix.at,
    label: { key: `outbox.kind.checkin_${kind}` },
    request: {
      path: 'checkins',
      json: {
        id,
        location: fix.location,
        accuracy: Math.round(fix.accuracy * 10) / 10,
        at: fix.at,
        kind,
        ...(extra.patrolId ? { patrolId: extra.patrolId } : {}),
      },
    },
  });
  return id;
}

/** An incident reported by hand, its photos first. */
export async function queueIncident(
  outbox: Outbox,
  personId: string,
  r: { category: string; title?: string; severity: string; note: string; fix: Fix; photos: PhotoDraft[] },
): Promise<string> {
  const id = newClientId('in');
  const urls = await queuePhotos(outbox, personId, r.photos, { reportId: id, purpose: 'report', group: id });
  await outbox.add({
    id,
    kind: 'incident',
    group: id,
    personId,
    capturedAt: r.fix.at,
    label: { key: 'outbox.kind.incident', values: { category: r.category } },
    request: {
      path: 'incidents',
      json: {
        id,
        category: r.category,
        ...(r.title ? { title: r.title } : {}),
        severity: r.severity,
        location: r.fix.location,
        at: r.fix.at,
        ...(r.note ? { note: r.note } : {}),
        ...(urls[0] ? { photoUrl: urls[0] } : {}),
      },
    },
  });
  return id;
}

/** One work-order step as `POST /api/incidents/:id/transitions` takes it. */
export type TransitionStep = { action: string; note?: string } & Record<string, unknown>;

/** Work-order steps (e.g. resolve; or acknowledge, resolve, verify, close) after their photos. */
export async function queueTransition(
  outbox: Outbox,
  personId: string,
  incidentId: string,
  t: { steps: TransitionStep[]; photos: PhotoDraft[]; purpose: 'after' | 'resolve' },
): Promise<void> {
  const group = newClientId('tg');
  await queuePhotos(outbox, personId, t.photos, { incidentId, purpose: t.purpose, group });
  for (const step of t.steps) {
    await outbox.add({
      id: newClientId('tr'),
      kind: 'transition',
      group,
      personId,
      label: { key: `outbox.kind.${step.action}` },
      request: { path: `incidents/${encodeURIComponent(incidentId)}/transitions`, json: step },
    });
  }
}

export type RiverReportDraft =
  | { type: 'patrol_start' | 'patrol_end'; patrolId: string; fix: Fix | null; at: number }
  | { type: 'track'; patrolId: string; fix: Fix; at: number }
  | {
      type: 'issue';
      issue: string;
      count?: number;
      note?: string;
      fix: Fix | null;
      patrolId?: string;
      at: number;
      photos: PhotoDraft[];
    };

/** A river report on one segment (patrol start / track / end, or an issue with its photos). */
export async function queueRiverReport(
  outbox: Outbox,
  personId: string,
  segmentId: string,
  r: RiverReportDraft,
): Promise<string> {
  const id = newClientId('rr');
  const json: Record<string, unknown> = { id, segmentId, type: r.type, at: r.at };
  if (r.fix) json.location = r.fix.location;
  if (r.type === 'track') json.accuracy = Math.round(r.fix.accuracy * 10) / 10;
  if (r.patrolId) json.patrolId = r.patrolId;
  if (r.type === 'issue') {
    const urls = await queuePhotos(outbox, personId, r.photos, {
      reportId: id,
      purpose: 'report',
      group: id,
    });
    json.issue = r.issue;
    if (r.count !== undefined) json.count = r.count;
    if (r.note) json.note = r.note;
    if (urls[0]) json.photoUrl = urls[0];
  }
  await outbox.add({
    id,
    kind: 'river-report',
    group: id,
    personId,
    capturedAt: r.at,
    label: {
      key: `outbox.kind.river_${r.type}`,
      ...(r.type === 'issue' ? { values: { issue: r.issue } } : {}),
    },
    request: { path: 'river-reports', json },
  });
  return id;
}

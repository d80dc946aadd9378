// The duty desk's queue model, free of React and the network so it can be unit-tested: what a row
// is, how rows sort (SLA deadline first), which SLA colour a countdown has, and tab counts.

export type Level = 'building' | 'block' | 'community';
export type Severity = 'low' | 'medium' | 'high';
export type IncidentState =
  | 'open'
  | 'acknowledged'
  | 'dispatched'
  | 'resolved'
  | 'verified'
  | 'closed'
  | 'rejected';

/** An incident as `/api/board/:postId` and the stream's `incident` event carry it. */
export interface BoardIncident {
  id: string;
  category: string;
  level: Level;
  state: IncidentState;
  severity: Severity;
  title: string;
  note?: string | null;
  location?: [number, number] | null;
  communityId?: string | null;
  gridId?: string | null;
  segmentId?: string | null;
  cameraId?: string | null;
  source: { kind: 'camera_alert' | 'river_report' | 'manual'; id?: string | null };
  reporterId?: string | null;
  assigneeId?: string | null;
  createdAt: string;
  updatedAt: string;
  dueAt?: string | null;
  policePostId?: string | null;
  escalations?: number;
  callbackResult?: string | null;
  handoverNoteIds?: string[];
}

/** A camera alert that opened no incident (below the incident rules): it waits on the board too. */
export interface BoardAlert {
  id: string;
  cameraId: string;
  label: string;
  score: number | null;
  state: 'new' | 'update' | 'end';
  at: string;
  incidentId: string | null;
}

/** One queue row: an incident, or a bare camera alert. */
export type QueueItem =
  | { kind: 'incident'; id: string; incident: BoardIncident; pending?: string | undefined }
  | { kind: 'alert'; id: string; alert: BoardAlert };

/** States that keep an incident on the desk's queue. */
export const OPEN_STATES: readonly IncidentState[] = ['open', 'acknowledged', 'dispatched', 'resolved'];

export const isOpenIncident = (i: Pick<BoardIncident, 'state'>) => OPEN_STATES.includes(i.state);

export type SlaState = 'within' | 'near' | 'overdue' | 'none';

/** "near" once this share of the deadline's window is left (or less than {@link NEAR_MIN_MS}). */
export const NEAR_FRACTION = 0.25;
export const NEAR_MIN_MS = 2 * 60_000;

/**
 * SLA colour of a deadline at clock time `now`. The window starts at the incident's last change
 * (a transition sets a new deadline), so "near" scales with the SLA: 10 min or 8 h alike.
 */
export function slaState(dueAt: string | null | undefined, since: string, now: number): SlaState {
  if (!dueAt) return 'none';
  const due = Date.parse(dueAt);
  const left = due - now;
  if (left <= 0) return 'overdue';
  const window = Math.max(due - Date.parse(since), 60_000);
  return left <= Math.max(window * NEAR_FRACTION, Math.min(NEAR_MIN_MS, window / 2)) ? 'near' : 'within';
}

/** `-12:05` / `1:02:03` style countdown (negative once overdue). */
export function formatCountdown(ms: number): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const body = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  return neg ? `-${body}` : body;
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

// Sorting 2,000 rows compares ~25k pairs: keys are computed once per item object (items are
// immutable; a change replaces the object, so the cache never goes stale).
const keys = new WeakMap<QueueItem, [number, number, number, string]>();
function sortKey(item: QueueItem): [number, number, number, string] {
  let k = keys.get(item);
  if (!k) {
    k = computeKey(item);
    keys.set(item, k);
  }
  return k;
}

/** Deadline (ms) a row sorts by: incidents by SLA, bare alerts after every deadline, newest first. */
function computeKey(item: QueueItem): [number, number, number, string] {
  if (item.kind === 'alert') return [Number.POSITIVE_INFINITY, 1, -Date.parse(item.alert.at), item.id];
  const i = item.incident;
  const due = i.dueAt ? Date.parse(i.dueAt) : Number.POSITIVE_INFINITY;
  return [due, 0, SEVERITY_RANK[i.severity] * 1e15 + Date.parse(i.createdAt), item.id];
}

/** Queue order: earliest SLA deadline first; ties by severity then age; bare alerts last. */
export function compareItems(a: QueueItem, b: QueueItem): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  for (let k = 0; k < 3; k++) {
    const x = ka[k] as number;
    const y = kb[k] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return ka[3] < kb[3] ? -1 : ka[3] > kb[3] ? 1 : 0;
}

export const severityOf = (item: QueueItem): Severity =>
  item.kind === 'incident' ? item.incident.severity : 'low';

export type SeverityTab = 'all' | Severity;

/** Row counts per severity tab. */
export function tabCounts(items: Iterable<QueueItem>): Record<SeverityTab, number> {
  const c: Record<SeverityTab, number> = { all: 0, high: 0, medium: 0, low: 0 };
  for (const it of items) {
    c.all++;
    c[severityOf(it)]++;
  }
  return c;
}

/** Great-circle distance in metres between two [lon, lat] points. */
export function distanceM(a: readonly [number, number], b: readonly [number, number]): number {
  const r = Math.PI / 180;
  const dLat = (b[1] - a[1]) * r;
  const dLon = (b[0] - a[0]) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Which actions the panel offers in a state (the API still decides; a refusal shows its reason). */
export function actionsFor(state: IncidentState, level: Level): string[] {
  const out: string[] = [];
  if (state === 'open') out.push('acknowledge');
  if (state === 'open' || state === 'acknowledged') out.push('dispatch');
  if (['open', 'acknowledged', 'dispatched'].includes(state) && level !== 'community') out.push('escalate');
  if (state === 'acknowledged' || state === 'dispatched') out.push('resolve');
  if (state === 'resolved') out.push('verify');
  if (state === 'verified') out.push('close');
  return out;
}

/** What an action is expected to do, for the optimistic row update (the answer or stream corrects it). */
export function optimisticState(
  i: BoardIncident,
  action: string,
  extra: { callback?: string; assigneeId?: string } = {},
): Partial<BoardIncident> {
  switch (action) {
    case 'acknowledge':
      return { state: 'acknowledged' };
    case 'dispatch':
      return { state: 'dispatched', assigneeId: extra.assigneeId ?? i.assigneeId ?? null };
    case 'escalate': {
      const next: Level = i.level === 'building' ? 'block' : 'community';
      return { state: 'open', level: next };
    }
    case 'resolve':
      return { state: 'resolved' };
    case 'verify':
      return { state: extra.callback === 'unsatisfied' ? 'dispatched' : 'verified' };
    case 'close':
      return { state: 'closed' };
    default:
      return {};
  }
}

export interface CameraStatusChange {
  cameraId: string;
  online: boolean;
  at: string;
}

export interface CameraEventGroup {
  online: boolean;
  at: string;
  cameraIds: string[];
}

/**
 * Camera status changes folded into visible events: changes of the same direction within
 * `windowMs` of the group's first one are one event (an NVR or a switch going down takes its 30
 * cameras with it; the desk should see one line, not 30). Newest group first.
 */
export function groupCameraChanges(
  changes: readonly CameraStatusChange[],
  windowMs = 90_000,
): CameraEventGroup[] {
  const sorted = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const groups: CameraEventGroup[] = [];
  for (const c of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.online === c.online && Date.parse(c.at) - Date.parse(last.at) <= windowMs) {
      if (!last.cameraIds.includes(c.cameraId)) last.cameraIds.push(c.cameraId);
    } else {
      groups.push({ online: c.online, at: c.at, cameraIds: [c.cameraId] });
    }
  }
  return groups.reverse();
}

/**
 * The title to show: ingest titles camera incidents "<label> · <camera name>" with the English
 * label; the label part is shown in the UI language.
 */
export function displayTitle(
  i: Pick<BoardIncident, 'title' | 'category'>,
  label: (category: string) => string,
): string {
  const prefix = `${i.category} · `;
  return i.title.startsWith(prefix) ? `${label(i.category)} · ${i.title.slice(prefix.length)}` : i.title;
}

import { api, itemsOf } from '../api/client.ts';
import type { BoardAlert, BoardIncident } from './queue.ts';

// The duty desk's reads and writes, typed once. Everything goes through the scaffold's `api()`
// (cookie + bearer, CSRF header on writes, 401 -> sign-in form).

export interface BoardCamera {
  id: string;
  name: string;
  online: boolean;
  lastSeenAt: string | null;
  statusChangedAt: string | null;
  location: [number, number];
  heading?: number | null;
  fov?: number | null;
}

export interface BoardPatroller {
  id: string;
  name: string;
  gridId: string | null;
  lastSeenAt: string | null;
  location: [number, number] | null;
  patrolId: string | null;
  battery?: number | null;
}

export interface HandoverNote {
  id: string;
  authorId: string;
  authorName?: string | null;
  note: string;
  incidentIds: string[];
  at: string;
}

export interface BoardSnapshot {
  post: { id: string; name: string; communityId: string | null; location?: [number, number] | null };
  /** Clock time of the answer (the demo clock may run faster than real time). */
  at: string;
  /** How fast the server's clock runs (1 = real time). */
  clockSpeed?: number;
  incidents: BoardIncident[];
  alerts: Array<BoardAlert & { dueAt?: string | null; incidentState?: string | null }>;
  cameras: BoardCamera[];
  patrollersOnDuty: BoardPatroller[];
  handover: HandoverNote[];
}

export interface IncidentEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  fromLevel: string | null;
  toLevel: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
}

export const fetchBoard = (postId: string, signal?: AbortSignal) =>
  api<BoardSnapshot>(`board/${encodeURIComponent(postId)}`, signal ? { signal } : {});

export const fetchIncident = (id: string) =>
  api<BoardIncident & { events: IncidentEvent[] }>(`incidents/${encodeURIComponent(id)}`);

export type TransitionBody =
  | { action: 'acknowledge' | 'resolve' | 'close'; note?: string }
  | { action: 'dispatch'; assigneeId: string; note?: string }
  | { action: 'escalate'; note: string }
  | {
      action: 'verify';
      callback: { result: 'satisfied' | 'unsatisfied' | 'unreachable'; note?: string };
      note?: string;
    };

export const postTransition = (id: string, body: TransitionBody) =>
  api<BoardIncident>(`incidents/${encodeURIComponent(id)}/transitions`, { body });

export const postHandover = (postId: string, note: string, incidentIds: string[]) =>
  api<HandoverNote>(`board/${encodeURIComponent(postId)}/handover`, { body: { note, incidentIds } });

export interface ComplianceAlert {
  personId: string;
  personName: string | null;
  gridId: string;
  minutesOutside: number;
  thresholdMin: number;
}

export const fetchComplianceAlerts = async () =>
  (await api<{ items: ComplianceAlert[] }>('compliance/alerts')).items;

export interface PostRef {
  id: string;
  name: string;
}

/** Police posts (for an admin picking a board). */
export const fetchPosts = async () => {
  const body = await api<{ features: Array<{ properties: PostRef }> } | PostRef[] | { items: PostRef[] }>(
    'layers/police-posts',
  );
  if ('features' in body) return body.features.map((f) => f.properties);
  return itemsOf(body);
};

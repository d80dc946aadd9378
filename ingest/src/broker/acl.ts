// Topic ACL for the embedded broker, the same rules the Mosquitto ACL file encodes, plus the payload
// checks only the embedded broker can make (Mosquitto's ACL sees topics, not payloads). Pure functions.
import { splitCommunity } from '../topics.ts';

/** Who a broker connection is, as established at CONNECT. */
export type BrokerIdentity =
  | { kind: 'admin'; username: string }
  /** Ingest's own connection: reads everything, publishes nothing. */
  | { kind: 'ingest'; username: string }
  | { kind: 'person'; username: string; roles: readonly string[]; segments: readonly string[] }
  /** A camera with its own MQTT login: only its own native alerts. */
  | { kind: 'camera'; username: string }
  /** A Frigate NVR: Frigate's topics, for the cameras assigned to it (by Frigate camera name). */
  | { kind: 'nvr'; username: string; cameras: readonly string[] };

/** Client ids of the service connections; nobody else may take them (and so kick the service off). */
export const RESERVED_CLIENT_ID = /^wardmap-(ingest|api)/;

/** Strips `$share/<group>/` so shared subscriptions are judged by their real filter. */
export function unshare(filter: string): string {
  const m = /^\$share\/[^/]+\/(.*)$/.exec(filter);
  return m ? (m[1] as string) : filter;
}

/**
 * Whether `who` may connect with `clientId`: the service ids (`wardmap-ingest…`, `wardmap-api…`)
 * belong to ingest and admin; a person's or device's client id starts with its own user name
 * (`p-0002`, `p-0002-phone`), so one login can never take over another's session.
 */
export function canUseClientId(who: BrokerIdentity, clientId: string): boolean {
  if (who.kind === 'admin' || who.kind === 'ingest') return true;
  if (RESERVED_CLIENT_ID.test(clientId)) return false;
  return clientId === who.username || clientId.startsWith(`${who.username}-`);
}

/**
 * What an identity may publish: a person its own check-in and OwnTracks topics and the report
 * topic of each river segment it chiefs; a camera its own alert topic; an NVR Frigate's shared
 * topics and the per-camera topics of its own cameras; admin anything; ingest nothing. A device
 * topic may carry a community level (`wardmap/community/<c>/checkin/<id>`): it is a routing hint,
 * judged like the topic without it.
 */
export function canPublish(who: BrokerIdentity, fullTopic: string): boolean {
  const topic = splitCommunity(fullTopic).topic;
  switch (who.kind) {
    case 'admin':
      return true;
    case 'ingest':
      return false;
    case 'person': {
      const id = who.username;
      if (topic === `wardmap/checkin/${id}`) return true;
      if (topic.startsWith(`owntracks/${id}/`) && topic.split('/').length >= 3) return true;
      const river = /^wardmap\/river\/([^/]+)\/report$/.exec(topic);
      return !!river && who.segments.includes(river[1] as string);
    }
    case 'camera':
      return topic === `wardmap/camera/${who.username}/alert`;
    case 'nvr': {
      if (topic === 'frigate/events' || topic === 'frigate/available') return true;
      const cam = /^frigate\/([^/]+)\//.exec(topic);
      return !!cam && who.cameras.includes(cam[1] as string);
    }
  }
}

/** Every camera name a Frigate event names (`before.camera`, `after.camera`). */
function frigateCameras(json: unknown): string[] {
  if (!json || typeof json !== 'object') return [];
  const out: string[] = [];
  for (const k of ['before', 'after'] as const) {
    const side = (json as Record<string, unknown>)[k];
    if (side && typeof side === 'object') {
      const cam = (side as Record<string, unknown>).camera;
      if (cam !== undefined) out.push(String(cam));
    }
  }
  return out;
}

/**
 * The payload half of publishing as oneself (embedded broker only): a person's JSON payload may
 * not name another person (`personId`), and an NVR's `frigate/events` may name only its own
 * cameras. A payload that is not JSON passes here: ingest dead-letters it with the reason.
 * Returns the reason for a refusal, or null.
 */
export function payloadRefusal(who: BrokerIdentity, topic: string, payload: Uint8Array): string | null {
  if (who.kind !== 'person' && !(who.kind === 'nvr' && topic === 'frigate/events')) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return null;
  }
  if (who.kind === 'person') {
    const named = json && typeof json === 'object' ? (json as Record<string, unknown>).personId : undefined;
    return named !== undefined && named !== who.username
      ? `${who.username} may not publish as person ${String(named).slice(0, 64)}`
      : null;
  }
  if (who.kind === 'nvr') {
    const foreign = frigateCameras(json).filter((c) => !who.cameras.includes(c));
    if (frigateCameras(json).length === 0) return `${who.username}: a Frigate event must name its camera`;
    return foreign.length ? `camera ${foreign[0]!.slice(0, 64)} is not assigned to ${who.username}` : null;
  }
  return null;
}

/** What an identity may subscribe to: admin and ingest anything; a person only its own OwnTracks and check-in topics; devices nothing. */
export function canSubscribe(who: BrokerIdentity, filter: string): boolean {
  const f = splitCommunity(unshare(filter)).topic;
  switch (who.kind) {
    case 'admin':
    case 'ingest':
      return true;
    case 'person':
      return f === `wardmap/checkin/${who.username}` || f.startsWith(`owntracks/${who.username}/`);
    case 'camera':
    case 'nvr':
      return false;
  }
}

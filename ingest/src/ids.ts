import { createHash } from 'node:crypto';

const MAX_ID = 128;

function shortHash(text: string, chars = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, chars);
}

/** Joins parts into an id of at most 128 characters; too-long ids become `<prefix>h<hash>`. */
export function boundedId(prefix: string, ...parts: string[]): string {
  const joined = `${prefix}${parts.join(':')}`;
  return joined.length <= MAX_ID ? joined : `${prefix}h${shortHash(joined, 32)}`;
}

/** Incident id: `inc-` + a short stable hash of source and source id, so a redelivery finds the same incident. */
export function incidentId(source: string, sourceId: string): string {
  return `inc-${shortHash(`${source}:${sourceId}`)}`;
}

/** Id of the alert a native camera message belongs to: its event id when given, else the message itself. */
export function nativeAlertId(cameraId: string, eventId: string | undefined, messageId: string): string {
  return boundedId('ca:', cameraId, eventId ?? messageId);
}

/** Id of the alert for a Frigate event id. */
export function frigateAlertId(eventId: string): string {
  return boundedId('fr:', eventId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** Patrol id for a grid patrol started without an explicit id: person and start time identify it. */
export function gridPatrolId(personId: string, at: string): string {
  return `gp-${personId}-${Date.parse(at)}`;
}

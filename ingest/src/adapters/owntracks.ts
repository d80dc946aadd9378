import { OwnTracksMessageSchema, ownTracksTime, parseOrReason, stableOwnTracksMessageId } from '@wardmap/geo';
import type { Decoded } from '../items.ts';

// OwnTracks reports -1 or out-of-range values for "unknown" in a few fields; keep them unknown.
const within = (v: number | undefined, min: number, max: number) =>
  v !== undefined && v >= min && v <= max ? v : null;

/**
 * `owntracks/<user>/<device>[/event]` -> check-in (location, transition) or device-offline (lwt).
 * `<user>` is the person id; the message id is derived from (user, device, tst, _type).
 */
export function adaptOwnTracks(user: string, device: string, data: unknown): Decoded {
  const parsed = parseOrReason(OwnTracksMessageSchema, data);
  if (!parsed.ok) return { ok: false, stage: 'schema', reason: parsed.reason };
  const m = parsed.value;
  const messageId = stableOwnTracksMessageId(user, device, m);
  if (m._type === 'lwt') {
    return {
      ok: true,
      item: { type: 'device-offline', messageId, personId: user, device, at: ownTracksTime(m.tst) },
    };
  }
  if (m._type === 'transition' && (m.lat === undefined || m.lon === undefined)) {
    return {
      ok: false,
      stage: 'schema',
      reason: 'lat: a transition without a location cannot be placed on the map',
    };
  }
  const isLocation = m._type === 'location';
  return {
    ok: true,
    item: {
      type: 'checkin',
      messageId,
      personId: user,
      device,
      source: 'owntracks',
      kind: isLocation ? 'location' : m.event,
      lon: m.lon as number,
      lat: m.lat as number,
      accuracy: within(m.acc, 0, 1e6),
      battery: isLocation ? within(m.batt, 0, 100) : null,
      altitude: isLocation ? (m.alt ?? null) : null,
      // OwnTracks speed is km/h; Wardmap stores m/s.
      speed: isLocation && within(m.vel, 0, 2000) !== null ? (m.vel as number) / 3.6 : null,
      heading: isLocation ? within(m.cog, 0, 360) : null,
      at: ownTracksTime(m.tst),
      patrolId: null,
      region: m._type === 'transition' ? (m.desc ?? m.rid ?? null) : null,
    },
  };
}

import { type LonLat, stableOwnTracksMessageId } from '@wardmap/geo';
import type { IdSource } from '../ids.ts';
import { type Publication, topics } from '../publication.ts';

/** One position report as the patroller's phone sees it. */
export interface Fix {
  at: number;
  location: LonLat;
  accuracy: number;
  battery: number;
  /** m/s */
  speed: number;
  heading: number;
  kind: 'location' | 'start' | 'end' | 'checkpoint';
  patrolId: string;
  checkpointId?: string;
}

/** Turns fixes into what a particular phone app sends. */
export interface Phone {
  readonly app: 'native' | 'owntracks';
  send(fix: Fix): Publication[];
  /** The phone dropped off the network at `at` (OwnTracks: the broker publishes its last will). */
  dropped(at: number): Publication[];
  /** The phone is connected again at `at`. */
  reconnected(at: number): void;
}

/** Wardmap's own app: native check-ins on `wardmap/checkin/<personId>`. */
export function nativePhone(personId: string, ids: IdSource): Phone {
  return {
    app: 'native',
    send(fix) {
      const id = ids(personId, 'ck');
      const body = {
        id,
        personId,
        location: fix.location,
        accuracy: fix.accuracy,
        battery: Math.round(fix.battery),
        speed: Math.round(fix.speed * 10) / 10,
        heading: Math.round(fix.heading),
        at: new Date(fix.at).toISOString(),
        kind: fix.kind,
        patrolId: fix.patrolId,
        ...(fix.checkpointId ? { checkpointId: fix.checkpointId } : {}),
      };
      return [
        {
          at: fix.at,
          kind: 'checkin',
          topic: topics.checkin(personId),
          payload: JSON.stringify(body),
          identity: personId,
          messageId: id,
        },
      ];
    },
    dropped: () => [],
    reconnected: () => {},
  };
}

/**
 * The OwnTracks app: `location` on `owntracks/<user>/<device>` (Unix seconds, km/h), region
 * `transition`s on `.../event` when a patrol enters or leaves the block, `lwt` when it drops off.
 * `stringy` phones sit behind an HTTP bridge that turns numbers into strings, which Wardmap accepts.
 */
export function ownTracksPhone(opts: {
  personId: string;
  device: string;
  tid: string;
  region: { id: string; center: LonLat; radius: number; createdAt: number };
  stringy: boolean;
  connectedAt: number;
}): Phone {
  const { personId: user, device, tid, region, stringy } = opts;
  let connectedAt = Math.floor(opts.connectedAt / 1000);
  const num = (v: number) => (stringy ? String(v) : v);
  const publication = (
    topic: string,
    body: { _type: 'location' | 'transition' | 'lwt'; tst: number },
    at: number,
  ) =>
    ({
      at,
      kind: 'owntracks',
      topic,
      payload: JSON.stringify(body),
      identity: user,
      messageId: stableOwnTracksMessageId(user, device, body),
    }) satisfies Publication;
  return {
    app: 'owntracks',
    send(fix) {
      const tst = Math.floor(fix.at / 1000);
      const out: Publication[] = [];
      if (fix.kind === 'start' || fix.kind === 'end') {
        const transition = {
          _type: 'transition' as const,
          event: fix.kind === 'start' ? 'enter' : 'leave',
          desc: region.id,
          rid: region.id,
          wtst: Math.floor(region.createdAt / 1000),
          t: 'c',
          tid,
          tst,
          lat: fix.location[1],
          lon: fix.location[0],
          acc: Math.round(fix.accuracy),
        };
        out.push(publication(topics.ownTracksEvent(user, device), transition, fix.at));
      }
      const location = {
        _type: 'location' as const,
        tid,
        tst,
        lat: num(fix.location[1]),
        lon: num(fix.location[0]),
        acc: num(Math.round(fix.accuracy)),
        // OwnTracks omits zero-valued fields such as velocity when standing still.
        ...(fix.speed > 0.2 ? { vel: num(Math.round(fix.speed * 3.6)), cog: Math.round(fix.heading) } : {}),
        batt: num(Math.round(fix.battery)),
        bs: 1,
        conn: 'm',
        m: 1,
        t: fix.kind === 'location' ? 't' : 'u',
        ...(fix.kind === 'end' ? {} : { inregions: [region.id] }),
        topic: topics.ownTracks(user, device),
      };
      out.push(publication(topics.ownTracks(user, device), location, fix.at));
      return out;
    },
    dropped(at) {
      const lwt = publication(topics.ownTracks(user, device), { _type: 'lwt', tst: connectedAt }, at);
      return [{ ...lwt, lastWill: true }];
    },
    reconnected(at) {
      connectedAt = Math.floor(at / 1000);
    },
  };
}

/**
 * The same app in HTTP mode: it posts what it would have published. There is no connection, so
 * there is no last will when it drops off the network; queued fixes still go out in a burst.
 */
export function overHttp(phone: Phone): Phone {
  return {
    app: phone.app,
    send: (fix) => phone.send(fix).map((p) => ({ ...p, via: 'http' as const })),
    dropped: () => [],
    reconnected: (at) => phone.reconnected(at),
  };
}

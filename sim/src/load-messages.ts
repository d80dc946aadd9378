import {
  createRng,
  generateReference,
  type LonLat,
  offsetMetres,
  type ReferenceGeography,
  stableOwnTracksMessageId,
} from '@wardmap/geo';
import { round7 } from './gps.ts';
import { type PublicationKind, topics } from './publication.ts';

/** Message kinds load mode can mix. */
export type LoadKind = 'checkin' | 'owntracks' | 'camera' | 'river';
export type LoadMix = Partial<Record<LoadKind, number>>;

export interface LoadMessage {
  kind: PublicationKind;
  topic: string;
  payload: string;
  messageId: string;
}

/**
 * Builds load-mode messages: `patrollers` simulated devices, each bound to a person id (the demo's
 * people in turn, since ingest dead-letters unknown persons, or synthetic `load-000001` ids) and a
 * home position inside a demo block. Cheap per message: one object and one JSON.stringify.
 */
export function createLoadMessages(opts: {
  patrollers: number;
  runTag: string;
  seed?: number;
  syntheticPeople?: boolean;
  mix?: LoadMix;
  reference?: ReferenceGeography;
}) {
  const ref = opts.reference ?? generateReference();
  const rng = createRng(opts.seed ?? 1);
  const people = ref.people.map((p) => p.id);
  const homes: LonLat[] = [];
  const personOf: string[] = [];
  for (let i = 0; i < opts.patrollers; i++) {
    const grid = rng.pick(ref.grids);
    const corner = grid.geometry.coordinates[0]?.[0] ?? ref.meta.center;
    homes.push(offsetMetres(corner, rng.range(10, 150), rng.range(10, 150)));
    personOf.push(
      opts.syntheticPeople ? `load-${String(i + 1).padStart(6, '0')}` : (people[i % people.length] as string),
    );
  }
  const weights = Object.entries(opts.mix ?? { checkin: 1 }).filter(([, w]) => (w ?? 0) > 0) as [
    LoadKind,
    number,
  ][];
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const lastTst = new Map<number, number>();
  let seq = 0;

  const kindFor = (): LoadKind => {
    if (weights.length === 1) return (weights[0] as [LoadKind, number])[0];
    let x = rng.next() * total;
    for (const [k, w] of weights) {
      x -= w;
      if (x < 0) return k;
    }
    return 'checkin';
  };

  return (now: number): LoadMessage => {
    seq += 1;
    const device = seq % opts.patrollers;
    const personId = personOf[device] as string;
    const home = homes[device] as LonLat;
    const [lon, lat] = offsetMetres(home, rng.range(-30, 30), rng.range(-30, 30));
    const location: LonLat = [round7(lon), round7(lat)];
    const id = `load-${opts.runTag}-${seq}`;
    const kind = kindFor();
    if (kind === 'owntracks') {
      // OwnTracks ids come from (user, device, tst): keep tst strictly increasing per device.
      const tst = Math.max(Math.floor(now / 1000), (lastTst.get(device) ?? 0) + 1);
      lastTst.set(device, tst);
      const deviceName = `ld${device}`;
      const body = {
        _type: 'location' as const,
        tst,
        lat: location[1],
        lon: location[0],
        acc: 8,
        batt: 80,
        tid: 'ld',
      };
      return {
        kind: 'owntracks',
        topic: topics.ownTracks(personId, deviceName),
        payload: JSON.stringify(body),
        messageId: stableOwnTracksMessageId(personId, deviceName, body),
      };
    }
    if (kind === 'camera') {
      const camera = ref.cameras[seq % ref.cameras.length];
      // Scores under any sensible incident threshold: load should not flood the incident queue.
      const body = { id, label: 'person', score: 0.3, at: now, state: 'new', eventId: id };
      return {
        kind: 'camera_alert',
        topic: topics.cameraAlert(camera?.id ?? 'cam-001'),
        payload: JSON.stringify(body),
        messageId: id,
      };
    }
    if (kind === 'river') {
      const segment = ref.riverSegments[seq % ref.riverSegments.length];
      const point = segment?.geometry.coordinates[0] ?? location;
      const body = {
        id,
        personId: segment?.chiefId,
        type: 'track',
        patrolId: `load-${opts.runTag}`,
        location: point,
        accuracy: 10,
        at: now,
      };
      return {
        kind: 'river_report',
        topic: topics.riverReport(segment?.id ?? 'seg-01'),
        payload: JSON.stringify(body),
        messageId: id,
      };
    }
    const body = { id, personId, location, accuracy: 8, battery: 80, at: now, kind: 'location' };
    return { kind: 'checkin', topic: topics.checkin(personId), payload: JSON.stringify(body), messageId: id };
  };
}

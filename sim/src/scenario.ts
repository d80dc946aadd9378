import {
  createRng,
  generateReference,
  type ReferenceGeography,
  type ReferenceRiverSegment,
} from '@wardmap/geo';
import { createFrigateCamera, createNvrAvailability, type Nvr } from './actors/frigate.ts';
import { createNativeCamera } from './actors/native-camera.ts';
import type { Shift } from './actors/patroller.ts';
import { createPatroller } from './actors/patroller.ts';
import { nativePhone, overHttp, ownTracksPhone, type Phone } from './actors/phone.ts';
import { createRiverChief } from './actors/river-chief.ts';
import { createRiverWatch } from './actors/river-watch.ts';
import { createIdSource, runTagFor } from './ids.ts';
import { blockRoute } from './routes.ts';
import { type Actor, createSchedule, type Schedule } from './schedule.ts';

const SECOND = 1000;

export interface ScenarioOptions {
  /** Same seed and start: same publications, byte for byte. Default 1. */
  seed?: number;
  /** Clock time (epoch ms) the simulated day begins. */
  start: number;
  /** Multiplies camera-alert and river-issue rates (1 = realistic). Default 1. */
  intensity?: number;
  /** Share of patrollers carrying the OwnTracks app instead of Wardmap's. Default 0.3. */
  ownTracksShare?: number;
  /**
   * Share of patrollers whose app (native or OwnTracks) runs in HTTP mode, posting to the API
   * instead of publishing over MQTT. Default 0: everyone on MQTT.
   */
  httpShare?: number;
  /** The geography to animate; default the demo reference. */
  reference?: ReferenceGeography;
}

export interface Scenario {
  schedule: Schedule;
  runTag: string;
  actors: {
    patrollers: number;
    ownTracksPhones: number;
    /** Patrollers whose phone posts over HTTP (included in `patrollers`). */
    httpPhones: number;
    riverChiefs: number;
    nativeCameras: number;
    frigateCameras: number;
  };
}

function periodHoursFor(ref: ReferenceGeography, segment: ReferenceRiverSegment): number {
  const rule = ref.patrolRules.find((r) => r.chiefLevel === segment.level && r.season === null);
  return rule?.minIntervalHours ?? 7 * 24;
}

/**
 * Every actor of the live demo on the reference geography, in one deterministic timetable. The
 * first seconds are seeded so a newcomer sees life at once: patrollers check in within ~2 s, a river
 * chief starts a patrol and an issue is reported within ~15 s, a native and a Frigate camera alert
 * within ~12 s.
 */
export function createScenario(opts: ScenarioOptions): Scenario {
  const ref = opts.reference ?? generateReference();
  const seed = opts.seed ?? 1;
  const start = opts.start;
  const intensity = opts.intensity ?? 1;
  const rng = createRng(seed);
  const seeding = rng.fork('seeding');
  const runTag = runTagFor(start);
  const ids = createIdSource(runTag);
  const actors: Actor[] = [];

  // Patrollers: 12-hour shifts; a block's two patrollers take day and night, single-patroller
  // blocks alternate so someone is out at any hour.
  const phoneRng = rng.fork('phones');
  const patrollerIds = createIdSource(runTag);
  let patrollers = 0;
  let ownTracksPhones = 0;
  let httpPhones = 0;
  // Its own stream, so choosing HTTP phones leaves every other choice of the seed as it was.
  const httpRng = rng.fork('http-phones');
  const httpShare = opts.httpShare ?? 0;
  ref.grids.forEach((grid, gridIndex) => {
    const route = blockRoute(
      grid,
      ref.buildings.filter((b) => b.gridId === grid.id),
    );
    const people = ref.people.filter((p) => p.gridId === grid.id && p.roles.includes('patroller'));
    people.forEach((person, i) => {
      const shift: Shift = (gridIndex + i) % 2 === 0 ? 'day' : 'night';
      const owntracks = phoneRng.next() < (opts.ownTracksShare ?? 0.3);
      const ring = grid.geometry.coordinates[0] ?? [];
      const http = httpRng.next() < httpShare;
      const app: Phone = owntracks
        ? ownTracksPhone({
            personId: person.id,
            device: 'phone',
            tid: person.id.slice(-2),
            region: {
              id: grid.id,
              center: route.points[0] ?? ring[0] ?? [0, 0],
              radius: 150,
              createdAt: start - 30 * 86_400_000,
            },
            stringy: phoneRng.next() < 0.4,
            connectedAt: start,
          })
        : nativePhone(person.id, ids);
      const phone = http ? overHttp(app) : app;
      if (owntracks) ownTracksPhones += 1;
      if (http) httpPhones += 1;
      patrollers += 1;
      actors.push(
        createPatroller({
          personId: person.id,
          route,
          shift,
          phone,
          rng: rng.fork(`patroller:${person.id}`),
          start,
          patrolIds: (id) => patrollerIds(id, 'gp'),
        }),
      );
    });
  });

  const earlyChief = seeding.pick(ref.riverSegments);
  for (const segment of ref.riverSegments) {
    actors.push(
      createRiverChief({
        segment,
        periodHours: periodHoursFor(ref, segment),
        rng: rng.fork(`chief:${segment.id}`),
        ids,
        start,
        ...(segment === earlyChief ? { firstAt: start + seeding.range(2, 8) * SECOND } : {}),
      }),
    );
  }
  actors.push(
    createRiverWatch({
      segments: ref.riverSegments,
      rng: rng.fork('river-watch'),
      ids,
      start,
      intensity,
      firstAt: start + seeding.range(5, 15) * SECOND,
    }),
  );

  // Cameras: about half report through a Frigate NVR, the rest with the native firmware.
  const cameraRng = rng.fork('cameras');
  const split = ref.cameras.map((camera) => ({ camera, frigate: cameraRng.next() < 0.5 }));
  const natives = split.filter((c) => !c.frigate).map((c) => c.camera);
  const frigates = split.filter((c) => c.frigate).map((c) => c.camera);
  // The demo database's NVR identity (db's DEMO_NVR_ID), the one login allowed to publish Frigate topics.
  const nvr: Nvr = { online: true, account: 'nvr-demo' };
  const earlyNative = natives.length > 0 ? seeding.pick(natives) : undefined;
  const earlyFrigate = frigates.length > 0 ? seeding.pick(frigates) : undefined;
  actors.push(createNvrAvailability({ nvr, rng: rng.fork('nvr'), start, intensity }));
  for (const camera of natives) {
    actors.push(
      createNativeCamera({
        camera,
        rng: rng.fork(`camera:${camera.id}`),
        ids,
        start,
        intensity,
        ...(camera === earlyNative ? { firstAt: start + seeding.range(3, 9) * SECOND } : {}),
      }),
    );
  }
  for (const camera of frigates) {
    actors.push(
      createFrigateCamera({
        camera,
        nvr,
        rng: rng.fork(`camera:${camera.id}`),
        start,
        intensity,
        ...(camera === earlyFrigate ? { firstAt: start + seeding.range(4, 12) * SECOND } : {}),
      }),
    );
  }

  return {
    schedule: createSchedule(actors),
    runTag,
    actors: {
      patrollers,
      ownTracksPhones,
      httpPhones,
      riverChiefs: ref.riverSegments.length,
      nativeCameras: natives.length,
      frigateCameras: frigates.length,
    },
  };
}

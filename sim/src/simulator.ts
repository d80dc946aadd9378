import { randomBytes } from 'node:crypto';
import { type Clock, type ReferenceGeography, systemClock } from '@wardmap/geo';
import { createHttpPoster, type HttpPoster, type HttpPosterStats } from './http-poster.ts';
import type { Publication, PublicationKind } from './publication.ts';
import { createPublisher, type IdentityMode } from './publisher.ts';
import { createScenario, type Scenario } from './scenario.ts';

export interface SimulatorOptions {
  mqttUrl: string;
  /** Shared-connection credentials: `admin` + the admin token, or the embedded broker's. */
  username?: string;
  password?: string;
  /** Device times and schedules follow this clock; a `scaledClock(N)` runs the day N times faster. */
  clock?: Clock;
  seed?: number;
  /** Put in front of every topic (test isolation on a shared broker). Default ''. */
  topicPrefix?: string;
  log?: (line: string) => void;
  /** Multiplies camera-alert and river-issue rates. Default 1. */
  intensity?: number;
  /** `shared` (default): one connection; `per-actor`: each person/camera logs in as itself. */
  identities?: IdentityMode;
  /** Password of the person and camera identities in per-actor mode. Default `wardmap-demo`. */
  actorPassword?: string;
  ownTracksShare?: number;
  /**
   * Base URL of the Wardmap API (e.g. `http://127.0.0.1:8080`). Set: a share of patrollers
   * (`httpShare`) post their check-ins over HTTP as the apps' HTTP modes do, logging in with
   * `actorPassword`. Unset: everything goes over MQTT.
   */
  apiUrl?: string;
  /** Share of patrollers on HTTP when `apiUrl` is set (chosen by the seed). Default 0.15. */
  httpShare?: number;
  reference?: ReferenceGeography;
  /** Called for each publication as it is handed to MQTT or the API (topic without prefix). */
  onPublish?: (p: Publication) => void;
}

export interface SimulatorStats {
  runTag: string;
  startedAt: string;
  actors: Scenario['actors'];
  /** Handed to MQTT or (for HTTP phones) the API, per kind. */
  published: Record<PublicationKind, number>;
  /** PUBACKs plus 2xx answers of the API. */
  acked: number;
  failed: number;
  /** Handed to MQTT but not acknowledged yet (after `stop()`: never acknowledged). */
  pending: number;
  connections: number;
  /** The HTTP phones' share of the above (all zero without `apiUrl`). */
  http: HttpPosterStats;
}

export interface RunningSimulator {
  readonly runTag: string;
  stats(): SimulatorStats;
  stop(): Promise<void>;
}

const emptyCounts = (): Record<PublicationKind, number> => ({
  checkin: 0,
  owntracks: 0,
  camera_alert: 0,
  frigate_event: 0,
  frigate_available: 0,
  river_report: 0,
});

/**
 * Starts the live demo: every actor of the scenario publishes over MQTT as its clock time comes
 * (with `apiUrl`, some phones post over HTTP instead).
 * Resolves once the broker connection is up; the first check-ins follow within ~2 s of clock time.
 */
export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => {});
  const start = clock.now().getTime();
  const scenario = createScenario({
    start,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.intensity !== undefined ? { intensity: opts.intensity } : {}),
    ...(opts.ownTracksShare !== undefined ? { ownTracksShare: opts.ownTracksShare } : {}),
    httpShare: opts.apiUrl ? (opts.httpShare ?? 0.15) : 0,
    ...(opts.reference ? { reference: opts.reference } : {}),
  });
  const publisher = createPublisher({
    mqttUrl: opts.mqttUrl,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    identities: opts.identities ?? 'shared',
    ...(opts.actorPassword !== undefined ? { actorPassword: opts.actorPassword } : {}),
    topicPrefix: opts.topicPrefix ?? '',
    clientIdPrefix: `wardmap-sim-${scenario.runTag}-${randomBytes(3).toString('hex')}`,
    log,
  });
  try {
    await publisher.ready(15_000);
  } catch (err) {
    await publisher.close();
    throw err;
  }

  const http: HttpPoster | undefined = opts.apiUrl
    ? createHttpPoster({ apiUrl: opts.apiUrl, password: opts.actorPassword ?? 'wardmap-demo', log })
    : undefined;
  const published = emptyCounts();
  let acked = 0;
  let failed = 0;
  let lastError = '';
  const pending = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const send = (p: Publication) => {
    published[p.kind] += 1;
    opts.onPublish?.(p);
    const done = (p.via === 'http' && http ? http.post(p) : publisher.publish(p)).then(
      () => {
        acked += 1;
      },
      (err: Error) => {
        failed += 1;
        if (err.message !== lastError) {
          log(`${p.via === 'http' ? 'HTTP post' : 'publish'} to ${p.topic} failed: ${err.message}`);
        }
        lastError = err.message;
      },
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  const { actors } = scenario;
  log(
    `${actors.patrollers} patrollers (${actors.ownTracksPhones} on OwnTracks), ${actors.riverChiefs} river chiefs, ` +
      `${actors.nativeCameras} native + ${actors.frigateCameras} Frigate cameras; clock x${clock.speed}, ` +
      `${opts.identities ?? 'shared'} identities` +
      (http ? `; ${actors.httpPhones} phones post over HTTP to ${opts.apiUrl}` : ''),
  );

  let lastSummary = Date.now();
  const loop = async () => {
    while (!stopped) {
      for (const p of scenario.schedule.runUntil(clock.now().getTime())) send(p);
      if (Date.now() - lastSummary >= 60_000) {
        lastSummary = Date.now();
        const total = Object.values(published).reduce((a, b) => a + b, 0);
        log(`${total} messages published, ${acked} acknowledged, ${failed} failed`);
      }
      // Sleep until the next step is due in clock time, but re-check at least once a second in case
      // the clock is moved by hand (manual clocks in tests).
      const dueIn = (scenario.schedule.nextAt() - clock.now().getTime()) / clock.speed;
      const waitMs = Math.max(5, Math.min(1000, dueIn));
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, waitMs);
      });
    }
  };
  const running = loop().catch((err: Error) => log(`stopped on error: ${err.stack ?? err.message}`));

  return {
    runTag: scenario.runTag,
    stats: () => ({
      runTag: scenario.runTag,
      startedAt: new Date(start).toISOString(),
      actors: scenario.actors,
      published: { ...published },
      acked,
      failed,
      pending: pending.size,
      connections: publisher.connections,
      http: http?.stats() ?? { posted: 0, logins: 0, retries: 0 },
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await running;
      // In-flight messages get a while to finish (an HTTP post behind a busy API and its retries).
      await Promise.race([
        Promise.allSettled([...pending]),
        new Promise((r) => setTimeout(r, 15_000).unref()),
      ]);
      http?.close();
      await publisher.close();
    },
  };
}

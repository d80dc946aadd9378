import { generateReference, scaledClock } from '@wardmap/geo';
import { type Publication, publicationProblem, startSimulator } from '@wardmap/sim';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBroker, type TestBroker } from '../support/mqtt.ts';

let broker: TestBroker;
let watcher: MqttClient;
const seen: Publication[] = [];

const KIND_OF: [RegExp, Publication['kind']][] = [
  [/^wardmap\/checkin\//, 'checkin'],
  [/^wardmap\/camera\//, 'camera_alert'],
  [/^wardmap\/river\//, 'river_report'],
  [/^owntracks\//, 'owntracks'],
  [/^frigate\/events$/, 'frigate_event'],
  [/^frigate\/available$/, 'frigate_available'],
];

beforeAll(async () => {
  broker = await openTestBroker();
  watcher = await mqtt.connectAsync(broker.url, { clientId: broker.clientId('watch'), protocolVersion: 4 });
  watcher.on('message', (fullTopic, payload) => {
    const topic = fullTopic.slice(broker.topicPrefix.length);
    const kind = KIND_OF.find(([re]) => re.test(topic))?.[1];
    if (kind)
      seen.push({ at: Date.now(), kind, topic, payload: payload.toString(), identity: null, messageId: '' });
  });
  const p = broker.topicPrefix;
  await watcher.subscribeAsync(
    [`${p}wardmap/#`, `${p}owntracks/#`, `${p}frigate/#`].map((t) => t),
    { qos: 1 },
  );
});

afterAll(async () => {
  await watcher?.endAsync();
  await broker?.close();
});

describe(`live simulator over MQTT (${process.env.MQTT_URL ? 'mosquitto' : 'aedes'})`, () => {
  it('shows check-ins, a native and a Frigate camera alert and a river report within 20 clock seconds, all valid', async () => {
    // Speed 5: the first 20 simulated seconds take 4 real ones.
    const origin = Date.parse('2026-06-01T02:00:00Z');
    const clock = scaledClock(5, new Date(origin));
    const sim = await startSimulator({
      mqttUrl: broker.url,
      topicPrefix: broker.topicPrefix,
      clock,
      seed: 7,
    });
    try {
      const deadline = Date.now() + 20_000;
      const kinds = () => new Set(seen.map((p) => p.kind));
      const want = ['checkin', 'owntracks', 'camera_alert', 'frigate_event', 'river_report'] as const;
      while (!want.every((k) => kinds().has(k)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect([...kinds()].sort()).toEqual(expect.arrayContaining([...want]));
      // All of it within the first 20 s of clock time (plus slack for delivery on a busy machine).
      expect(clock.now().getTime() - origin).toBeLessThan(30_000);
      const problems = seen.map((p) => publicationProblem(p)).filter(Boolean);
      expect(problems).toEqual([]);
      const stats = sim.stats();
      expect(stats.failed).toBe(0);
      expect(stats.published.checkin).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  });
});

describe('per-actor identities (aedes with authentication)', () => {
  it('logs each patroller and camera in as itself with the demo password, the NVR on the shared account', async () => {
    const logins = new Map<string, string>();
    const own = await openTestBroker({
      forceEmbedded: true,
      authenticate: async (username, password) => {
        if (!username || !password) return false;
        logins.set(username, password.toString());
        return username === 'admin' ? password.toString() === 'tok' : password.toString() === 'wardmap-demo';
      },
    });
    const ref = generateReference();
    const sim = await startSimulator({
      mqttUrl: own.url,
      username: 'admin',
      password: 'tok',
      identities: 'per-actor',
      clock: scaledClock(5, new Date('2026-06-01T02:00:00Z')),
      reference: ref,
    });
    try {
      const people = new Set(ref.people.map((p) => p.id));
      const cameras = new Set(ref.cameras.map((c) => c.id));
      const deadline = Date.now() + 20_000;
      const hasBoth = () =>
        [...logins.keys()].some((u) => people.has(u)) && [...logins.keys()].some((u) => cameras.has(u));
      while ((!hasBoth() || sim.stats().acked < 20) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(hasBoth()).toBe(true);
      expect(logins.get('admin')).toBe('tok');
      expect(sim.stats().connections).toBeGreaterThan(5);
      expect(sim.stats().acked).toBeGreaterThanOrEqual(20);
      expect(sim.stats().failed).toBe(0);
    } finally {
      await sim.stop();
      await own.close();
    }
  });
});

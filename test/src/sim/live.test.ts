import { generateReference, scaledClock } from '@wardmap/geo';
import { createPublisher, type Publication, publicationProblem, startSimulator } from '@wardmap/sim';
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
  it('logs each patroller, chief and camera in as itself with the demo password, needing no admin account', async () => {
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
      expect(logins.has('admin')).toBe(false);
      expect([...logins.values()].every((p) => p === 'wardmap-demo')).toBe(true);
      expect(sim.stats().connections).toBeGreaterThan(5);
      expect(sim.stats().acked).toBeGreaterThanOrEqual(20);
      expect(sim.stats().failed).toBe(0);
    } finally {
      await sim.stop();
      await own.close();
    }
  });
});

describe(`OwnTracks last will with per-actor identities (${process.env.MQTT_URL ? 'mosquitto' : 'aedes'})`, () => {
  it('cuts the phone connection so the broker itself publishes the lwt registered at connect', async () => {
    const publisher = createPublisher({
      mqttUrl: broker.url,
      identities: 'per-actor',
      topicPrefix: broker.topicPrefix,
      clientIdPrefix: broker.clientId('will'),
      log: () => {},
    });
    const connectedAt = Date.parse('2026-06-01T02:00:00Z');
    const base = { kind: 'owntracks' as const, identity: 'p-0007', topic: 'owntracks/p-0007/phone' };
    try {
      await publisher.publish({
        ...base,
        at: connectedAt,
        payload: JSON.stringify({ _type: 'location', lat: 29.77, lon: 121.64, tst: connectedAt / 1000 }),
        messageId: 'ot:p-0007:phone:1780279200:location',
      });
      await publisher.publish({
        ...base,
        at: connectedAt + 60_000,
        payload: '{"_type":"lwt","tst":0}',
        messageId: 'unused',
        lastWill: true,
      });
      const deadline = Date.now() + 10_000;
      const lwt = () => seen.find((p) => p.topic === 'owntracks/p-0007/phone' && p.payload.includes('"lwt"'));
      while (!lwt() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(JSON.parse(lwt()?.payload ?? '{}')).toEqual({ _type: 'lwt', tst: connectedAt / 1000 });
      expect(publicationProblem(lwt() as Publication)).toBeNull();
    } finally {
      await publisher.close();
    }
  });
});

import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '@wardmap/sim';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBroker, type TestBroker } from '../support/mqtt.ts';

let broker: TestBroker;
let watcher: MqttClient;
const received = new Map<string, number>();

beforeAll(async () => {
  broker = await openTestBroker();
  // A plain QoS 1 subscriber counts what the broker actually delivered, by message id.
  watcher = await mqtt.connectAsync(broker.url, { clientId: broker.clientId('watch'), protocolVersion: 4 });
  watcher.on('message', (_topic, payload) => {
    const id = (JSON.parse(payload.toString()) as { id: string }).id;
    received.set(id, (received.get(id) ?? 0) + 1);
  });
  await watcher.subscribeAsync(`${broker.topicPrefix}wardmap/checkin/+`, { qos: 1 });
});

afterAll(async () => {
  await watcher?.endAsync();
  await broker?.close();
});

describe(`load mode (${process.env.MQTT_URL ? 'mosquitto' : 'aedes'})`, () => {
  it('publishes 2000 check-ins/s for 3 s, every one acknowledged, delivered and in the publish log', async () => {
    const logFile = join(tmpdir(), `wardmap-load-${process.pid}.ndjson`);
    const progress: number[] = [];
    const result = await runLoad({
      mqttUrl: broker.url,
      topicPrefix: broker.topicPrefix,
      rate: 2000,
      duration: 3,
      patrollers: 10_000,
      keepIds: true,
      logFile,
      onProgress: (p) => progress.push(p.acked),
    });
    console.log(
      `load on ${broker.kind}: requested 2000 msg/s, achieved ${result.achievedRate} msg/s over ${result.seconds} s`,
    );
    expect(result.sent).toBe(6000);
    expect(result.acked).toBe(6000);
    expect(result.failed).toBe(0);
    expect(result.perKind).toEqual({ checkin: 6000 });
    expect(Object.values(result.perTopic).reduce((a, b) => a + b, 0)).toBe(6000);
    // Paced, not a burst: the run takes about its duration (generous bounds for a busy 2-core box).
    expect(result.seconds).toBeGreaterThan(2.5);
    expect(result.seconds).toBeLessThan(20);
    expect(result.achievedRate).toBeGreaterThan(300);
    expect(progress.length).toBeGreaterThanOrEqual(2);

    const lines = (await readFile(logFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    const summary = JSON.parse(await readFile(`${logFile}.summary.json`, 'utf8')) as { acked: number };
    expect(summary.acked).toBe(6000);
    await rm(logFile, { force: true });
    await rm(`${logFile}.summary.json`, { force: true });
    expect(lines.length).toBe(6000);
    expect(new Set(lines.map((l) => l.id))).toEqual(new Set(result.messageIds));

    const deadline = Date.now() + 15_000;
    while (received.size < 6000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const ids = result.messageIds ?? [];
    expect(ids.filter((id) => !received.has(id))).toEqual([]);
  });

  it('mixes kinds by weight when asked', async () => {
    const result = await runLoad({
      mqttUrl: broker.url,
      topicPrefix: broker.topicPrefix,
      rate: 500,
      duration: 1,
      patrollers: 100,
      mix: { checkin: 1, owntracks: 1 },
    });
    expect(result.acked).toBe(500);
    expect(result.perKind.checkin).toBeGreaterThan(150);
    expect(result.perKind.owntracks).toBeGreaterThan(150);
  });
});

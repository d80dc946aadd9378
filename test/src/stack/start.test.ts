import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type RunningStack, startStack } from '@wardmap/stack';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';

// The whole stack as `npm start` runs it, on free ports and an embedded broker. On the postgres
// backend (CI's second run) it gets a fresh, empty PostGIS database of its own.
const backend = inject('wardmapTestDb').backend;

describe('npm start stack', () => {
  let stack: RunningStack;
  let dir: string;
  let pgDb: TestDb | undefined;
  const logs: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardmap-stack-'));
    if (backend === 'postgres') pgDb = await openTestDb({ demo: false });
    const config = parseConfig({
      DATABASE_URL: pgDb?.url,
      WARDMAP_HTTP_PORT: '0',
      WARDMAP_MQTT_PORT: '0',
      WARDMAP_DATA_DIR: dir,
      WARDMAP_ADMIN_TOKEN: 'test-admin-token',
      WARDMAP_SIMULATE: '0',
      // On the postgres backend the database is real: demo accounts only when asked for.
      WARDMAP_DEMO: '1',
    });
    stack = await startStack(config, (l) => logs.push(l));
  });
  afterAll(async () => {
    await stack?.stop();
    await pgDb?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers /api/health with the backends once ready', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.httpPort}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: backend, mqtt: 'embedded' });
  });

  it('loads the demo geography into the empty embedded database', async () => {
    const r = await stack.db.query<{ n: number }>('SELECT count(*) AS n FROM grids');
    expect(r.rows[0]!.n).toBeGreaterThan(20);
    expect(logs.some((l) => l.includes('loaded demo geography'))).toBe(true);
  });

  const admin = { authorization: 'Bearer test-admin-token' };

  it('answers unknown routes with a JSON 404 that names the route', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.httpPort}/api/nope`, { headers: admin });
    expect(res.status).toBe(404);
    expect((await res.json()).reason).toContain('/api/nope');
  });

  it('lets a demo person and the admin token onto the embedded broker, and refuses a wrong password', async () => {
    const connect = (username: string, password: string) =>
      new Promise<boolean>((resolve) => {
        const c = mqtt.connect(stack.mqttUrl, {
          username,
          password,
          // A person's client id must start with their user name.
          clientId: `${username}-${Math.random().toString(36).slice(2)}`,
          reconnectPeriod: 0,
          connectTimeout: 5000,
        });
        c.on('connect', () => c.end(true, () => resolve(true)));
        c.on('error', () => c.end(true, () => resolve(false)));
      });
    expect(await connect('admin', 'test-admin-token')).toBe(true);
    const person = await stack.db.query<{ id: string }>(`SELECT id FROM people ORDER BY id LIMIT 1`);
    expect(await connect(person.rows[0]!.id, 'wardmap-demo')).toBe(true);
    expect(await connect(person.rows[0]!.id, 'wrong-password')).toBe(false);
  });

  it('serves the counters of every part on /metrics as Prometheus text, to admins only', async () => {
    expect((await fetch(`http://127.0.0.1:${stack.httpPort}/metrics`)).status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${stack.httpPort}/metrics`, { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of [
      'wardmap_up',
      'wardmap_stream_events_total',
      'wardmap_incident_escalations_total',
      'wardmap_tile_cache_hits_total',
      'wardmap_ingest_messages_received_total',
    ]) {
      expect(text, name).toMatch(new RegExp(`^${name} \\d+`, 'm'));
    }
    // Each sample line is `name{labels} value`: parts glued together without a newline would break it.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [-+0-9.eE]+$|^[a-z_]+(\{[^}]*\})? (NaN|\+Inf)$/);
    }
  });

  it('refuses to start on an HTTP port already in use, naming the variable', async () => {
    const config = parseConfig({
      DATABASE_URL: pgDb?.url,
      WARDMAP_HTTP_PORT: String(stack.httpPort),
      WARDMAP_MQTT_PORT: '0',
      WARDMAP_DATA_DIR: join(dir, 'second'),
      WARDMAP_SIMULATE: '0',
      WARDMAP_DEMO: '0',
    });
    await expect(startStack(config, () => {})).rejects.toThrow(/WARDMAP_HTTP_PORT .* already in use/);
    // A second embedded database is opened and migrated before the port is tried: slow on a busy machine.
  }, 180_000);
});

describe('configuration', () => {
  it('lists every bad variable in one error', () => {
    expect(() =>
      parseConfig({ WARDMAP_HTTP_PORT: 'x', DATABASE_URL: 'mysql://a', WARDMAP_SIMULATE: 'yes' }),
    ).toThrow(/WARDMAP_HTTP_PORT[\s\S]*DATABASE_URL[\s\S]*WARDMAP_SIMULATE/);
  });
  it('is in demo mode (demo accounts, 127.0.0.1) by default only on the embedded database', () => {
    expect(parseConfig({})).toMatchObject({ demo: true, httpHost: '127.0.0.1', mqttHost: '127.0.0.1' });
    expect(parseConfig({ DATABASE_URL: 'postgres://x/y' })).toMatchObject({
      demo: false,
      httpHost: '0.0.0.0',
    });
    expect(parseConfig({ DATABASE_URL: 'postgres://x/y', WARDMAP_DEMO: '1' }).demo).toBe(true);
    expect(parseConfig({ WARDMAP_HTTP_HOST: '0.0.0.0' }).httpHost).toBe('0.0.0.0');
  });
  it('turns the simulator on by default only on the embedded stack', () => {
    expect(parseConfig({}).simulate).toBe(true);
    expect(parseConfig({ DATABASE_URL: 'postgres://x/y' }).simulate).toBe(false);
    expect(parseConfig({ WARDMAP_SIMULATE: '0' }).simulate).toBe(false);
  });
  it('keeps to its own topics and ingest session on a shared broker, and only there', () => {
    expect(parseConfig({ MQTT_URL: 'mqtt://b:1883' })).toMatchObject({
      topicPrefix: '',
      ingestClientId: 'wardmap-ingest-1',
    });
    expect(
      parseConfig({
        MQTT_URL: 'mqtt://b:1883',
        WARDMAP_TOPIC_PREFIX: 'site-a/',
        WARDMAP_INGEST_CLIENT_ID: 'site-a-ingest',
      }),
    ).toMatchObject({ topicPrefix: 'site-a/', ingestClientId: 'site-a-ingest' });
    expect(() => parseConfig({ MQTT_URL: 'mqtt://b:1883', WARDMAP_TOPIC_PREFIX: 'site-a' })).toThrow(
      /WARDMAP_TOPIC_PREFIX must be plain topic levels ending in \//,
    );
    expect(() => parseConfig({ MQTT_URL: 'mqtt://b:1883', WARDMAP_TOPIC_PREFIX: 'a/#/' })).toThrow(
      /WARDMAP_TOPIC_PREFIX/,
    );
    expect(() => parseConfig({ WARDMAP_TOPIC_PREFIX: 'site-a/', WARDMAP_INGEST_CLIENT_ID: 'x' })).toThrow(
      /WARDMAP_TOPIC_PREFIX: only with MQTT_URL[\s\S]*WARDMAP_INGEST_CLIENT_ID: only with MQTT_URL/,
    );
  });
  it('runs the demo clock in real time unless WARDMAP_CLOCK_SPEED says otherwise', () => {
    expect(parseConfig({}).clockSpeed).toBe(1);
    expect(parseConfig({ WARDMAP_CLOCK_SPEED: '120' }).clockSpeed).toBe(120);
    expect(() => parseConfig({ WARDMAP_CLOCK_SPEED: '0' })).toThrow(
      /WARDMAP_CLOCK_SPEED must be greater than 0/,
    );
  });
});

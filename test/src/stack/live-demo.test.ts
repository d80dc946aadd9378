import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type RunningStack, startStack } from '@wardmap/stack';
import { describe, expect, inject, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';

// The live demo as a newcomer meets it: `npm start` with the simulator on. Everything below is
// seen through the API, as a signed-in dashboard sees it.
const backend = inject('wardmapTestDb').backend;

/** The loose shape of the API's JSON answers, as far as these checks read them. */
type Row = Record<string, unknown> & { id?: string; level?: string; status?: string; lastPatrolAt?: string };
interface Body {
  type?: string;
  items?: Row[];
  features?: Array<{ id: string; geometry: { coordinates: unknown } }>;
}

interface Started {
  stack: RunningStack;
  get(path: string): Promise<Body>;
  dispose(): Promise<void>;
}

// Reads need a signed-in caller; the admin sees every area, as a wall screen of the whole town would.
const DEMO_ADMIN_TOKEN = 'test-demo-admin-token';

async function startDemo(env: Record<string, string>): Promise<Started> {
  const dir = await mkdtemp(join(tmpdir(), 'wardmap-demo-'));
  const pgDb: TestDb | undefined = backend === 'postgres' ? await openTestDb({ demo: false }) : undefined;
  const stack = await startStack(
    parseConfig({
      DATABASE_URL: pgDb?.url,
      WARDMAP_HTTP_PORT: '0',
      WARDMAP_MQTT_PORT: '0',
      WARDMAP_DATA_DIR: dir,
      WARDMAP_SIMULATE: '1',
      WARDMAP_ADMIN_TOKEN: DEMO_ADMIN_TOKEN,
      WARDMAP_DEMO: '1',
      ...env,
    }),
    () => {},
  );
  return {
    stack,
    async get(path) {
      const res = await fetch(`http://127.0.0.1:${stack.httpPort}${path}`, {
        headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` },
      });
      expect(res.status, `GET ${path}`).toBe(200);
      return (await res.json()) as Body;
    },
    async dispose() {
      await stack.stop();
      await pgDb?.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const items = (body: Body | Row[]): Row[] => (Array.isArray(body) ? body : (body.items ?? []));

/** Polls `probe` until it returns a truthy value or `ms` pass; returns the last value. */
async function eventually<T>(ms: number, probe: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!last && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    last = await probe();
  }
  return last;
}

describe('live demo (npm start with the simulator)', () => {
  it('shows moving patrollers, a camera alert and a river report within 30 s', async () => {
    const demo = await startDemo({});
    try {
      const started = Date.now();
      const firstSeen = new Map<string, string>();
      const moved = await eventually(30_000, async () => {
        const layer = await demo.get('/api/layers/positions');
        expect(layer.type).toBe('FeatureCollection');
        for (const f of layer.features ?? []) {
          const key = JSON.stringify(f.geometry.coordinates);
          const before = firstSeen.get(f.id);
          if (before === undefined) firstSeen.set(f.id, key);
          else if (before !== key) return f.id;
        }
        return undefined;
      });
      expect(moved, 'a patroller whose position changed between two polls').toBeTruthy();
      const alert = await eventually(30_000 - (Date.now() - started), async () =>
        items(await demo.get('/api/camera-alerts')).at(0),
      );
      expect(alert?.cameraId).toMatch(/^cam-/);
      const report = await eventually(30_000 - (Date.now() - started), async () =>
        items(await demo.get('/api/river-reports')).at(0),
      );
      expect(report?.segmentId).toMatch(/^seg-/);
      expect(Date.now() - started).toBeLessThan(32_000);
      // The demo's traffic is all valid: nothing it sends should end up as a dead letter.
      expect(items(await demo.get('/api/dead-letters'))).toEqual([]);
      // Nothing the simulator sent (over MQTT or through the API's HTTP endpoints) was refused.
      expect(demo.stack.simulator?.stats().failed).toBe(0);
    } finally {
      await demo.dispose();
    }
  });

  it('on a compressed clock escalates an incident past its SLA and lets a patrolled segment fall overdue', async () => {
    // 600x: ten clock minutes per real second, so a 30-minute acknowledgement SLA runs out in ~3 s.
    const demo = await startDemo({ WARDMAP_CLOCK_SPEED: '600' });
    try {
      // Rules are data: an admin tightening every river rule to one patrol per clock hour makes a
      // freshly patrolled segment overdue six real seconds after its patrol ends.
      await demo.stack.db.query('UPDATE patrol_rules SET min_interval_hours = 1');
      const escalated = await eventually(60_000, async () => {
        const r = await demo.stack.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM incident_events WHERE action = 'escalate'`,
        );
        return (r.rows[0]?.n ?? 0) > 0;
      });
      expect(escalated, 'an incident_events row with action escalate').toBe(true);
      const incidents = items(await demo.get('/api/incidents'));
      expect(incidents.some((i) => i.level === 'block' || i.level === 'community')).toBe(true);

      const lapsed = await eventually(90_000, async () => {
        const body = await demo.get('/api/compliance/segments');
        return items(body).find((s) => s.lastPatrolAt && s.status === 'overdue');
      });
      expect(lapsed, 'a segment with a last patrol that is now overdue').toBeTruthy();
    } finally {
      await demo.dispose();
    }
  }, 240_000);
});

// The API test fixture: an app on a fresh test database, the demo cast, sign-in per role and
// request helpers. Three lines set an API test up:
//   const clock = manualClock(new Date('2025-03-01T08:00:00Z'));
//   const api = useApi({ clock });
//   ... api.app, api.db, api.cast, await api.as(api.cast.police)
import { type ApiServices, createApp, type Publish, type StreamHub, type TileCache } from '@wardmap/api';
import { type Db, DEFAULT_DEMO_PASSWORD } from '@wardmap/db';
import { type Clock, manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll } from 'vitest';
import { openTestDb, type TestDb } from './db.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** `Authorization` of the bootstrap admin (`WARDMAP_ADMIN_TOKEN`), who sees every area. */
export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface AppOptions {
  db: Db;
  clock: Clock;
  stream?: StreamHub | ApiServices['stream'];
  publish?: Publish;
  heartbeatMs?: number;
  tileCache?: TileCache;
  adminToken?: string;
}

/** The API on a test database, ready, with the test admin token. */
export function buildApp(deps: AppOptions): Hono {
  return createApp({
    db: deps.db,
    mqttMode: 'embedded',
    readiness: { ready: true },
    clock: deps.clock,
    adminToken: deps.adminToken ?? ADMIN_TOKEN,
    ...(deps.stream ? { stream: deps.stream } : {}),
    ...(deps.publish ? { publish: deps.publish } : {}),
    ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
    ...(deps.tileCache ? { tileCache: deps.tileCache } : {}),
  });
}

/** Demo people of each role, chosen so that the "other" ones lie outside the first ones' area. */
export interface Cast {
  postId: string;
  communityId: string;
  police: string;
  otherPostId: string;
  otherPolice: string;
  patroller: string;
  patrollerGridId: string;
  liaison: string;
  otherLiaison: string;
  chief: string;
  chiefSegmentId: string;
  otherChief: string;
  otherSegmentId: string;
}

export async function castOf(db: Db): Promise<Cast> {
  const one = async (sql: string, params: unknown[] = []) => {
    const res = await db.query<Record<string, string>>(sql, params);
    if (!res.rows[0]) throw new Error(`demo data lacks: ${sql}`);
    return res.rows[0];
  };
  const post = await one(
    `SELECT pp.id, pp.community_id FROM police_posts pp
      WHERE EXISTS (SELECT 1 FROM people p JOIN grids g ON g.id = p.grid_id
                     WHERE 'patroller' = ANY(p.roles) AND g.community_id = pp.community_id)
      ORDER BY pp.id LIMIT 1`,
  );
  const other = await one(
    'SELECT id, community_id FROM police_posts WHERE community_id <> $1 ORDER BY id LIMIT 1',
    [post.community_id],
  );
  const police = await one(
    `SELECT id FROM people WHERE 'police' = ANY(roles) AND police_post_id = $1 ORDER BY id`,
    [post.id],
  );
  const otherPolice = await one(
    `SELECT id FROM people WHERE 'police' = ANY(roles) AND police_post_id = $1 ORDER BY id`,
    [other.id],
  );
  const patroller = await one(
    `SELECT p.id, p.grid_id FROM people p JOIN grids g ON g.id = p.grid_id
      WHERE 'patroller' = ANY(p.roles) AND g.community_id = $1 ORDER BY p.id`,
    [post.community_id],
  );
  const liaison = await one(
    `SELECT p.id FROM people p JOIN grids g ON g.id = p.grid_id WHERE 'liaison' = ANY(p.roles) AND g.community_id = $1 ORDER BY p.id`,
    [post.community_id],
  );
  const otherLiaison = await one(
    `SELECT p.id FROM people p JOIN grids g ON g.id = p.grid_id WHERE 'liaison' = ANY(p.roles) AND g.community_id = $1 ORDER BY p.id`,
    [other.community_id],
  );
  const segs = await db.query<{ id: string; chief_id: string }>(
    'SELECT id, chief_id FROM river_segments WHERE chief_id IS NOT NULL ORDER BY id LIMIT 2',
  );
  const [s1, s2] = segs.rows;
  if (!s1 || !s2 || s1.chief_id === s2.chief_id) throw new Error('demo data lacks two chiefs');
  return {
    postId: post.id!,
    communityId: post.community_id!,
    police: police.id!,
    otherPostId: other.id!,
    otherPolice: otherPolice.id!,
    patroller: patroller.id!,
    patrollerGridId: patroller.grid_id!,
    liaison: liaison.id!,
    otherLiaison: otherLiaison.id!,
    chief: s1.chief_id,
    chiefSegmentId: s1.id,
    otherChief: s2.chief_id,
    otherSegmentId: s2.id,
  };
}

/** Logs a demo person in and returns `Authorization` headers. */
export async function loginAs(app: Hono, personId: string): Promise<Record<string, string>> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: personId, password: DEFAULT_DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${personId}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/** POSTs JSON and returns status and parsed body. */
export async function post(app: Hono, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** GETs and returns status and parsed JSON body. */
export async function get(app: Hono, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  return { status: res.status, body: await res.json() };
}

/** A started API fixture (fields are set once `beforeAll` has run). */
export interface ApiFixture {
  db: TestDb;
  app: Hono;
  cast: Cast;
  clock: Clock;
  /** `Authorization` headers of a demo person, signed in through the API. */
  as(personId: string): Promise<Record<string, string>>;
  get(path: string, headers?: Record<string, string>): ReturnType<typeof get>;
  post(path: string, body: unknown, headers?: Record<string, string>): ReturnType<typeof post>;
}

/** Opens a test database with the demo data, builds the app on it and finds the cast. */
export async function startApi(
  opts: { clock?: Clock } & Omit<Partial<AppOptions>, 'db' | 'clock'> = {},
): Promise<ApiFixture> {
  const clock = opts.clock ?? manualClock();
  const db = await openTestDb();
  try {
    const app = buildApp({ ...opts, db, clock });
    const cast = await castOf(db);
    return {
      db,
      app,
      cast,
      clock,
      as: (personId) => loginAs(app, personId),
      get: (path, headers) => get(app, path, headers),
      post: (path, body, headers) => post(app, path, body, headers),
    };
  } catch (err) {
    await db.dispose();
    throw err;
  }
}

/**
 * The fixture for one test file: started in `beforeAll`, its database dropped in `afterAll`.
 * Read the fields inside tests and hooks (they are set once `beforeAll` has run).
 */
export function useApi(opts: Parameters<typeof startApi>[0] = {}): ApiFixture {
  const fixture = {} as ApiFixture;
  beforeAll(async () => {
    Object.assign(fixture, await startApi(opts));
  });
  afterAll(async () => {
    await fixture.db?.dispose();
  });
  return fixture;
}

import { manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { adminHeaders, buildApp, get } from './workflow-fixtures.ts';

let db: TestDb;
let app: Hono;

beforeAll(async () => {
  db = await openTestDb();
  app = buildApp({ db, clock: manualClock() });
});
afterAll(() => db?.dispose());

describe('OpenAPI and errors', () => {
  it('serves an OpenAPI 3.1 document whose request bodies come from the zod schemas', async () => {
    const { status, body } = await get(app, '/api/openapi.json', adminHeaders);
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const transitions = body.paths['/api/incidents/{id}/transitions'].post;
    const schema = transitions.requestBody.content['application/json'].schema;
    const actions = schema.oneOf.map(
      (o: { properties: { action: { const: string } } }) => o.properties.action.const,
    );
    expect(actions).toEqual([
      'acknowledge',
      'dispatch',
      'escalate',
      'resolve',
      'verify',
      'close',
      'reject',
      'reopen',
    ]);
    expect(Object.keys(transitions.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '409']),
    );
    const checkin = body.paths['/api/checkins'].post.requestBody.content['application/json'].schema;
    expect(checkin.required).toEqual(expect.arrayContaining(['id', 'location', 'at']));
    const query = body.paths['/api/incidents'].get.parameters.map((p: { name: string }) => p.name);
    expect(query).toEqual(expect.arrayContaining(['state', 'level', 'limit']));
    for (const path of ['/api/stream', '/api/people', '/api/board/{postId}', '/api/layers/{name}']) {
      expect(body.paths).toHaveProperty([path]);
    }
  });

  it('answers every error as JSON with a reason', async () => {
    const missing = await get(app, '/api/nothing-here', adminHeaders);
    expect(missing).toEqual({
      status: 404,
      body: { error: 'not_found', reason: 'no route for GET /api/nothing-here' },
    });
    const res = await app.request('/api/incidents', {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
      body: '{',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized', reason: 'invalid or expired token' });
  });
});

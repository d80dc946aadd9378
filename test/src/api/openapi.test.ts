import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { adminHeaders, get } from './workflow-fixtures.ts';

const api = useApi({ clock: manualClock() });

describe('OpenAPI and errors', () => {
  it('serves an OpenAPI 3.1 document whose request bodies come from the zod schemas', async () => {
    const { status, body } = await get(api.app, '/api/openapi.json', adminHeaders);
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

  it('documents every mounted /api route, with its request and response schemas, and nothing else', async () => {
    const { body } = await get(api.app, '/api/openapi.json', adminHeaders);
    const toOpenApi = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
    // Middleware (`use`) shows up as method ALL; each handler of a chain is listed, hence the set.
    const mounted = new Set(
      api.app.routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*'))
        .map((r) => `${r.method.toLowerCase()} ${toOpenApi(r.path)}`),
    );
    expect(mounted.size).toBeGreaterThan(45);
    for (const route of ['get /api/compliance/segments', 'get /api/stats', 'get /api/stats.csv']) {
      expect(mounted, route).toContain(route);
    }
    type Op = {
      parameters: { name: string; in: string; schema: unknown }[];
      requestBody?: { content: Record<string, { schema?: unknown }> };
      responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
    };
    for (const key of mounted) {
      const [method, path] = key.split(' ') as [string, string];
      const op = body.paths[path]?.[method] as Op | undefined;
      expect(op, `${key} is not in /api/openapi.json`).toBeDefined();
      const [status, success] = Object.entries(op!.responses).find(([s]) => s.startsWith('2'))!;
      expect(status, key).toMatch(/^2\d\d$/);
      if (status !== '204') {
        const [media] = Object.values(success.content ?? {});
        expect(media?.schema, `${key}: response schema`).toBeDefined();
      }
      if (method === 'post' && status !== '204') {
        const [media] = Object.values(op!.requestBody?.content ?? {});
        expect(media?.schema, `${key}: request body schema`).toBeDefined();
      }
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        expect(
          op!.parameters.some((p) => p.in === 'path' && p.name === name),
          `${key}: path parameter ${name}`,
        ).toBe(true);
      }
      if (path !== '/api/health') expect(op!.responses, `${key}: 400`).toHaveProperty(['400']);
    }
    // Query schemas of the list endpoints are there, with their bounds.
    const query = (path: string) =>
      (body.paths[path].get as Op).parameters.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query('/api/compliance/patrols')).toEqual(expect.arrayContaining(['since', 'until', 'limit']));
    expect(query('/api/stats')).toEqual(expect.arrayContaining(['from', 'to', 'bucket', 'tz', 'format']));
    expect(query('/api/tracks')).toEqual(expect.arrayContaining(['since', 'until', 'personId']));
    // And nothing documented that is not served.
    for (const [path, ops] of Object.entries(body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        if (path.startsWith('/api/'))
          expect(mounted, `${method} ${path} is documented but not mounted`).toContain(`${method} ${path}`);
      }
    }
  });

  it('answers every error as JSON with a reason', async () => {
    const missing = await get(api.app, '/api/nothing-here', adminHeaders);
    expect(missing).toEqual({
      status: 404,
      body: { error: 'not_found', reason: 'no route for GET /api/nothing-here' },
    });
    const res = await api.app.request('/api/incidents', {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
      body: '{',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized', reason: 'invalid or expired token' });
  });
});

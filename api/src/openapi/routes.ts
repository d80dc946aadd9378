import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorSchema, OPERATIONS, type Operation } from './spec.ts';

// Input shapes for bodies and queries (what clients send), output shapes for responses.
const schemaOf = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const ERROR = { content: { 'application/json': { schema: schemaOf(ErrorSchema, 'output') } } };

function operation(op: Operation) {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = op.query
    ? Object.entries(op.query.shape).map(([name, s]) => ({
        name,
        in: 'query',
        required: !(s as z.ZodType).safeParse(undefined).success,
        schema: schemaOf(s as z.ZodType, 'input'),
      }))
    : [];
  const status = String(op.status ?? 200);
  const content =
    op.path === '/api/stream'
      ? { 'text/event-stream': { schema: schemaOf(op.response!, 'output') } }
      : op.response
        ? { 'application/json': { schema: schemaOf(op.response, 'output') } }
        : undefined;
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(op.auth === 'required' ? { security: [{ bearer: [] }, { basic: [] }] } : {}),
    ...(op.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
    parameters: [...params, ...query],
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(op.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [status]: { description: 'success', ...(content ? { content } : {}) },
      '400': { description: 'invalid input, with the reason', ...ERROR },
      ...(op.auth !== 'none' ? { '401': { description: 'missing or invalid credentials', ...ERROR } } : {}),
      ...(op.auth === 'required'
        ? { '403': { description: 'role or area does not allow it', ...ERROR } }
        : {}),
      ...(op.path.includes('transitions')
        ? { '409': { description: 'illegal transition, with the reason', ...ERROR } }
        : {}),
    },
  };
}

/** Builds the OpenAPI 3.1 document from the zod schemas the handlers validate with. */
export function buildOpenApi() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = operation(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Wardmap API',
      version: '0.1.0',
      description: 'Live safety-and-patrol map and work orders',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'POST /api/auth/login, or WARDMAP_ADMIN_TOKEN',
        },
        basic: { type: 'http', scheme: 'basic', description: 'person id and password (OwnTracks HTTP mode)' },
      },
    },
    paths,
  };
}

/** `GET /api/openapi.json`, built once. */
export function openApiRoutes(): Hono {
  const app = new Hono();
  const doc = buildOpenApi();
  app.get('/openapi.json', (c) => c.json(doc));
  return app;
}

import { ErrorSchema } from '@wardmap/geo';
import { z } from 'zod';
import { type DocumentedRoute, openApiPath } from './registry.ts';

// Input shapes for bodies and queries (what clients send), output shapes for responses.
const schemaOf = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const ERROR = { content: { 'application/json': { schema: schemaOf(ErrorSchema, 'output') } } };

const ERROR_TEXT: Record<number, string> = {
  404: 'not found, with the reason',
  409: 'conflict, with the reason',
  413: 'payload too large, with the limit',
  415: 'unsupported media type',
  429: 'too many requests; retry after the given seconds',
  503: 'a backend this route needs is unavailable',
};

function contentOf(schema: z.ZodType, type: string, io: 'input' | 'output') {
  const json = type === 'application/json' || type === 'text/event-stream';
  return { [type]: { schema: json ? schemaOf(schema, io) : { type: 'string', format: 'binary' } } };
}

function operation(op: DocumentedRoute) {
  const path = openApiPath(op.path);
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
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
  const content = op.response
    ? contentOf(op.response, op.responseType ?? 'application/json', 'output')
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
            content: contentOf(op.body, op.bodyType ?? 'application/json', 'input'),
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
      ...Object.fromEntries(
        (op.errors ?? []).map((code) => [
          String(code),
          { description: ERROR_TEXT[code] ?? 'error', ...ERROR },
        ]),
      ),
    },
  };
}

/** Builds the OpenAPI 3.1 document from the routes as mounted, with the zod schemas they declared. */
export function buildOpenApi(routes: readonly DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of routes) {
    const path = openApiPath(op.path);
    paths[path] ??= {};
    paths[path]![op.method] = operation(op);
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

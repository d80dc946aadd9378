import type { Env, Hono } from 'hono';
import type { H } from 'hono/types';
import type { z } from 'zod';

/** What a route declares about itself; `/api/openapi.json` is built from these. */
export interface RouteDoc {
  summary: string;
  tag: string;
  /** none: public; optional: a caller is read if present; required: 401 without one. */
  auth: 'none' | 'optional' | 'required';
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Content type of the body (default JSON), e.g. image bytes. */
  bodyType?: string;
  /** Success answer; omitted only with status 204. */
  response?: z.ZodType;
  /** Content type of the answer (default JSON). */
  responseType?: string;
  status?: number;
  /** Error answers beyond 400/401/403 that callers should expect (e.g. 404, 409). */
  errors?: number[];
}

export type Method = 'get' | 'post' | 'delete';

/** One documented route: its method, its Hono path as mounted, and its doc. */
export interface DocumentedRoute extends RouteDoc {
  method: Method;
  path: string;
}

const DOCS = new WeakMap<object, DocumentedRoute[]>();

/** The routes documented on `app` (and on route modules mounted into it with {@link mount}). */
export function docsOf(app: object): DocumentedRoute[] {
  let docs = DOCS.get(app);
  if (!docs) {
    docs = [];
    DOCS.set(app, docs);
  }
  return docs;
}

type Register<E extends Env> = <P extends string>(path: P, doc: RouteDoc, ...handlers: H<E, P>[]) => void;

/**
 * Declares routes on `app` together with their documentation: `routes(app).get(path, doc, handler)`
 * adds the handler exactly like `app.get(path, handler)` and records method, path and schemas once.
 */
export function routes<E extends Env>(app: Hono<E>): Record<Method, Register<E>> {
  const on =
    (method: Method): Register<E> =>
    (path, doc, ...handlers) => {
      docsOf(app).push({ ...doc, method, path });
      (app.on as (m: string, p: string, ...h: unknown[]) => unknown)(method.toUpperCase(), path, ...handlers);
    };
  return { get: on('get'), post: on('post'), delete: on('delete') };
}

/** `parent.route(prefix, child)`, carrying the child's documented routes along under the prefix. */
export function mount<E extends Env>(parent: Hono<E>, prefix: string, child: Hono<any>): void {
  parent.route(prefix, child);
  const base = prefix.replace(/\/+$/, '');
  docsOf(parent).push(...docsOf(child).map((d) => ({ ...d, path: `${base}${d.path}` || '/' })));
}

/** Hono's `/incidents/:id` as OpenAPI's `/incidents/{id}` (a `{regex}` suffix dropped). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
}

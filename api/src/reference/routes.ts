import {
  type Db,
  hashPassword,
  importGeoJson,
  mosquittoPasswordHash,
  upsertCameras,
  upsertGrids,
  upsertPolicePosts,
  upsertRiverSegments,
} from '@wardmap/db';
import {
  CameraSchema,
  type Clock,
  GeoJsonImportQuerySchema,
  GeoJsonImportSchema,
  GridSchema,
  ImportResultSchema,
  PolicePostSchema,
  ReferenceViewSchemas,
  RiverSegmentSchema,
} from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, requireRole } from '../auth/middleware.ts';
import { jsonBody, parseOr400 } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';
import { foreignKeyReason } from './errors.ts';
import {
  deleteReference,
  REFERENCE_TABLES,
  type ReferenceTable,
  referenceExists,
  saveCamera,
} from './queries.ts';

/**
 * Reference-data writes for admins (DESIGN section 3): cameras, police posts, grids, river segments
 * as upserts (201 new, 200 updated), deletes (409 while something still refers to the row), and
 * the all-or-nothing bulk GeoJSON import. Reads are the layers.
 */
export function referenceRoutes(deps: { db: Db; clock: Clock }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  const exists = (table: ReferenceTable, id: string) => referenceExists(deps.db, table, id);

  r.post(
    '/cameras',
    {
      summary: 'Create or update a camera (admin)',
      tag: 'reference',
      auth: 'required',
      body: CameraSchema,
      response: ReferenceViewSchemas['cameras'],
      status: 201,
      errors: [409],
    },
    async (c) => {
      requireRole(c, 'admin');
      const body = await jsonBody(c, CameraSchema);
      const existed = await exists('cameras', body.id);
      const hashes = body.password
        ? await Promise.all([hashPassword(body.password), mosquittoPasswordHash(body.password)])
        : undefined;
      const { password: _, ...row } = body;
      await saveCamera(
        deps.db,
        { ...row, ...(hashes ? { passwordHash: hashes[0] } : {}) },
        hashes?.[1],
        deps.clock.now(),
      ).catch(foreignKeyReason);
      return c.json(row, existed ? 200 : 201);
    },
  );

  r.post(
    '/police-posts',
    {
      summary: 'Create or update a police post (admin)',
      tag: 'reference',
      auth: 'required',
      body: PolicePostSchema,
      response: ReferenceViewSchemas['police-posts'],
      status: 201,
      errors: [409],
    },
    async (c) => {
      requireRole(c, 'admin');
      const body = await jsonBody(c, PolicePostSchema);
      const existed = await exists('police_posts', body.id);
      await upsertPolicePosts(deps.db, [body]).catch(foreignKeyReason);
      return c.json(body, existed ? 200 : 201);
    },
  );

  r.post(
    '/grids',
    {
      summary: 'Create or update a grid / management block (admin)',
      tag: 'reference',
      auth: 'required',
      body: GridSchema,
      response: ReferenceViewSchemas['grids'],
      status: 201,
      errors: [409],
    },
    async (c) => {
      requireRole(c, 'admin');
      const body = await jsonBody(c, GridSchema);
      const existed = await exists('grids', body.id);
      await upsertGrids(deps.db, [body]).catch(foreignKeyReason);
      return c.json(body, existed ? 200 : 201);
    },
  );

  r.post(
    '/river-segments',
    {
      summary: 'Create or update a river segment (admin)',
      tag: 'reference',
      auth: 'required',
      body: RiverSegmentSchema,
      response: ReferenceViewSchemas['river-segments'],
      status: 201,
      errors: [409],
    },
    async (c) => {
      requireRole(c, 'admin');
      const body = await jsonBody(c, RiverSegmentSchema);
      const existed = await exists('river_segments', body.id);
      await upsertRiverSegments(deps.db, [body]).catch(foreignKeyReason);
      return c.json(body, existed ? 200 : 201);
    },
  );

  for (const [resource, table] of Object.entries(REFERENCE_TABLES)) {
    r.delete(
      `/${resource}/:id`,
      {
        summary: `Delete from ${resource} (admin); 409 while something still refers to it`,
        tag: 'reference',
        auth: 'required',
        status: 204,
        errors: [404, 409],
      },
      async (c) => {
        requireRole(c, 'admin');
        const id = c.req.param('id');
        const found = await deleteReference(deps.db, table, id).catch(foreignKeyReason);
        if (!found) throw new HTTPException(404, { message: 'not_found', cause: `no ${resource} ${id}` });
        return c.body(null, 204);
      },
    );
  }

  // Bulk import: a FeatureCollection whose features name their layer (properties.layer or ?layer=).
  r.post(
    '/import',
    {
      summary: 'Bulk GeoJSON import of reference layers (admin, all-or-nothing)',
      tag: 'reference',
      auth: 'required',
      query: GeoJsonImportQuerySchema,
      body: GeoJsonImportSchema,
      response: ImportResultSchema,
    },
    async (c) => {
      requireRole(c, 'admin');
      const query = parseOr400(GeoJsonImportQuerySchema, c.req.query(), 'query');
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new HTTPException(400, {
          message: 'bad_request',
          cause: 'body must be a GeoJSON FeatureCollection',
        });
      }
      // Thrown inside the transaction so a failure after some layers were written rolls them back.
      const result = await deps.db.transaction(async (tx) => {
        const r = await importGeoJson(tx, body, query.layer);
        if (!r.ok)
          throw new HTTPException(400, { message: 'bad_request', cause: r.errors.slice(0, 20).join('; ') });
        return r;
      });
      return c.json({ counts: result.counts });
    },
  );

  return app;
}

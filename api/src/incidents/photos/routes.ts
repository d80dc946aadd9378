import { randomUUID } from 'node:crypto';
import type { Db } from '@wardmap/db';
import {
  BinarySchema,
  itemsOf,
  PhotoListQuerySchema,
  PhotoUploadQuerySchema,
  PhotoViewSchema,
} from '@wardmap/geo';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, forbidden, requirePrincipal } from '../../auth/middleware.ts';
import { canSee, isAdmin, type Principal } from '../../auth/principal.ts';
import { parseOr400 } from '../../http/validate.ts';
import { routes } from '../../openapi/registry.ts';
import { checkPhoto, DEFAULT_PHOTO_CONFIG, type PhotoConfig, PhotoRejected } from './check-photo.ts';
import {
  insertPhoto,
  type PhotoLink,
  photoBytes,
  photoLink,
  photoMeta,
  photosOfIncident,
} from './queries.ts';

/** Whether `p` may see what a photo belongs to (admins, its owner, and whoever may see its report). */
function maySee(p: Principal, ownerId: string, link: PhotoLink): boolean {
  if (isAdmin(p) || ownerId === p.id) return true;
  if (!link.area) return false;
  return canSee(p, link.area) || (!!link.assigneeId && link.assigneeId === p.id);
}

/**
 * Photos: upload (bytes checked, location metadata stripped, stored in the database), read back
 * only by those who may see the report or incident it belongs to, and the list of an incident's
 * photos. A report refers to its photo as `/api/photos/<id>`.
 */
export function photoRoutes(deps: { db: Db; config?: Partial<PhotoConfig> | undefined }): Hono<AuthEnv> {
  const config = { ...DEFAULT_PHOTO_CONFIG, ...deps.config };
  const app = new Hono<AuthEnv>();
  const r = routes(app);

  r.post(
    '/photos',
    {
      summary:
        'Upload a photo: the body is the JPEG, PNG or WebP bytes (checked by content; EXIF/XMP location stripped); idempotent by client id',
      tag: 'photos',
      auth: 'required',
      query: PhotoUploadQuerySchema,
      body: BinarySchema,
      bodyType: 'application/octet-stream',
      response: PhotoViewSchema,
      status: 201,
      errors: [404, 409, 413, 415],
    },
    bodyLimit({
      maxSize: config.maxBytes,
      onError: () => {
        throw new HTTPException(413, {
          message: 'payload_too_large',
          cause: `the photo is larger than the limit of ${config.maxBytes} bytes`,
        });
      },
    }),
    async (c) => {
      const p = requirePrincipal(c);
      const query = parseOr400(PhotoUploadQuerySchema, c.req.query(), 'query');
      let checked: ReturnType<typeof checkPhoto>;
      try {
        checked = checkPhoto(new Uint8Array(await c.req.arrayBuffer()), config);
      } catch (err) {
        if (!(err instanceof PhotoRejected)) throw err;
        const name = { 400: 'bad_request', 413: 'payload_too_large', 415: 'unsupported_media_type' }[
          err.status
        ];
        throw new HTTPException(err.status, { message: name, cause: err.message });
      }
      // Attaching to existing work needs the right to see it; a report not yet arrived is the
      // uploader's own until it does (then its area decides).
      if (query.incidentId || query.reportId) {
        const link = await photoLink(deps.db, {
          incidentId: query.incidentId ?? null,
          reportId: query.reportId ?? null,
          ownerId: p.id,
        });
        if (query.incidentId && link.incidentId !== query.incidentId) {
          throw new HTTPException(404, { message: 'not_found', cause: `no incident ${query.incidentId}` });
        }
        if (link.area && !maySee(p, '', link)) {
          throw forbidden(`${p.id} may not attach photos to ${query.incidentId ?? query.reportId}`);
        }
      }
      const photoId = query.id ?? randomUUID();
      const { created, meta } = await insertPhoto(deps.db, {
        id: photoId,
        ownerId: p.id,
        contentType: checked.type,
        bytes: Buffer.from(checked.bytes),
        width: checked.width,
        height: checked.height,
        sha256: checked.sha256,
        stripped: checked.stripped,
        purpose: query.purpose,
        incidentId: query.incidentId ?? null,
        reportId: query.reportId ?? null,
        takenAt: query.takenAt ?? null,
      });
      if (meta.ownerId !== p.id || (!created && meta.sha256 !== checked.sha256)) {
        throw new HTTPException(409, {
          message: 'conflict',
          cause: `photo id ${photoId} is already taken by a different photo`,
        });
      }
      return c.json({ ...meta, url: `/api/photos/${meta.id}` }, created ? 201 : 200);
    },
  );

  r.get(
    '/photos',
    {
      summary: 'Photos of an incident (incidentId), for those who may see it',
      tag: 'photos',
      auth: 'required',
      query: PhotoListQuerySchema,
      response: itemsOf(PhotoViewSchema),
      errors: [404],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const { incidentId } = parseOr400(PhotoListQuerySchema, c.req.query(), 'query');
      const link = await photoLink(deps.db, { incidentId, reportId: null, ownerId: p.id });
      if (!link.incidentId)
        throw new HTTPException(404, { message: 'not_found', cause: `no incident ${incidentId}` });
      if (!maySee(p, '', link)) throw forbidden(`incident ${incidentId} is outside ${p.id}'s area`);
      const items = await photosOfIncident(deps.db, incidentId);
      return c.json({ items: items.map((m) => ({ ...m, url: `/api/photos/${m.id}` })) });
    },
  );

  r.get(
    '/photos/:id',
    {
      summary:
        'The photo bytes, only for those who may see the report or incident it belongs to (403 otherwise)',
      tag: 'photos',
      auth: 'required',
      response: BinarySchema,
      responseType: 'image/*',
      errors: [404],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const meta = await photoMeta(deps.db, c.req.param('id'));
      if (!meta)
        throw new HTTPException(404, { message: 'not_found', cause: `no photo ${c.req.param('id')}` });
      if (!maySee(p, meta.ownerId, await photoLink(deps.db, meta))) {
        throw forbidden(`${p.id} may not see the report or incident photo ${meta.id} belongs to`);
      }
      const bytes = await photoBytes(deps.db, meta.id);
      if (!bytes) throw new HTTPException(404, { message: 'not_found', cause: `no photo ${meta.id}` });
      return new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          'content-type': meta.contentType,
          'content-length': String(bytes.length),
          // Personal data: kept by this browser only, and not for long (access can be withdrawn).
          'cache-control': 'private, max-age=3600',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          etag: `"${meta.sha256.slice(0, 32)}"`,
        },
      });
    },
  );

  return app;
}

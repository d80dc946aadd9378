import type { Queryable } from '@wardmap/db';
import { AcceptedSchema, CheckinSchema, deviceTopics, HttpRiverReportSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, forbidden, requirePrincipal } from '../auth/middleware.ts';
import { isAdmin, type Principal } from '../auth/principal.ts';
import { jsonBody } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';
import { messageCommunity } from './publish-queries.ts';

/** Publishes one message to the broker (QoS 1) as the `admin` identity; resolves on PUBACK. */
export type Publish = (topic: string, payload: string) => Promise<void>;

/** 503 when the API was started without a broker connection. */
export function needPublish(publish: Publish | undefined): Publish {
  if (!publish) {
    throw new HTTPException(503, {
      message: 'unavailable',
      cause: 'HTTP check-ins need the MQTT broker, and this API runs without a broker connection',
    });
  }
  return publish;
}

/** The person a message is posted for: yourself, or anyone when admin (who must then name them). */
export function actingPerson(p: Principal, claimed: string | undefined): string {
  if (isAdmin(p)) {
    if (!claimed)
      throw new HTTPException(400, {
        message: 'bad_request',
        cause: 'personId: is required when posting as admin',
      });
    return claimed;
  }
  if (claimed !== undefined && claimed !== p.id)
    throw forbidden(`${p.id} may post only as themselves, not as ${claimed}`);
  return p.id;
}

/** How long a looked-up community is reused (a person moved to another grid: at most this late). */
const COMMUNITY_TTL_MS = 60_000;
const COMMUNITY_CACHE_MAX = 10_000;

/**
 * HTTP check-ins and river reports. They are not written here: they are published to MQTT on the
 * same topics phones use, so they go through the one ingest pipeline (validation, idempotency,
 * dead letters, notices). 202: accepted by the broker, committed by ingest shortly after. With a
 * database they go out in the community form of the topic (`wardmap/community/<c>/checkin/<id>`),
 * so a RabbitMQ cluster routes them by community like the devices that publish it themselves.
 */
export function checkinRoutes(deps: { publish?: Publish | undefined; db?: Queryable }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  const cache = new Map<string, { community: string | null; at: number }>();
  const communityOf = async (of: { personId: string } | { segmentId: string }): Promise<string | null> => {
    if (!deps.db) return null;
    const key = 'personId' in of ? `p:${of.personId}` : `s:${of.segmentId}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < COMMUNITY_TTL_MS) return hit.community;
    let community: string | null;
    try {
      community = await messageCommunity(deps.db, of);
    } catch {
      return null; // only a routing hint: the message goes out without it
    }
    if (cache.size >= COMMUNITY_CACHE_MAX) cache.clear();
    cache.set(key, { community, at: Date.now() });
    return community;
  };

  r.post(
    '/checkins',
    {
      summary: 'HTTP check-in, published to MQTT for ingest (202)',
      tag: 'ingest',
      auth: 'required',
      body: CheckinSchema,
      response: AcceptedSchema,
      status: 202,
      errors: [503],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const body = await jsonBody(c, CheckinSchema);
      const personId = actingPerson(p, body.personId);
      const topic = deviceTopics.checkin(personId, await communityOf({ personId }));
      await needPublish(deps.publish)(topic, JSON.stringify({ ...body, personId }));
      return c.json({ id: body.id, topic, status: 'accepted' }, 202);
    },
  );

  r.post(
    '/river-reports',
    {
      summary: 'HTTP river report, published to MQTT for ingest (202)',
      tag: 'ingest',
      auth: 'required',
      body: HttpRiverReportSchema,
      response: AcceptedSchema,
      status: 202,
      errors: [503],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const body = await jsonBody(c, HttpRiverReportSchema);
      const personId = actingPerson(p, body.personId);
      const chief = isAdmin(p) || p.segmentIds.includes(body.segmentId);
      // A river patrol (start/end) is the segment chief's duty; issues may be reported by a patroller too.
      if (!chief && body.type !== 'issue') {
        throw forbidden(`${p.id} is not the chief of ${body.segmentId}: only the chief patrols it`);
      }
      if (!chief && !p.roles.includes('patroller')) {
        throw forbidden(`${p.id} is not the chief of ${body.segmentId} and not a patroller`);
      }
      const { segmentId, ...report } = body;
      const topic = deviceTopics.riverReport(segmentId, await communityOf({ segmentId }));
      await needPublish(deps.publish)(topic, JSON.stringify({ ...report, personId }));
      return c.json({ id: body.id, topic, status: 'accepted' }, 202);
    },
  );

  return app;
}

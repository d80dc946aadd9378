// Device identities on a RabbitMQ cluster: the answers of RabbitMQ's HTTP auth backend
// (`rabbitmq_auth_backend_http`), from the same people, cameras and NVRs and the same ACL as the
// embedded broker and the generated Mosquitto files. RabbitMQ asks four questions over HTTP:
//
//   user      username + password        -> may this login connect at all?
//   vhost     username + vhost            -> may it use the virtual host?
//   resource  username + exchange/queue + configure|write|read
//   topic     username + exchange + routing key + write|read   (MQTT topics, `/` -> `.`)
//
// and takes `allow` or `deny` as the answer. Only `user` carries the password: the later checks
// name an identity RabbitMQ has already authenticated, so they look it up by name (kept for
// `cacheMs`). Service accounts (ingest's AMQP user, operators) stay in RabbitMQ's internal
// database, listed before `http` in `auth_backends`, and never reach this code.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLoginThrottle, type LoginThrottle, type Queryable } from '@wardmap/db';
import { routingKeyToMqttTopic } from '../source/amqp-source.ts';
import { type BrokerIdentity, canPublish, canSubscribe, canUseClientId } from './acl.ts';
import { brokerUserByName, identifyBrokerUser } from './auth.ts';

export interface RabbitAuthOptions {
  db: Queryable;
  adminToken?: string | undefined;
  /** The only virtual host devices may use (default `/`). */
  vhost?: string;
  /** The deployment's topic prefix (`WARDMAP_TOPIC_PREFIX`). */
  topicPrefix?: string;
  /** How long an identity looked up by name is reused (default 30 s; a new segment or camera: at most this late). */
  cacheMs?: number;
  throttle?: LoginThrottle;
  log?: (line: string) => void;
}

export type RabbitAuthQuestion = 'user' | 'vhost' | 'resource' | 'topic';

/** RabbitMQ's exchange for MQTT publishes and subscriptions. */
const MQTT_EXCHANGE = 'amq.topic';
/** The queue of an MQTT subscription in the 3.x plugin: `mqtt-subscription-<clientId>qos<0|1>`. */
const SUBSCRIPTION_QUEUE = /^mqtt-subscription-(.+)qos[01]$/;

/** A topic binding or routing key as an MQTT filter (`*` -> `+`, `.` -> `/`, ids rebuilt). */
function keyToFilter(key: string, prefix: string): string {
  return routingKeyToMqttTopic(key, prefix)
    .split('/')
    .map((level) => (level === '*' ? '+' : level))
    .join('/');
}

/** Answers RabbitMQ's HTTP auth backend's questions (`allow` / `deny`). */
export function rabbitAuthDecider(opts: RabbitAuthOptions) {
  const vhost = opts.vhost ?? '/';
  const prefix = opts.topicPrefix ?? '';
  const cacheMs = opts.cacheMs ?? 30_000;
  const throttle = opts.throttle ?? createLoginThrottle();
  const log = opts.log ?? (() => {});
  const cache = new Map<string, { who: BrokerIdentity | null; at: number }>();

  const byName = async (username: string): Promise<BrokerIdentity | null> => {
    const hit = cache.get(username);
    if (hit && Date.now() - hit.at < cacheMs) return hit.who;
    const who = await brokerUserByName(opts.db, username);
    if (cache.size > 50_000) cache.clear();
    cache.set(username, { who, at: Date.now() });
    return who;
  };

  const decide = async (question: RabbitAuthQuestion, p: URLSearchParams): Promise<boolean> => {
    const username = p.get('username') ?? '';
    if (!username) return false;
    if (question === 'user') {
      const password = p.get('password') ?? '';
      // Failures are counted per name only: every attempt comes from the broker's address.
      const address = `rabbitmq:${username}`;
      if (!password || throttle.retryAfter(username, address) > 0) return false;
      const who = await identifyBrokerUser(opts.db, username, password, opts.adminToken);
      if (!who) {
        throttle.fail(username, address);
        return false;
      }
      throttle.succeed(username);
      cache.set(username, { who, at: Date.now() });
      const clientId = p.get('client_id');
      return clientId === null || canUseClientId(who, clientId);
    }
    const who = await byName(username);
    if (!who) return false;
    if (p.get('vhost') !== vhost) return false;
    if (who.kind === 'admin') return true;
    if (question === 'vhost') return true;
    const permission = p.get('permission');
    const resource = p.get('resource');
    const name = p.get('name') ?? '';
    if (question === 'resource') {
      if (resource === 'exchange') {
        // Publishing needs write on amq.topic, subscribing read (the binding); nothing may be declared.
        if (name !== MQTT_EXCHANGE) return false;
        return permission === 'write' || (permission === 'read' && who.kind === 'person');
      }
      if (resource === 'queue') {
        // A person's own subscription queues (OwnTracks listens to its own topics).
        const m = SUBSCRIPTION_QUEUE.exec(name);
        return who.kind === 'person' && !!m && canUseClientId(who, m[1] as string);
      }
      return false;
    }
    // topic: the routing key is the MQTT topic (publish) or filter (subscribe), `/` -> `.`.
    if (resource !== 'topic' || name !== MQTT_EXCHANGE) return false;
    const key = p.get('routing_key') ?? '';
    if (!key.startsWith(prefix.replace(/\//g, '.'))) return false;
    const topic = keyToFilter(key, prefix).slice(prefix.length);
    if (permission === 'write') return canPublish(who, topic);
    if (permission === 'read') return canSubscribe(who, topic);
    return false;
  };

  return {
    async answer(question: RabbitAuthQuestion, params: URLSearchParams): Promise<'allow' | 'deny'> {
      try {
        return (await decide(question, params)) ? 'allow' : 'deny';
      } catch (err) {
        log(`rabbitmq auth: ${question} for ${params.get('username')} refused: ${(err as Error).message}`);
        return 'deny';
      }
    },
    /** Forget cached identities (after a deactivation or a change of segments / cameras). */
    forget(username?: string) {
      if (username) cache.delete(username);
      else cache.clear();
    },
  };
}

export interface RabbitAuthServer {
  port: number;
  /** `auth_http.*` lines for rabbitmq.conf pointing at this server (with `auth_backends`). */
  config(host?: string): string[];
  close(): Promise<void>;
}

const QUESTION = /^\/rabbitmq\/(user|vhost|resource|topic)$/;

async function paramsOf(req: IncomingMessage): Promise<URLSearchParams> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method !== 'POST') return url.searchParams;
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16_384) throw new Error('request too large');
  }
  return new URLSearchParams(body);
}

/**
 * The HTTP endpoint RabbitMQ's auth backend calls: `POST|GET /rabbitmq/{user,vhost,resource,topic}`.
 * Listen on an address only the broker nodes reach (it answers whether a password is right; failed
 * logins are throttled per name like the API's). `WARDMAP_RABBITMQ_AUTH_PORT` starts it in ingest.
 */
export async function startRabbitAuthServer(
  opts: RabbitAuthOptions & { port?: number; host?: string },
): Promise<RabbitAuthServer> {
  const decider = rabbitAuthDecider(opts);
  const server: Server = createServer((req, res) => {
    const m = QUESTION.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!m) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    void paramsOf(req)
      .then((params) => decider.answer(m[1] as RabbitAuthQuestion, params))
      .catch(() => 'deny' as const)
      .then((answer) => res.writeHead(200, { 'content-type': 'text/plain' }).end(answer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    config: (host = opts.host ?? '127.0.0.1') => [
      'auth_backends.1 = internal',
      'auth_backends.2 = http',
      'auth_http.http_method = post',
      ...(['user', 'vhost', 'resource', 'topic'] as const).map(
        (q) => `auth_http.${q}_path = http://${host}:${port}/rabbitmq/${q}`,
      ),
    ],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

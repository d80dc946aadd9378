import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseIngestConfig } from '../../../ingest/src/config.ts';

// docker-compose.yml is not run here (no Docker engine on the test machines), so what can be
// checked without one is checked: it parses, every reference resolves, every bind-mounted file is in
// the repository, each Wardmap service's environment passes its own config parser, and the RabbitMQ
// nodes' auth backend points at the service that serves it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Service {
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, unknown>;
  command?: string[];
}
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

/**
 * `${NAME:?message}`, `${NAME:-default}` and `${NAME}` as compose substitutes them: a test value, or
 * the default. Compose substitutes the whole file whatever the profile, so only the variables the
 * default services need may be required (`:?`).
 */
function substitute(value: string): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g,
    (_, name: string, op?: string, rest?: string) =>
      op === '-' ? (rest ?? '') : `test-${name.toLowerCase()}`,
  );
}

const envOf = (name: string) =>
  Object.fromEntries(
    Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]),
  );

describe('docker-compose.yml', () => {
  it("requires no variable besides the default services' own (WARDMAP_ADMIN_TOKEN)", () => {
    const text = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
    const required = [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['WARDMAP_ADMIN_TOKEN']);
  });

  it('resolves every dependency, named volume and bind-mounted path', () => {
    const services = Object.keys(compose.services);
    expect(services).toEqual(expect.arrayContaining(['db', 'mosquitto', 'migrate', 'ingest', 'api']));
    for (const [name, s] of Object.entries(compose.services)) {
      for (const dep of Object.keys(s.depends_on ?? {}))
        expect(services, `${name} depends on ${dep}`).toContain(dep);
      for (const v of s.volumes ?? []) {
        const [source] = v.split(':') as [string];
        if (source.startsWith('.'))
          expect(existsSync(resolve(root, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: volume ${source}`).toContain(source);
      }
    }
  });

  it('gives each ingest service an environment its config parser accepts', () => {
    const mqtt = parseIngestConfig(envOf('ingest'));
    expect(mqtt.source).toBe('mqtt');
    const amqp = parseIngestConfig(envOf('ingest-amqp'));
    expect(amqp.source).toBe('amqp');
    expect(amqp.amqpUrls.map((u) => new URL(u).hostname)).toEqual(['rmq1', 'rmq2', 'rmq3']);
    expect(amqp.rabbitmqAuth).toEqual({ port: 8090, host: '0.0.0.0' });
    expect(compose.services['ingest-amqp']?.profiles).toEqual(['cluster']);
  });

  it("points the RabbitMQ nodes' HTTP auth backend at ingest-amqp, with the plugins it needs", () => {
    const conf = readFileSync(resolve(root, 'deploy/rabbitmq/rabbitmq.conf'), 'utf8');
    const auth = parseIngestConfig(envOf('ingest-amqp')).rabbitmqAuth;
    for (const q of ['user', 'vhost', 'resource', 'topic']) {
      expect(conf).toContain(`auth_http.${q}_path = http://ingest-amqp:${auth?.port}/rabbitmq/${q}`);
    }
    expect(conf).toMatch(/^auth_backends\.1 = internal$/m);
    expect(conf).toMatch(/^auth_backends\.2 = http$/m);
    const nodes = Object.keys(compose.services).filter((s) => /^rmq\d$/.test(s));
    expect(nodes).toEqual(['rmq1', 'rmq2', 'rmq3']);
    for (const n of nodes) expect(conf).toContain(`= rabbit@${n}`);
    const plugins = readFileSync(resolve(root, 'deploy/rabbitmq/enabled_plugins'), 'utf8');
    for (const p of ['rabbitmq_mqtt', 'rabbitmq_consistent_hash_exchange', 'rabbitmq_auth_backend_http']) {
      expect(plugins).toContain(p);
    }
  });
});

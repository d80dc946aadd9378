import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type RunningStack, startStack } from '@wardmap/stack';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, inject } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { openTestBroker } from '../support/mqtt.ts';
import { CHROMIUM } from '../support/programs.ts';

// Shared helpers of the browser tests: the stack on free ports (embedded PGlite and Aedes, or the
// run's real PostgreSQL and Mosquitto when it has DATABASE_URL and MQTT_URL), headless Debian
// Chromium, sign-in, screenshots.

export const CHROMIUM_PATH = process.env.WARDMAP_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Every demo account's password. */
export const DEMO_PASSWORD = 'wardmap-demo';
/** The demo's administrator (sees everything). */
export const DEMO_ADMIN = 'p-0001';
export const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../screenshots');

// Where Chromium is missing the global setup reports it (and fails the run with CI=true).
const chromiumPresent = CHROMIUM.find() !== undefined;

/** `describe` that runs only where Chromium is installed (and fails loudly in CI when it is not). */
export const describeBrowser = (name: string, fn: () => void) => describe.skipIf(!chromiumPresent)(name, fn);

export interface BrowserStack {
  stack: RunningStack;
  /** Base URL the browser uses (through {@link BrowserStack.proxy}, so tests can cut the API off). */
  baseUrl: string;
  /** Direct URL of the stack, bypassing the proxy. */
  directUrl: string;
  proxy: TcpProxy;
  /**
   * Put before every topic a test publishes ('' on the stack's own Aedes). On a shared broker
   * (MQTT_URL) each test file's stack keeps to its own topics and ingest session, so files running
   * side by side never ingest each other's check-ins and alerts.
   */
  topicPrefix: string;
  stop(): Promise<void>;
}

/** Starts the whole stack (demo data, embedded broker unless MQTT_URL) on free ports. */
export async function startBrowserStack(env: Record<string, string> = {}): Promise<BrowserStack> {
  const dir = await mkdtemp(join(tmpdir(), 'wardmap-browser-'));
  const backend = inject('wardmapTestDb').backend;
  const pgDb: TestDb | undefined = backend === 'postgres' ? await openTestDb({ demo: false }) : undefined;
  // The run's Mosquitto (MQTT_URL) is shared with every other test file: this stack gets its own
  // topic root and ingest client id there. Without it the stack starts its own Aedes.
  const broker = process.env.MQTT_URL ? await openTestBroker() : undefined;
  const shared = broker
    ? {
        MQTT_URL: broker.url,
        WARDMAP_TOPIC_PREFIX: broker.topicPrefix,
        WARDMAP_INGEST_CLIENT_ID: broker.clientId('ingest'),
      }
    : {};
  const stack = await startStack(
    parseConfig({
      DATABASE_URL: pgDb?.url,
      ...shared,
      WARDMAP_HTTP_PORT: '0',
      WARDMAP_MQTT_PORT: '0',
      WARDMAP_DATA_DIR: dir,
      WARDMAP_SIMULATE: '0',
      // The demo accounts the tests sign in with: on a real DATABASE_URL they need demo mode asked for.
      WARDMAP_DEMO: '1',
      WARDMAP_ADMIN_TOKEN: 'browser-test-admin-token',
      ...env,
    }),
    (line) => {
      if (/dashboard|error|fail/i.test(line)) console.log(`[stack] ${line}`);
    },
  );
  const proxy = await startTcpProxy(stack.httpPort);
  return {
    stack,
    baseUrl: `http://127.0.0.1:${proxy.port}`,
    directUrl: `http://127.0.0.1:${stack.httpPort}`,
    proxy,
    topicPrefix: broker?.topicPrefix ?? '',
    async stop() {
      await proxy.close();
      await stack.stop();
      await broker?.close();
      await pgDb?.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with the project's flags. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Opens `path`, fills the sign-in form and waits until it is gone. */
export async function signIn(
  page: Page,
  baseUrl: string,
  opts: { id?: string; password?: string; path?: string } = {},
): Promise<void> {
  await page.goto(`${baseUrl}${opts.path ?? '/'}`);
  await page.getByTestId('login-id').fill(opts.id ?? DEMO_ADMIN);
  await page.getByTestId('login-password').fill(opts.password ?? DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 15_000 });
}

/** Saves a PNG to `test/screenshots/<name>.png` (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface TcpProxy {
  port: number;
  /** Refuses and cuts every connection, as if the API went away; the port stays reserved. */
  cut(): Promise<void>;
  /** Accepts connections again. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP pass-through in front of the API so a test can take the API away from the browser and bring
 * it back on the same address, while the stack keeps running (and keeps committing events).
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    async cut() {
      open = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

// A private RabbitMQ cluster on loopback for tests (fault suite, bench, vitest): N nodes of the
// Debian rabbitmq-server (3.10) with their own node names, ports, Erlang cookie, data, log and
// config directories in one temporary folder. Never the machine's own RabbitMQ (rabbit@<host> on
// 5672/15672/25672): every path and port here is ours, and only epmd (4369) is shared.
//
// Each node: rabbitmq_mqtt + rabbitmq_consistent_hash_exchange, `mqtt.durable_queue_type = quorum`,
// an AMQP listener and an MQTT listener on free ports. Nodes 2..N join node 1. A node can be killed
// (SIGKILL, the whole process group) and started again on the same data directory; it rejoins.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, killSync, onCleanup, sleep, waitForPort } from './infra.ts';

const execFileP = promisify(execFile);
const RABBIT_BIN = process.env.WARDMAP_RABBITMQ_BIN ?? '/usr/lib/rabbitmq/bin';

export interface RabbitNode {
  index: number;
  /** Erlang node name, e.g. `wm12345n1@localhost`. */
  name: string;
  amqpPort: number;
  mqttPort: number;
  distPort: number;
  amqpUrl: string;
  mqttUrl: string;
  running(): boolean;
  /** The pid of the node's process group leader (the rabbitmq-server script) while it runs. */
  pid(): number | undefined;
  /** Kills the node's process group (default SIGKILL) and waits for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the node again on its data directory and waits until it runs (and is back in the cluster). */
  start(): Promise<void>;
}

export interface RabbitCluster {
  nodes: RabbitNode[];
  dir: string;
  /** Milliseconds from the first spawn to a formed cluster. */
  startupMs: number;
  /** `rabbitmqctl -n <node> ...args` with the cluster's cookie; resolves with stdout. */
  ctl(node: RabbitNode, args: string[], timeoutMs?: number): Promise<string>;
  /** Every AMQP URL, node 1 first (clients fail over along the list). */
  amqpUrls(): string[];
  destroy(): Promise<void>;
}

/** A node process that exited before it was up. */
export class NodeBootError extends Error {
  constructor(node: string, code: number | null, signal: string | null, why: string) {
    super(
      `RabbitMQ node ${node} exited while starting (code ${code}, signal ${signal})${why ? `: ${why}` : ''}`,
    );
    this.name = 'NodeBootError';
  }
}

/** The last error line of a node's log files (empty when there is none). */
function lastLogError(logDir: string): string {
  try {
    const lines = readdirSync(logDir)
      .filter((f) => f.endsWith('.log'))
      .flatMap((f) => readFileSync(join(logDir, f), 'utf8').split('\n'));
    // The first error and the lines after it (an Erlang error report spans several lines).
    const at = lines.findIndex((l) => /\[error\]|already_used|eaddrinuse/i.test(l));
    if (at < 0) return '';
    return lines
      .slice(at, at + 4)
      .map((l) => l.trim())
      .join(' ')
      .replace(/\s+/g, ' ')
      .slice(0, 400);
  } catch {
    return '';
  }
}

export function rabbitAvailable(): boolean {
  return existsSync(join(RABBIT_BIN, 'rabbitmq-server'));
}

export interface RabbitClusterOptions {
  size?: number;
  log?: (l: string) => void;
  /** More rabbitmq.conf lines for every node (after the defaults: a repeated key wins). */
  config?: string[];
  /** More plugins to enable (e.g. `rabbitmq_auth_backend_http`). */
  plugins?: string[];
}

/**
 * Starts the cluster; when a node dies while booting (a free port taken by someone else before the
 * node bound it: the ports are picked, then handed over), starts again on new ports, up to 3 times.
 */
export async function startRabbitCluster(opts: RabbitClusterOptions = {}): Promise<RabbitCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRabbitClusterOnce(opts);
    } catch (err) {
      if (!(err instanceof NodeBootError) || attempt >= 3) throw err;
      (opts.log ?? console.warn)(
        `rabbit: ${err.message}; starting again on new ports (attempt ${attempt + 1})`,
      );
    }
  }
}

async function startRabbitClusterOnce(opts: RabbitClusterOptions): Promise<RabbitCluster> {
  const size = opts.size ?? 3;
  const log = opts.log ?? (() => {});
  if (!rabbitAvailable()) {
    throw new Error(
      `RabbitMQ is not installed (${RABBIT_BIN}/rabbitmq-server missing): apt-get install rabbitmq-server, or set WARDMAP_RABBITMQ_BIN`,
    );
  }
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'wardmap-rabbit-'));
  // One cookie for our nodes and our rabbitmqctl calls: $HOME/.erlang.cookie in a private HOME
  // (3.10 still reads RABBITMQ_ERLANG_COOKIE but warns that it is deprecated; the file works for
  // both the server and the CLI tools).
  const home = join(dir, 'home');
  mkdirSync(home);
  const cookie = `WARDMAP${Math.random().toString(36).slice(2).toUpperCase()}${Date.now()}`;
  writeFileSync(join(home, '.erlang.cookie'), cookie);
  chmodSync(join(home, '.erlang.cookie'), 0o400);
  const envFile = join(dir, 'rabbitmq-env.conf'); // empty: not /etc/rabbitmq/rabbitmq-env.conf
  writeFileSync(envFile, '');
  const plugins = join(dir, 'enabled_plugins');
  const pluginList = ['rabbitmq_mqtt', 'rabbitmq_consistent_hash_exchange', ...(opts.plugins ?? [])];
  writeFileSync(plugins, `[${pluginList.join(',')}].\n`);
  const baseEnv = (): Record<string, string> => {
    const e: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !k.startsWith('RABBITMQ_') && k !== 'ERL_FLAGS') e[k] = v;
    }
    return {
      ...e,
      HOME: home,
      RABBITMQ_CONF_ENV_FILE: envFile,
      ERL_EPMD_ADDRESS: '127.0.0.1',
    };
  };
  const tag = `wm${process.pid}${Math.random().toString(36).slice(2, 5)}`;

  const ctl = async (node: RabbitNode, args: string[], timeoutMs = 120_000): Promise<string> => {
    const { stdout } = await execFileP(join(RABBIT_BIN, 'rabbitmqctl'), ['-n', node.name, ...args], {
      env: baseEnv(),
      timeout: timeoutMs,
    });
    return stdout;
  };

  const nodes: RabbitNode[] = [];
  // At exit, on an uncaught error or (where the program asked for it) a signal: every node's whole
  // process group, then the directory; registered before the first await (infra.ts's cleanup registry).
  const unregister = onCleanup(() => {
    for (const n of nodes) {
      const pid = n.pid();
      if (n.running() && pid) killSync(pid, 'SIGKILL', true);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 1; i <= size; i++) {
    const [amqpPort, mqttPort, distPort] = [await freePort(), await freePort(), await freePort()];
    const nodeDir = join(dir, `n${i}`);
    mkdirSync(nodeDir);
    const config = join(nodeDir, 'rabbitmq.conf');
    writeFileSync(
      config,
      [
        `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
        `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
        'mqtt.durable_queue_type = quorum',
        'mqtt.allow_anonymous = true',
        // The guest user over loopback only (the default) is what the tests use.
        'log.console = false',
        'log.file.level = info',
        // A killed node is noticed within seconds, not the default minute.
        'net_ticktime = 10',
        // Small disks in CI: do not block publishers on the 50 MB default.
        'disk_free_limit.absolute = 10MB',
        ...(opts.config ?? []),
        '',
      ].join('\n'),
    );
    const name = `${tag}n${i}@localhost`;
    let child: ChildProcess | undefined;
    const env = {
      ...baseEnv(),
      RABBITMQ_NODENAME: name,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(amqpPort),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_CONFIG_FILE: config,
      RABBITMQ_MNESIA_BASE: join(nodeDir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(nodeDir, 'log'),
      RABBITMQ_PID_FILE: join(nodeDir, 'pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
      // Only the CLI's own distribution ports: away from anything the machine's RabbitMQ uses.
      ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
    const node: RabbitNode = {
      index: i,
      name,
      amqpPort,
      mqttPort,
      distPort,
      amqpUrl: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      running: () => !!child && child.exitCode === null && child.signalCode === null,
      pid: () => child?.pid,
      async kill(signal = 'SIGKILL') {
        const c = child;
        if (!c || c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        try {
          process.kill(-(c.pid as number), signal); // the script, erl and beam.smp
        } catch {}
        await exited;
        // beam.smp may outlive the wrapper script for a moment.
        for (let k = 0; k < 50 && (await portOpen(amqpPort)); k++) await sleep(100);
      },
      async start() {
        const c = spawn(join(RABBIT_BIN, 'rabbitmq-server'), [], {
          env,
          detached: true,
          stdio: 'ignore',
        });
        child = c; // not unref'd: a test waits for its nodes; destroy() ends them
        // A node that dies while booting (e.g. a port taken between freePort() and its bind) fails
        // the start at once, with its log's last error, instead of after the port wait.
        let booting = true;
        const died = new Promise<never>((_, reject) => {
          c.once('exit', (code, signal) => {
            if (booting) reject(new NodeBootError(name, code, signal, lastLogError(join(nodeDir, 'log'))));
          });
        });
        died.catch(() => {});
        try {
          await Promise.race([
            (async () => {
              await waitForPort(amqpPort, 180_000);
              await waitForPort(mqttPort, 60_000);
              await ctl(node, ['await_startup', '--timeout', '120'], 150_000);
            })(),
            died,
          ]);
        } finally {
          booting = false;
        }
      },
    };
    nodes.push(node);
  }

  const cluster: RabbitCluster = {
    nodes,
    dir,
    startupMs: 0,
    ctl,
    amqpUrls: () => nodes.map((n) => n.amqpUrl),
    async destroy() {
      for (const n of nodes) await n.kill('SIGKILL').catch(() => {});
      unregister();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    // Boot all nodes at once (each boots alone first), then join 2..N to node 1 one after another.
    await Promise.all(nodes.map((n) => n.start()));
    log(`rabbit: ${size} nodes booted in ${Date.now() - t0} ms`);
    const first = nodes[0] as RabbitNode;
    for (const n of nodes.slice(1)) {
      await ctl(n, ['stop_app']);
      await ctl(n, ['join_cluster', first.name]);
      await ctl(n, ['start_app']);
    }
    await ctl(first, ['await_online_nodes', String(size)]);
    cluster.startupMs = Date.now() - t0;
    log(`rabbit: cluster of ${size} formed in ${cluster.startupMs} ms (${dir})`);
    return cluster;
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
}

async function portOpen(port: number): Promise<boolean> {
  try {
    await waitForPort(port, 1);
    return true;
  } catch {
    return false;
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWith, MOSQUITTO } from '../support/programs.ts';

/** `describe` for tests that start a Mosquitto of their own: skipped (and reported) where it is not installed. */
export const describeMosquitto = describeWith(MOSQUITTO);

/** A free TCP port on 127.0.0.1 (bound and released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface MosquittoProcess {
  url: string;
  dir: string;
  /** Mosquitto's log so far (for failure messages). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a Mosquitto of our own with the project's configuration (deploy/mosquitto/mosquitto.conf:
 * unlimited queue and in-flight window), adapted like .ci/run does: a free port, a temporary
 * persistence directory, and either anonymous access or the given password and ACL files.
 */
export async function startMosquitto(files?: { passwd: string; acl: string }): Promise<MosquittoProcess> {
  const bin = MOSQUITTO.find();
  if (!bin) throw new Error(`mosquitto is not installed (${MOSQUITTO.install})`);
  const dir = await mkdtemp(join(tmpdir(), 'wardmap-mosq-'));
  try {
    return await startIn(dir, bin, files);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(
  dir: string,
  bin: string,
  files: { passwd: string; acl: string } | undefined,
): Promise<MosquittoProcess> {
  // Mosquitto started as root drops to its own user: it must be able to read and write here.
  await chmod(dir, 0o777);
  const port = await freePort();
  const base = await readFile(new URL('../../../deploy/mosquitto/mosquitto.conf', import.meta.url), 'utf8');
  let conf = base
    .replace(/^listener .*/m, `listener ${port} 127.0.0.1`)
    .replace(/^persistence_location .*/m, `persistence_location ${dir}/`)
    .replace(/^log_type .*\n/gm, '');
  if (files) {
    await writeFile(join(dir, 'passwd'), files.passwd, { mode: 0o644 });
    await writeFile(join(dir, 'acl'), files.acl, { mode: 0o644 });
    conf = conf
      .replace(/^password_file .*/m, `password_file ${dir}/passwd`)
      .replace(/^acl_file .*/m, `acl_file ${dir}/acl`);
  } else {
    conf = conf
      .replace(/^password_file .*\n/m, '')
      .replace(/^acl_file .*\n/m, '')
      .replace(/^allow_anonymous .*/m, 'allow_anonymous true');
  }
  await writeFile(
    join(dir, 'mosquitto.conf'),
    `${conf}log_dest file ${dir}/mosquitto.log\nlog_type error\nlog_type warning\nlog_type notice\n`,
  );
  const child: ChildProcess = spawn(bin, ['-c', join(dir, 'mosquitto.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  // Why it did not come up: how it ended, its stderr and its log file (where it writes its errors).
  const why = async () => {
    const log = await readFile(join(dir, 'mosquitto.log'), 'utf8').catch(() => '');
    const how = spawnError
      ? `could not start ${bin}: ${spawnError.message}`
      : child.exitCode !== null || child.signalCode !== null
        ? `${bin} exited (code ${child.exitCode}, signal ${child.signalCode})`
        : `${bin} is running`;
    return [how, stderr.trim() && `stderr: ${stderr.trim()}`, log.trim() && `log: ${log.trim()}`]
      .filter(Boolean)
      .join('\n');
  };
  const stopChild = async () => {
    if (child.exitCode === null && child.signalCode === null && !spawnError) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null)
      throw new Error(`mosquitto did not start: ${await why()}`);
    const ok = await new Promise<boolean>((r) => {
      const s = tcpConnect(port, '127.0.0.1', () => {
        s.end();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      const message = `mosquitto did not listen on ${port} within 10 s: ${await why()}`;
      await stopChild();
      throw new Error(message);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    log: () => readFile(join(dir, 'mosquitto.log'), 'utf8').catch(() => ''),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts `feed-api-process.ts` (one real API process on DATABASE_URL, a free port) as a child with
 * `env` added to this process's environment; resolves once it prints `listening <port>`, rejects if
 * it exits first (naming it `name`).
 */
export async function spawnFeedApi(
  name: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const entry = fileURLToPath(new URL('./feed-api-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening: ${out}`)));
  });
  return { child, port };
}

// `npm start`: the one place that reads the environment, opens connections and listens.
import { parseConfig } from './config.ts';
import { startStack } from './stack.ts';

const log = (line: string) => console.log(`[wardmap] ${line}`);

try {
  const config = parseConfig();
  const stack = await startStack(config, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  console.error(`[wardmap] cannot start: ${(err as Error).message}`);
  process.exit(1);
}

// `npm install` (postinstall) and `npm run build:dashboard`: build the dashboard when stale.
import { ensureDashboardBuilt } from './build.ts';

try {
  const force = process.argv.includes('--force');
  const { built } = await ensureDashboardBuilt({ log: (l) => console.log(`[wardmap] ${l}`), force });
  if (!built) console.log('[wardmap] dashboard: build is up to date');
} catch (err) {
  console.error(`[wardmap] dashboard: build failed: ${(err as Error).message}`);
  process.exit(1);
}

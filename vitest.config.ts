import { defineConfig } from 'vitest/config';

// PGlite+PostGIS costs ~1.2 GB and seconds per instance, and the machine has two cores:
// keep parallelism modest and give database tests room to breathe.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['{geo,db,ingest,api,sim,stack}/src/**/*.test.ts', 'test/src/**/*.test.ts'],
          globalSetup: ['test/src/global-setup.ts'],
        },
      },
      {
        // The dashboard's unit tests: a DOM (jsdom, no WebGL/EventSource), no database.
        extends: true,
        test: {
          name: 'dashboard',
          include: ['dashboard/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
    ],
  },
});

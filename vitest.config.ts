import { defineConfig } from 'vitest/config';

// PGlite+PostGIS costs ~1.2 GB and seconds per instance, and the machine has two cores:
// keep parallelism modest and give database tests room to breathe.
export default defineConfig({
  test: {
    include: ['{geo,db,ingest,api,sim,stack,dashboard}/src/**/*.test.ts', 'test/src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/src/global-setup.ts'],
  },
});

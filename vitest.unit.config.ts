import { defineConfig } from 'vitest/config';

// `npm run test:unit`: the fast tier — pure unit tests beside the code (no database, broker or
// browser; no global setup, so a test that reaches for the test database fails here) and the
// dashboard's jsdom tests. `npm test` runs these too, with the integration suite in test/src.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    // Pure tests share no state through modules: reuse workers and their environment (jsdom) per file.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{geo,db,ingest,api,sim,stack}/src/**/*.test.ts'],
          // Simulates days of the demo (minutes of CPU): integration-sized, left to `npm test`.
          exclude: ['sim/src/scenario.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'dashboard', include: ['dashboard/src/**/*.test.{ts,tsx}'], environment: 'jsdom' },
      },
    ],
  },
});

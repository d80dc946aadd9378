import type { TestProject } from 'vitest/node';
import { missingProgramsLine } from './support/programs.ts';
import { prepareTestDatabases } from './support/templates.ts';

// Runs once before all test files: builds the database templates every test file clones, so a
// file pays seconds (PGlite dump load) or milliseconds (CREATE DATABASE … TEMPLATE) instead of
// a cold PostGIS initialisation.
export default async function setup(project: TestProject) {
  // Tests needing a program this machine lacks are skipped and reported here, once at the start
  // and once at the end of the run; in CI a missing program fails the run.
  const missing = missingProgramsLine();
  if (missing && process.env.CI === 'true') throw new Error(missing);
  if (missing) console.warn(`\n${missing}\n`);
  const prepared = await prepareTestDatabases((line) => console.log(`[global-setup] ${line}`));
  const { teardown, ...serialisable } = prepared;
  project.provide('wardmapTestDb', serialisable);
  return async () => {
    await teardown();
    if (missing) console.warn(`\n${missing}\n`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    wardmapTestDb: { backend: 'pglite' | 'postgres'; emptyTemplate: string; demoTemplate: string };
  }
}

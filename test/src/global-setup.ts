import type { TestProject } from 'vitest/node';
import { prepareTestDatabases } from './support/templates.ts';

// Runs once before all test files: builds the database templates every test file clones, so a
// file pays seconds (PGlite dump load) or milliseconds (CREATE DATABASE … TEMPLATE) instead of
// a cold PostGIS initialisation.
export default async function setup(project: TestProject) {
  const prepared = await prepareTestDatabases((line) => console.log(`[global-setup] ${line}`));
  const { teardown, ...serialisable } = prepared;
  project.provide('wardmapTestDb', serialisable);
  return teardown;
}

declare module 'vitest' {
  export interface ProvidedContext {
    wardmapTestDb: { backend: 'pglite' | 'postgres'; emptyTemplate: string; demoTemplate: string };
  }
}

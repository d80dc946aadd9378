// Where ingest and the API meet in the database: the change feed (channel, recording changes in
// the writer's transaction, reading from a position), the processed-message claim, and leases.
export * from './claims.ts';
export * from './events.ts';
export * from './feed.ts';
export * from './incident-view.ts';
export * from './lease.ts';

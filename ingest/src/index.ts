export * from './broker.ts';
export * from './decode.ts';
export * from './incident-rules.ts';
export * from './ingest.ts';
export type * from './items.ts';
export { subscriptionFilters } from './topics.ts';
export { CHANGES_CHANNEL } from './write/notices.ts';

export * from './ids.ts';
export * from './outbox.ts';
export * from './send.ts';
export * from './store.ts';
export * from './types.ts';

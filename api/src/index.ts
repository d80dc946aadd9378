export * from './app.ts';
export * from './auth/principal.ts';
export * from './incidents/escalation.ts';
export * from './limits.ts';
export type { Publish } from './routes/checkins.ts';
export * from './routes/health.ts';
export * from './services.ts';
export * from './stream/hub.ts';
export * from './tiles/tile-cache.ts';

export * from './app.ts';
export * from './routes/health.ts';

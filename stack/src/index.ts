export * from './config.ts';
export * from './stack.ts';

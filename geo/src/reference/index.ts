export * from './generate.ts';
export * from './geojson.ts';
export * from './types.ts';

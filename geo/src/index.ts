// @wardmap/geo: domain types, wire schemas, geometry helpers and the demo geography.
// Imports nothing Node- or DOM-only, so the dashboard, ingest and api all share it.

export * from './geometry/index.ts';
export * from './reference/index.ts';
// The wire schemas own these names; the geometry and reference modules use structurally equal types.
export type { BBox, CommunityKind, Geometry, LonLat, RiverChiefLevel } from './schemas/index.ts';
export * from './schemas/index.ts';
export * from './time/clock.ts';
export * from './topics.ts';

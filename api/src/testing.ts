// `@wardmap/api/testing`: the internals tests and benchmarks drive directly (tile rendering and its
// SQL, the layer registry). Applications use `@wardmap/api`.

export { checkinsLayer } from './map/layers/checkins.ts';
export { LAYERS } from './map/layers/index.ts';
export { TILE_FEATURE_LIMIT } from './map/tile-routes.ts';
export { renderTile, withoutParallelWorkers } from './map/tiles/render-tile.ts';
export { mvtSql, type TileCoordinates, tileGeoJsonSql } from './map/tiles/tile-sql.ts';
export { docsOf, openApiPath } from './openapi/registry.ts';
export { bindNamed } from './sql/bind.ts';

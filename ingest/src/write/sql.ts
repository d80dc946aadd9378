// SQL fragments shared by the writers. Geometries are WGS-84 (SRID 4326); `&&` against the point
// lets the GiST index on grids.geom pick candidates before the exact ST_Intersects test.

/** LATERAL subquery giving `id, community_id` of the grid containing point expression `pt`. */
export const gridAtLateral = (pt: string) => `LEFT JOIN LATERAL (
    SELECT gr.id, gr.community_id FROM grids gr
     WHERE gr.geom && ${pt} AND ST_Intersects(gr.geom, ${pt})
     ORDER BY gr.id LIMIT 1) g ON true`;

/** Points are built from float8 lon/lat columns. */
export const point = (lon: string, lat: string) => `ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;

import { z } from 'zod';
import { displayName, id } from './fields.ts';
import { AreaGeometrySchema } from './geojson.ts';

/** Body of `POST /api/grids`: a management block (管理区块 / 网格) of about 300 households inside a community. */
export const GridSchema = z.object({
  id,
  name: displayName,
  communityId: id,
  households: z.number().int().min(0),
  residents: z.number().int().min(0).optional(),
  geometry: AreaGeometrySchema,
  /** The block's liaison social worker (联络社工). */
  liaisonId: id.optional(),
  /** The building party liaison chief (楼宇党员联络长). */
  buildingChiefId: id.optional(),
  /** Unit party liaisons (单元党员联络员). */
  unitLiaisonIds: z.array(id).max(50).optional(),
});
export type Grid = z.infer<typeof GridSchema>;

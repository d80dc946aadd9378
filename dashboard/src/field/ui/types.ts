/** `/api/auth/me` as the field app reads it: roles and the area they cover. */
export interface FieldPrincipal {
  id: string;
  name: string;
  roles: string[];
  gridId: string | null;
  segmentIds: string[];
}

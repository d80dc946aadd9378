import { z } from 'zod';
import { displayName, id } from './fields.ts';

/** What a person does in the four-in-one network; one person may hold several roles. */
export const PersonRoleSchema = z.enum(['patroller', 'river_chief', 'police', 'liaison', 'admin']);
export type PersonRole = z.infer<typeof PersonRoleSchema>;

/** Body of `POST /api/people`. The password serves both API login and MQTT; duplicate roles are dropped. */
export const PersonSchema = z.object({
  id,
  name: displayName,
  roles: z
    .array(PersonRoleSchema)
    .min(1, { error: 'roles must name at least one role' })
    .overwrite((roles) => [...new Set(roles)]),
  password: z.string().min(8, { error: 'password must be at least 8 characters' }).max(256),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{2,23}$/, {
      error: 'phone must be digits, spaces or dashes, optionally starting with +',
    })
    .optional(),
  gridId: id.optional(),
  organisationId: id.optional(),
  policePostId: id.optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/** A person as the API returns it: never with the password. */
export const PersonViewSchema = PersonSchema.omit({ password: true });
export type PersonView = z.infer<typeof PersonViewSchema>;

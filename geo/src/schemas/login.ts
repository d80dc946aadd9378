import { z } from 'zod';
import { id } from './fields.ts';

/** Body of `POST /api/auth/login`. */
export const LoginSchema = z.object({
  id,
  password: z.string().min(1).max(256),
  /** A long-lived device session (30 days, the field app on a phone) instead of 12 hours. */
  remember: z.boolean().optional(),
});
export type Login = z.input<typeof LoginSchema>;

/** Answer of a successful login. */
export const LoginResultSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  person: z.object({ id, name: z.string(), roles: z.array(z.string()) }),
});
export type LoginResult = z.infer<typeof LoginResultSchema>;

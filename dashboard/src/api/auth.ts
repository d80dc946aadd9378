import { ApiError, api, setToken } from './client.ts';

/** The signed-in person as `/api/auth/me` and the login answer describe them. */
export interface Principal {
  id: string;
  name?: string;
  roles: string[];
  [k: string]: unknown;
}

interface LoginAnswer {
  token: string;
  expiresAt: string;
  person: { id: string; name: string; roles: string[] };
}

/** Signs in; the server sets the session cookie and the token is also kept for this tab. */
export async function login(id: string, password: string, remember = false): Promise<Principal> {
  const answer = await api<LoginAnswer>('auth/login', {
    body: { id, password, ...(remember ? { remember } : {}) },
  });
  setToken(answer.token);
  return answer.person;
}

/** The current principal, or null when not signed in (401). */
export async function me(): Promise<Principal | null> {
  try {
    const p = await api<Principal & { personId?: string }>('auth/me');
    return { ...p, id: p.id ?? p.personId ?? '' };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function logout(): Promise<void> {
  try {
    await api('auth/logout', { method: 'POST' });
  } catch {
    // Signing out locally matters more than the server's answer.
  }
  setToken(null);
}

import type { StateCreator } from 'zustand';
import type { Principal } from '../api/auth.ts';

export interface SessionSlice {
  /** undefined: not yet known (checking `/api/auth/me`); null: signed out. */
  principal: Principal | null | undefined;
  setPrincipal(p: Principal | null): void;
}

export const createSessionSlice: StateCreator<SessionSlice, [], [], SessionSlice> = (set) => ({
  principal: undefined,
  setPrincipal: (principal) => set({ principal }),
});

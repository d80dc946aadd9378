import { create } from 'zustand';
import { createLiveSlice, type LiveSlice } from './live-slice.ts';
import { createSessionSlice, type SessionSlice } from './session-slice.ts';
import { createUiSlice, type UiSlice } from './ui-slice.ts';

// One store from typed slices. Other areas (board, field) add their own slice files here or keep
// their own small stores; high-rate data never goes through the store (see stream/).
export type AppState = SessionSlice & LiveSlice & UiSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createLiveSlice(...a),
  ...createUiSlice(...a),
}));

export type { LiveState } from './live-slice.ts';
export type { Selection } from './ui-slice.ts';

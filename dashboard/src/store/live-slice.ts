import type { StateCreator } from 'zustand';

export type LiveState = 'live' | 'connecting' | 'offline';

/**
 * Low-rate state the stream client derives: connection state, the time of the newest data and a
 * version counter bumped once per flush (components re-read the live maps when it changes).
 * High-rate data itself stays outside React in the stream client's maps.
 */
export interface LiveSlice {
  liveState: LiveState;
  /** ISO time the newest applied data was current (snapshot time or newest event time). */
  dataAsOf: string | null;
  /** Bumped on every flush of live data into the layers. */
  liveVersion: number;
  setLiveState(s: LiveState): void;
  markFlushed(asOf: string | null): void;
}

export const createLiveSlice: StateCreator<LiveSlice, [], [], LiveSlice> = (set) => ({
  liveState: 'connecting',
  dataAsOf: null,
  liveVersion: 0,
  setLiveState: (liveState) => set({ liveState }),
  markFlushed: (asOf) =>
    set((s) => ({
      liveVersion: s.liveVersion + 1,
      dataAsOf: asOf && (!s.dataAsOf || asOf > s.dataAsOf) ? asOf : s.dataAsOf,
    })),
});

import type { StateCreator } from 'zustand';

/** What is selected on the map (opens the details panel). */
export interface Selection {
  kind: 'person' | 'segment' | 'camera' | 'incident' | 'grid' | 'community' | 'post';
  id: string;
  /** The clicked feature's properties, when it came from a map layer. */
  props?: Record<string, unknown>;
}

export interface UiSlice {
  selection: Selection | null;
  /** Map layer ids that are switched off (toggled with `visible`, never removed). */
  hiddenLayers: Record<string, boolean>;
  /** Person the map follows (live or replay). */
  followId: string | null;
  select(s: Selection | null): void;
  toggleLayer(id: string): void;
  follow(id: string | null): void;
}

export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set) => ({
  selection: null,
  hiddenLayers: {},
  followId: null,
  select: (selection) => set({ selection }),
  toggleLayer: (id) => set((s) => ({ hiddenLayers: { ...s.hiddenLayers, [id]: !s.hiddenLayers[id] } })),
  follow: (followId) => set({ followId }),
});

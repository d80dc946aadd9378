// Colours shared by the map's style, the deck.gl layers and the legend.

/** Patrol compliance of blocks and river segments (API `status`). */
export const STATUS_COLORS: Record<string, string> = {
  ok: '#2e9d57',
  due: '#e0a106',
  overdue: '#d1372f',
  never: '#8b2fc9',
  no_rule: '#9aa5b1',
};

export const INCIDENT_LEVEL_COLORS: Record<string, [number, number, number]> = {
  building: [245, 158, 11],
  block: [234, 88, 12],
  community: [190, 24, 93],
};

/** SLA state of an open incident: colour of its pulse. */
export const SLA_COLORS: Record<'ok' | 'soon' | 'overdue', [number, number, number]> = {
  ok: [37, 99, 235],
  soon: [234, 179, 8],
  overdue: [220, 38, 38],
};

export const CAMERA_COLORS = { online: '#1f6feb', offline: '#6b7280' };
export const POST_COLOR = '#0b3d91';
export const COMMUNITY_COLOR = '#4b5563';

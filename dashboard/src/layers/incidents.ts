import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { SLA_COLORS } from '../map/colors.ts';
import { type IncidentLive, isOpenIncident, type LiveData } from '../stream/live-data.ts';

export type SlaState = keyof typeof SLA_COLORS;

/** SLA state of an open incident at `now`: overdue, due within 15 min, or in time. */
export function slaStateOf(i: Pick<IncidentLive, 'slaDueAt'>, now: number): SlaState {
  if (!i.slaDueAt) return 'ok';
  const left = Date.parse(i.slaDueAt) - now;
  return left <= 0 ? 'overdue' : left <= 15 * 60_000 ? 'soon' : 'ok';
}

/**
 * Open incidents and alerts pulsing by SLA state. The pulse is a layer-wide uniform
 * (`radiusScale`), not a per-row accessor, so animating it re-uploads nothing.
 */
export class IncidentsModel {
  rows: IncidentLive[] = [];
  version = 0;

  update(live: LiveData): boolean {
    if (!live.incidentsDirty) return false;
    this.rows = [...live.incidents.values()].filter((i) => isOpenIncident(i) && i.lon !== null);
    this.version++;
    return true;
  }

  layers(opts: { visible: boolean; pulse: number; now: number }): Layer[] {
    const now = opts.now;
    const minute = Math.floor(now / 60_000);
    return [
      new ScatterplotLayer<IncidentLive>({
        id: 'incidents-halo',
        data: this.rows,
        visible: opts.visible,
        radiusUnits: 'pixels',
        getPosition: (i) => [i.lon!, i.lat!],
        getRadius: 14,
        radiusScale: 0.8 + 0.6 * opts.pulse,
        getFillColor: (i) => [...SLA_COLORS[slaStateOf(i, now)], 70] as [number, number, number, number],
        updateTriggers: { getFillColor: [this.version, minute] },
      }),
      new ScatterplotLayer<IncidentLive>({
        id: 'incidents',
        data: this.rows,
        visible: opts.visible,
        pickable: true,
        radiusUnits: 'pixels',
        getPosition: (i) => [i.lon!, i.lat!],
        getRadius: 6,
        stroked: true,
        getLineColor: [255, 255, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        getFillColor: (i) => SLA_COLORS[slaStateOf(i, now)],
        updateTriggers: { getFillColor: [this.version, minute] },
      }),
    ];
  }
}

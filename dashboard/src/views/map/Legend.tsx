import { useTranslation } from 'react-i18next';
import { CAMERA_COLORS, POST_COLOR, SLA_COLORS, STATUS_COLORS } from '../../map/colors.ts';
import { LAYER_GROUPS, type LayerGroup } from '../../map/style.ts';
import { useAppStore } from '../../store/index.ts';
import { FRESHNESS_COLORS, type Freshness } from '../../stream/freshness.ts';

const rgb = (c: readonly number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;

/** Legend with a visibility toggle per layer group (map groups and the two live deck.gl layers). */
export function Legend() {
  const { t } = useTranslation('map');
  const hidden = useAppStore((s) => s.hiddenLayers);
  const toggle = useAppStore((s) => s.toggleLayer);
  const groups = [...(Object.keys(LAYER_GROUPS) as LayerGroup[]), 'live', 'incidents'];
  const swatches: Record<string, Array<[string, string]>> = {
    grids: ['ok', 'due', 'overdue'].map((s) => [STATUS_COLORS[s]!, t(`status.${s}`)]),
    rivers: ['ok', 'due', 'overdue', 'never'].map((s) => [STATUS_COLORS[s]!, t(`status.${s}`)]),
    posts: [[POST_COLOR, t('layers.posts')]],
    cameras: [
      [CAMERA_COLORS.online, t('camera.online')],
      [CAMERA_COLORS.offline, t('camera.offline')],
    ],
    live: (['fresh', 'late', 'stale', 'lost'] as Freshness[]).map((f) => [
      rgb(FRESHNESS_COLORS[f]),
      t(`freshness.${f}`),
    ]),
    incidents: (['ok', 'soon', 'overdue'] as const).map((s) => [rgb(SLA_COLORS[s]), t(`sla.${s}`)]),
  };
  return (
    <aside className="legend" data-testid="legend">
      {groups.map((g) => (
        <div key={g} className="legend-group">
          <label>
            <input
              type="checkbox"
              data-testid={`layer-toggle-${g}`}
              checked={!hidden[g]}
              onChange={() => toggle(g)}
            />
            {t(`layers.${g}`)}
          </label>
          {swatches[g] && !hidden[g] && (
            <div className="legend-swatches">
              {swatches[g]!.map(([color, label]) => (
                <span key={label} className="legend-swatch">
                  <i style={{ background: color }} />
                  {label}
                </span>
              ))}
            </div>
          )}
        </div>
      ))}
    </aside>
  );
}

import { useTranslation } from 'react-i18next';
import type { BoardModel } from './board-model.ts';
import { useModel, useTick } from './hooks.ts';
import { slaState } from './queue.ts';

// A light SVG sketch of the post's area (incidents by SLA colour, cameras with their field of view,
// patrollers). It stands in for the operations map module until that lands on this branch; the
// board passes the same "focus" (a camera or incident) either way.

export type MapFocus = { kind: 'camera' | 'incident' | 'person'; id: string } | null;

const W = 600;
const H = 360;

export function MiniMap(props: { model: BoardModel; focus: MapFocus }) {
  const { model, focus } = props;
  const { t } = useTranslation('board');
  useModel(model);
  useTick();
  const pts: Array<[number, number]> = [];
  if (model.post?.location) pts.push(model.post.location);
  for (const c of model.cameras.values()) pts.push(c.location);
  for (const p of model.patrollers.values()) if (p.location) pts.push(p.location);
  let focusAt: [number, number] | null = null;
  if (focus?.kind === 'camera') focusAt = model.cameras.get(focus.id)?.location ?? null;
  if (focus?.kind === 'person') focusAt = model.patrollers.get(focus.id)?.location ?? null;
  if (focus?.kind === 'incident') {
    const it = model.items.get(focus.id);
    focusAt = it?.kind === 'incident' ? (it.incident.location ?? null) : null;
  }
  if (!pts.length) return <div className="minimap" data-testid="map" />;
  let [minX, minY, maxX, maxY] = [180, 90, -180, -90];
  for (const [x, y] of pts) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  // Centre on the focus with the area's span (the map "centres" on a clicked camera).
  let cx = (minX + maxX) / 2;
  let cy = (minY + maxY) / 2;
  let span = Math.max(maxX - minX, (maxY - minY) * 1.4, 0.004) * 1.15;
  if (focusAt) {
    [cx, cy] = focusAt;
    span = Math.max(span * 0.6, 0.004);
  }
  const k = W / span;
  const ky = k * 1.15; // ~1/cos(30°): lon/lat to roughly square metres at this latitude
  const px = (p: [number, number]) => [W / 2 + (p[0] - cx) * k, H / 2 - (p[1] - cy) * ky] as const;
  const now = model.now();
  const incidents = [...model.items.values()].flatMap((it) =>
    it.kind === 'incident' && it.incident.location ? [it.incident] : [],
  );
  return (
    <div className="minimap" data-testid="map" data-focus={focus ? `${focus.kind}:${focus.id}` : ''}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('map.label')}>
        <rect width={W} height={H} fill="#eef3f7" />
        {[...model.cameras.values()].map((c) => {
          const [x, y] = px(c.location);
          const picked = focus?.kind === 'camera' && focus.id === c.id;
          const fov = c.fov ?? 90;
          const heading = c.heading ?? 0;
          const r = picked ? 70 : 0;
          const a0 = ((heading - fov / 2 - 90) * Math.PI) / 180;
          const a1 = ((heading + fov / 2 - 90) * Math.PI) / 180;
          return (
            <g key={c.id} data-testid={picked ? 'camera-fov' : undefined}>
              {picked && (
                <path
                  d={`M${x},${y} L${x + r * Math.cos(a0)},${y + r * Math.sin(a0)} A${r},${r} 0 ${fov > 180 ? 1 : 0} 1 ${x + r * Math.cos(a1)},${y + r * Math.sin(a1)} Z`}
                  fill="#1f6feb33"
                  stroke="#1f6feb"
                />
              )}
              <rect x={x - 4} y={y - 4} width={8} height={8} fill={c.online ? '#3b4a5a' : '#d1372f'} />
            </g>
          );
        })}
        {[...model.patrollers.values()].map((p) => {
          if (!p.location) return null;
          const [x, y] = px(p.location);
          return (
            <circle key={p.id} cx={x} cy={y} r={focus?.id === p.id ? 7 : 4.5} fill="#1f6feb" stroke="#fff" />
          );
        })}
        {incidents.map((i) => {
          const [x, y] = px(i.location!);
          const sla = slaState(i.dueAt, i.updatedAt, now);
          const fill = sla === 'overdue' ? '#d1372f' : sla === 'near' ? '#d99a06' : '#2e9d57';
          return (
            <circle
              key={i.id}
              cx={x}
              cy={y}
              r={focus?.id === i.id || model.selectedId === i.id ? 9 : 6}
              fill={fill}
              stroke="#fff"
              strokeWidth={1.5}
            />
          );
        })}
        {model.post?.location &&
          (() => {
            const [x, y] = px(model.post.location);
            return (
              <g>
                <polygon points={`${x},${y - 9} ${x + 8},${y + 6} ${x - 8},${y + 6}`} fill="#1c2430" />
                <text x={x + 11} y={y + 4} fontSize="13" fill="#1c2430">
                  {model.post.name}
                </text>
              </g>
            );
          })()}
      </svg>
      <p className="minimap-note">{t('map.sketch')}</p>
    </div>
  );
}

import type { Layer } from '@deck.gl/core';
import { TripsLayer } from '@deck.gl/geo-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { INCIDENT_LEVEL_COLORS } from '../../map/colors.ts';
import { useAppStore } from '../../store/index.ts';
import type { LiveController } from './live-controller.ts';
import { incidentAt, loadReplay, positionAt, type ReplayWindow, type Track } from './replay-data.ts';

export const SPEEDS = [1, 10, 60, 300, 600] as const;
const HOUR = 3_600_000;

const toLocalInput = (d: Date) => {
  // <input type="datetime-local"> in Asia/Shanghai (UTC+8, no daylight saving).
  const s = new Date(d.getTime() + 8 * HOUR).toISOString();
  return s.slice(0, 16);
};
const fromLocalInput = (v: string) => new Date(`${v}:00+08:00`);

/**
 * 回放 (loaded on demand, so the live map does not download TripsLayer): every patroller's and river chief's track over a past window, time-true together (deck.gl
 * TripsLayer, timestamps in seconds from the window start so float32 keeps them exact), incidents
 * appearing and changing colour when they did; play / pause / 1x-600x; follow one person.
 */
export default function ReplayPanel(props: {
  controller: LiveController;
  map: MapLibreMap | null;
  onClose(): void;
}) {
  const { t, i18n } = useTranslation('map');
  const followId = useAppStore((s) => s.followId);
  const follow = useAppStore((s) => s.follow);
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 24 * HOUR)));
  const [until, setUntil] = useState(() => toLocalInput(new Date()));
  const [data, setData] = useState<ReplayWindow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(60);
  const [time, setTime] = useState(0);
  const timeRef = useRef(0);
  const frame = useRef<number | undefined>(undefined);

  const start = data ? Date.parse(data.since) : 0;
  const end = data ? Date.parse(data.until) : 0;

  async function load() {
    setError(null);
    setPlaying(false);
    try {
      const w = await loadReplay(fromLocalInput(since), fromLocalInput(until));
      setData(w);
      // Start where the first track starts rather than at an empty window start.
      const first = Math.min(...w.tracks.map((tr) => tr.path[0]?.[2] ?? Number.POSITIVE_INFINITY));
      timeRef.current = Number.isFinite(first) ? first : Date.parse(w.since);
      setTime(timeRef.current);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  // Draw the replay layers for the current time.
  useEffect(() => {
    const c = props.controller;
    if (!data) {
      c.extraLayers = [];
      c.render();
      return;
    }
    const rel = (time - start) / 1000;
    const heads: Array<{ id: string; p: [number, number] }> = [];
    for (const tr of data.tracks) {
      const p = positionAt(tr.path, time);
      if (p) heads.push({ id: tr.personId, p });
    }
    const incidents = data.incidents
      .map((i) => ({ i, s: incidentAt(i, time) }))
      .filter(
        (x): x is { i: (typeof data.incidents)[number]; s: { state: string; level: string } } => x.s !== null,
      );
    const layers: Layer[] = [
      new TripsLayer<Track>({
        id: 'replay-trips',
        data: data.tracks,
        getPath: (d) => d.path.map(([x, y]) => [x, y] as [number, number]),
        getTimestamps: (d) => d.path.map((p) => (p[2] - start) / 1000),
        getColor: (d) => (d.roles.includes('river_chief') ? [14, 116, 144] : [37, 99, 235]),
        widthUnits: 'pixels',
        getWidth: 3,
        trailLength: 15 * 60,
        fadeTrail: true,
        currentTime: rel,
        updateTriggers: { getTimestamps: start },
      }),
      new ScatterplotLayer<(typeof heads)[number]>({
        id: 'replay-heads',
        data: heads,
        radiusUnits: 'pixels',
        getRadius: (h) => (h.id === followId ? 8 : 5),
        getPosition: (h) => h.p,
        getFillColor: (h) => (h.id === followId ? [220, 38, 38] : [30, 64, 175]),
        stroked: true,
        getLineColor: [255, 255, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        updateTriggers: { getRadius: followId, getFillColor: followId },
      }),
      new ScatterplotLayer<(typeof incidents)[number]>({
        id: 'replay-incidents',
        data: incidents,
        radiusUnits: 'pixels',
        getRadius: 7,
        getPosition: (x) => x.i.location,
        getFillColor: (x) =>
          ['open', 'acknowledged', 'dispatched'].includes(x.s.state)
            ? (INCIDENT_LEVEL_COLORS[x.s.level] ?? [245, 158, 11])
            : [156, 163, 175],
        updateTriggers: { getFillColor: time },
      }),
    ];
    c.extraLayers = layers;
    c.render();
    if (followId && props.map) {
      const h = heads.find((x) => x.id === followId);
      if (h) props.map.jumpTo({ center: h.p });
    }
  }, [data, time, start, followId, props.controller, props.map]);

  // The clock: advances `speed` x real time while playing.
  useEffect(() => {
    if (!playing || !data) return;
    let last = performance.now();
    const tick = (now: number) => {
      const dt = now - last;
      last = now;
      timeRef.current = Math.min(end, timeRef.current + dt * speed);
      setTime(timeRef.current);
      if (timeRef.current >= end) setPlaying(false);
      else frame.current = requestAnimationFrame(tick);
    };
    frame.current = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame.current!);
  }, [playing, speed, data, end]);

  // Leaving replay hands the overlay back to the live layers.
  useEffect(
    () => () => {
      props.controller.extraLayers = [];
      props.controller.render();
    },
    [props.controller],
  );

  return (
    <div
      className="replay"
      data-testid="replay"
      data-playing={playing}
      data-track-count={data?.tracks.length ?? 0}
    >
      <div className="replay-row">
        <strong>{t('replay.title')}</strong>
        <label>
          {t('replay.since')}
          <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label>
          {t('replay.until')}
          <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
        <button type="button" data-testid="replay-load" onClick={() => void load()}>
          {t('replay.load')}
        </button>
        <button
          type="button"
          data-testid="replay-toggle"
          onClick={() => {
            setPlaying(false);
            follow(null);
            props.onClose();
          }}
        >
          {t('replay.close')}
        </button>
      </div>
      {error && <p className="replay-error">{t('replay.error', { reason: error })}</p>}
      {data && (
        <div className="replay-row">
          <button type="button" data-testid="replay-play" onClick={() => setPlaying((p) => !p)}>
            {playing ? t('replay.pause') : t('replay.play')}
          </button>
          <select
            data-testid="replay-speed"
            value={speed}
            onChange={(e) => setSpeed(Number(e.target.value))}
            aria-label={t('replay.speed')}
          >
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {t('replay.speedX', { speed: s })}
              </option>
            ))}
          </select>
          <input
            type="range"
            className="replay-slider"
            data-testid="replay-slider"
            min={start}
            max={end}
            step={1000}
            value={time}
            onChange={(e) => {
              timeRef.current = Number(e.target.value);
              setTime(timeRef.current);
            }}
          />
          <span
            className="replay-time"
            data-testid="replay-time"
            data-time={new Date(time || start).toISOString()}
          >
            {formatDateTime(time || start, i18n.language)}
          </span>
          <select
            data-testid="replay-follow"
            value={followId ?? ''}
            onChange={(e) => follow(e.target.value || null)}
            aria-label={t('replay.follow')}
          >
            <option value="">{t('replay.followNobody')}</option>
            {data.tracks.map((tr) => (
              <option key={tr.personId} value={tr.personId}>
                {tr.name ?? tr.personId}
              </option>
            ))}
          </select>
          <span className="replay-count">
            {t('replay.count', { tracks: data.tracks.length, incidents: data.incidents.length })}
          </span>
        </div>
      )}
    </div>
  );
}

import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/index.ts';
import { freshnessOf } from '../../stream/freshness.ts';
import type { LiveData, PersonLive } from '../../stream/live-data.ts';
import { formatAge } from './age.ts';
import { useNow } from './use-now.ts';

const ROW_H = 44;
/** Up to this many rows are all rendered; above it only the visible window is (virtualised). */
export const VIRTUALISE_ABOVE = 200;

/** Patrollers and river chiefs with search, freshness and last-seen age; click to select/follow. */
export function PeopleList(props: { data: LiveData }) {
  const { t } = useTranslation(['map', 'common']);
  // The list follows the live data at most once a second: flushes come up to 10 times a second and
  // a list of thousands need not re-render that often (ages tick every 5 s anyway).
  const version = useThrottled(
    useAppStore((s) => s.liveVersion),
    1000,
  );
  const select = useAppStore((s) => s.select);
  const selection = useAppStore((s) => s.selection);
  const now = useNow(5000);
  const [query, setQuery] = useState('');
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says the live maps changed.
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const out: PersonLive[] = [];
    for (const p of props.data.people.values()) {
      if (p.roles && !/patroller|river_chief/.test(p.roles)) continue;
      if (q && !p.id.toLowerCase().includes(q) && !(p.name ?? '').toLowerCase().includes(q)) continue;
      out.push(p);
    }
    // A stable order (by id): rows change in place instead of jumping when someone checks in.
    out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return out;
  }, [props.data, version, query]);

  const virtual = rows.length > VIRTUALISE_ABOVE;
  const height = box.current?.clientHeight ?? 600;
  const first = virtual ? Math.max(0, Math.floor(scrollTop / ROW_H) - 10) : 0;
  const last = virtual ? Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_H) + 10) : rows.length;

  return (
    <section className="people">
      <div className="people-head">
        <strong>{t('people.title', { count: rows.length })}</strong>
        <input
          type="search"
          className="people-search"
          data-testid="people-search"
          placeholder={t('people.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className="people-list" ref={box} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: virtual ? rows.length * ROW_H : undefined, position: 'relative' }}>
          {rows.slice(first, last).map((p, i) => {
            const grade = Number.isFinite(p.atMs) ? freshnessOf(now - p.atMs, p.online) : 'lost';
            return (
              <button
                type="button"
                key={p.id}
                data-testid="patroller-row"
                data-person-id={p.id}
                data-last-seen={p.at}
                data-freshness={grade}
                className={`person-row${selection?.kind === 'person' && selection.id === p.id ? ' selected' : ''}`}
                style={
                  virtual ? { position: 'absolute', top: (first + i) * ROW_H, left: 0, right: 0 } : undefined
                }
                onClick={() => select({ kind: 'person', id: p.id })}
              >
                <span className={`fresh-dot fresh-${grade}`} title={t(`freshness.${grade}`)} />
                <span className="person-name">{p.name ?? p.id}</span>
                <span className="person-role">
                  {p.roles
                    .split(',')
                    .filter(Boolean)
                    .map((r) => t(`roles.${r}`))
                    .join(' · ')}
                </span>
                <span className="person-age">{formatAge(t, p.atMs, now)}</span>
              </button>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** `value`, but changing at most once per `ms` (the last value always lands). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      setShown(value);
      return;
    }
    const t = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

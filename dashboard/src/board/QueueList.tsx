import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoardModel } from './board-model.ts';
import { useModel, useTick } from './hooks.ts';
import { displayTitle, formatCountdown, type QueueItem, type SeverityTab, slaState } from './queue.ts';

const ROW_H = 68;
const OVERSCAN = 6;

/** The queue: severity tabs, the "N new" pill, and a windowed list (only visible rows exist). */
export function QueueList(props: {
  model: BoardModel;
  locationName: (item: QueueItem) => string;
  flash: boolean;
}) {
  const { model } = props;
  const { t } = useTranslation('board');
  useModel(model);
  const ids = model.visibleIds();
  const counts = model.counts();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Keep the keyboard cursor in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const top = model.cursor * ROW_H;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_H - el.clientHeight;
  }, [model.cursor, model]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(ids.length, Math.ceil((scrollTop + height) / ROW_H) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const id = ids[i]!;
    const item = model.items.get(id);
    if (!item) continue;
    rows.push(
      <QueueRow
        key={id}
        item={item}
        top={i * ROW_H}
        focused={i === model.cursor}
        selected={id === model.selectedId}
        location={props.locationName(item)}
        now={model}
        onOpen={() => {
          model.setCursor(i);
          model.select(id);
        }}
      />,
    );
  }
  const pending = model.pending.size;
  const pendingHigh = model.pendingHigh();
  const tabs: SeverityTab[] = ['all', 'high', 'medium', 'low'];
  return (
    <section className="queue" aria-label={t('queue.title')}>
      <div className="queue-tabs" role="tablist">
        {tabs.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            data-testid={`queue-tab-${tab}`}
            aria-selected={model.tab === tab}
            className={`queue-tab sev-${tab}${model.tab === tab ? ' active' : ''}`}
            onClick={() => model.setTab(tab)}
          >
            {t(`severity.${tab}`)} <span className="count">{counts[tab]}</span>
          </button>
        ))}
      </div>
      {pending > 0 && (
        <button
          type="button"
          data-testid="queue-new-pill"
          className={`queue-pill${pendingHigh ? ' high' : ''}${props.flash ? ' flash' : ''}`}
          onClick={() => {
            model.applyPending();
            if (scroller.current) scroller.current.scrollTop = 0;
          }}
        >
          {pendingHigh
            ? t('queue.newHigh', { count: pending, high: pendingHigh })
            : t('queue.new', { count: pending })}
        </button>
      )}
      <div
        className="queue-scroll"
        ref={scroller}
        data-testid="queue"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        {ids.length === 0 ? (
          <p className="queue-empty">{t('queue.empty')}</p>
        ) : (
          <div className="queue-inner" style={{ height: ids.length * ROW_H }}>
            {rows}
          </div>
        )}
      </div>
    </section>
  );
}

const QueueRow = memo(function QueueRow(props: {
  item: QueueItem;
  top: number;
  focused: boolean;
  selected: boolean;
  location: string;
  now: BoardModel;
  onOpen: () => void;
}) {
  const { t } = useTranslation('board');
  const { item } = props;
  const cls = `queue-row${props.focused ? ' focused' : ''}${props.selected ? ' selected' : ''}`;
  if (item.kind === 'alert') {
    const a = item.alert;
    return (
      <div
        className={`${cls} alert`}
        data-testid="alert-row"
        data-alert-id={a.id}
        style={{ transform: `translateY(${props.top}px)` }}
        onClick={props.onOpen}
        onKeyDown={(e) => {
          if (e.key === ' ') props.onOpen();
        }}
        role="option"
        aria-selected={props.selected}
        tabIndex={-1}
      >
        <span className="sev sev-low">{t('source.camera_alert')}</span>
        <div className="row-main">
          <div className="row-title">{t(`label.${a.label}`, { defaultValue: a.label })}</div>
          <div className="row-meta">
            {props.location}
            {a.score !== null ? ` · ${Math.round(a.score * 100)}%` : ''}
          </div>
        </div>
        <span className="row-side muted">{t('queue.noIncident')}</span>
      </div>
    );
  }
  const i = item.incident;
  return (
    <div
      className={`${cls}${item.pending ? ' pending' : ''}`}
      data-testid="incident-row"
      data-incident-id={i.id}
      data-state={i.state}
      data-level={i.level}
      data-severity={i.severity}
      style={{ transform: `translateY(${props.top}px)` }}
      onClick={props.onOpen}
      onKeyDown={(e) => {
        if (e.key === ' ') props.onOpen();
      }}
      role="option"
      aria-selected={props.selected}
      tabIndex={-1}
    >
      <span className={`sev sev-${i.severity}`}>{t(`severity.${i.severity}`)}</span>
      <div className="row-main">
        <div className="row-title">
          {displayTitle(i, (c) => t(`label.${c}`, { defaultValue: c }))}
          {(i.escalations ?? 0) > 0 && (
            <span className="escalated" data-testid="row-escalated">
              {t('queue.escalated', { count: i.escalations })}
            </span>
          )}
        </div>
        <div className="row-meta">
          <span className={`level level-${i.level}`}>{t(`level.${i.level}`)}</span>
          <span>{t(`source.${i.source.kind}`)}</span>
          <span className="loc">{props.location}</span>
          <span className={`state state-${i.state}`}>{t(`state.${i.state}`)}</span>
          {(i.handoverNoteIds?.length ?? 0) > 0 && (
            <span className="handover-mark">{t('handover.mark')}</span>
          )}
        </div>
      </div>
      <Countdown dueAt={i.dueAt ?? null} since={i.updatedAt} model={props.now} />
    </div>
  );
});

/** Live SLA countdown coloured within / near / overdue (its own 1 s tick). */
export function Countdown(props: { dueAt: string | null; since: string; model: BoardModel }) {
  const { t } = useTranslation('board');
  useTick();
  const now = props.model.now();
  const sla = slaState(props.dueAt, props.since, now);
  if (!props.dueAt)
    return (
      <span className="countdown sla-none" data-testid="countdown" data-sla="none">
        {t('sla.none')}
      </span>
    );
  const left = Date.parse(props.dueAt) - now;
  return (
    <span className={`countdown sla-${sla}`} data-testid="countdown" data-sla={sla} title={t(`sla.${sla}`)}>
      {sla === 'overdue' ? t('sla.overdueBy', { time: formatCountdown(-left) }) : formatCountdown(left)}
    </span>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { formatDateTime } from '../i18n/index.ts';
import { fetchIncident, type IncidentEvent, postTransition, type TransitionBody } from './board-api.ts';
import type { BoardModel } from './board-model.ts';
import { useModel } from './hooks.ts';
import { Countdown } from './QueueList.tsx';
import { actionsFor, type BoardIncident, displayTitle, distanceM, optimisticState } from './queue.ts';

type Form = null | 'dispatch' | 'escalate' | 'resolve' | 'verify';

/** Imperative handle the page's keyboard shortcuts use. */
export interface PanelKeys {
  acknowledge(): void;
  openEscalate(): void;
}

/**
 * The selected incident: details, the work-order actions, and its history. Actions update the row
 * at once (optimistic) and are reconciled with the API's answer and the stream; a refusal shows the
 * API's reason and puts the row back.
 */
export function IncidentPanel(props: {
  model: BoardModel;
  personName: (id: string | null | undefined) => string;
  locationName: (i: BoardIncident) => string;
  keys: React.MutableRefObject<PanelKeys | null>;
}) {
  const { model } = props;
  const { t } = useTranslation('board');
  useModel(model);
  const id = model.selectedId;
  const item = id ? model.items.get(id) : undefined;
  const incident = item?.kind === 'incident' ? item.incident : undefined;
  const [events, setEvents] = useState<IncidentEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(null);
  const [text, setText] = useState('');
  const [callback, setCallback] = useState<'satisfied' | 'unsatisfied' | 'unreachable'>('satisfied');
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  // History follows every change of the incident (stream or own action).
  const updatedAt = incident?.updatedAt;
  useEffect(() => {
    if (!id || !updatedAt) return;
    let alive = true;
    fetchIncident(id)
      .then((d) => {
        if (alive) setEvents(d.events);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [id, updatedAt]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the panel's forms reset when another incident opens
  useEffect(() => {
    setError(null);
    setForm(null);
    setText('');
    setEvents([]);
  }, [id]);

  useEffect(() => {
    if (form === 'escalate' || form === 'resolve') reasonRef.current?.focus();
  }, [form]);

  const run = useCallback(
    async (body: TransitionBody) => {
      if (!incident) return;
      const before = {
        state: incident.state,
        level: incident.level,
        assigneeId: incident.assigneeId ?? null,
      };
      setBusy(true);
      setError(null);
      model.setOptimistic(
        incident.id,
        optimisticState(incident, body.action, {
          ...(body.action === 'verify' ? { callback: body.callback.result } : {}),
          ...(body.action === 'dispatch' ? { assigneeId: body.assigneeId } : {}),
        }),
        body.action,
      );
      try {
        const answer = await postTransition(incident.id, body);
        model.setOptimistic(incident.id, {}, undefined);
        model.upsertIncident(answer);
        setForm(null);
        setText('');
      } catch (err) {
        model.setOptimistic(incident.id, before, undefined);
        const reason = err instanceof ApiError ? err.reason : (err as Error).message;
        const status = err instanceof ApiError ? err.status : 0;
        setError(t('panel.refused', { status, reason }));
      } finally {
        setBusy(false);
      }
    },
    [incident, model, t],
  );

  props.keys.current = incident
    ? {
        acknowledge: () => void run({ action: 'acknowledge' }),
        openEscalate: () => setForm('escalate'),
      }
    : null;

  if (!incident) {
    return (
      <section className="panel panel-empty">
        <p>{item?.kind === 'alert' ? t('panel.alertOnly') : t('panel.pick')}</p>
        <p className="muted">{t('panel.keysHint')}</p>
      </section>
    );
  }

  const expected = new Set(actionsFor(incident.state, incident.level));
  const btn = (action: string, testid: string, onClick: () => void) => (
    <button
      type="button"
      data-testid={testid}
      className={`action${expected.has(action) ? ' expected' : ''}`}
      disabled={busy}
      title={expected.has(action) ? undefined : t('panel.notExpected')}
      onClick={onClick}
    >
      {t(`action.${action}`)}
    </button>
  );

  const patrollers = [...model.patrollers.values()]
    .map((p) => ({
      ...p,
      distance: p.location && incident.location ? distanceM(p.location, incident.location) : null,
    }))
    // Those covering the incident's grid first (the API dispatches only to them), then by distance.
    .sort(
      (a, b) =>
        Number(b.gridId === incident.gridId) - Number(a.gridId === incident.gridId) ||
        (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY),
    );

  return (
    <section
      className="panel"
      data-testid="incident-panel"
      data-incident-id={incident.id}
      data-state={incident.state}
    >
      <header className="panel-head">
        <span className={`sev sev-${incident.severity}`}>{t(`severity.${incident.severity}`)}</span>
        <h2>{displayTitle(incident, (c) => t(`label.${c}`, { defaultValue: c }))}</h2>
        <button
          type="button"
          className="close-x"
          aria-label={t('panel.close')}
          onClick={() => model.select(null)}
        >
          ×
        </button>
      </header>
      <dl className="panel-facts">
        <dt>{t('panel.state')}</dt>
        <dd data-testid="panel-state">{t(`state.${incident.state}`)}</dd>
        <dt>{t('panel.level')}</dt>
        <dd data-testid="panel-level">{t(`level.${incident.level}`)}</dd>
        <dt>{t('panel.sla')}</dt>
        <dd>
          <Countdown dueAt={incident.dueAt ?? null} since={incident.updatedAt} model={model} />
        </dd>
        <dt>{t('panel.source')}</dt>
        <dd>{t(`source.${incident.source.kind}`)}</dd>
        <dt>{t('panel.location')}</dt>
        <dd>{props.locationName(incident)}</dd>
        <dt>{t('panel.assignee')}</dt>
        <dd>{incident.assigneeId ? props.personName(incident.assigneeId) : '—'}</dd>
        <dt>{t('panel.created')}</dt>
        <dd>{formatDateTime(incident.createdAt)}</dd>
        {incident.callbackResult && (
          <>
            <dt>{t('panel.callback')}</dt>
            <dd>{t(`callback.${incident.callbackResult}`)}</dd>
          </>
        )}
      </dl>
      {incident.note && <p className="panel-note">{noteText(incident, t)}</p>}

      <div className="actions">
        {btn('acknowledge', 'incident-ack', () => void run({ action: 'acknowledge' }))}
        {btn('dispatch', 'incident-dispatch', () => setForm(form === 'dispatch' ? null : 'dispatch'))}
        {btn('escalate', 'incident-escalate', () => setForm(form === 'escalate' ? null : 'escalate'))}
        {btn('resolve', 'incident-resolve', () => setForm(form === 'resolve' ? null : 'resolve'))}
        {btn('verify', 'incident-verify', () => setForm(form === 'verify' ? null : 'verify'))}
        {btn('close', 'incident-close', () => void run({ action: 'close' }))}
      </div>
      {item?.kind === 'incident' && item.pending && <p className="muted">{t('panel.sending')}</p>}
      {error && (
        <p className="panel-error" role="alert" data-testid="incident-error">
          {error}
        </p>
      )}

      {form === 'dispatch' && (
        <div className="form" data-testid="dispatch-form">
          <h3>{t('dispatch.title')}</h3>
          {patrollers.length === 0 && <p className="muted">{t('dispatch.none')}</p>}
          <ul className="pick-list">
            {patrollers.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  data-testid="dispatch-pick"
                  data-person-id={p.id}
                  disabled={busy}
                  onClick={() => void run({ action: 'dispatch', assigneeId: p.id })}
                >
                  <strong>{p.name}</strong>
                  <span>
                    {p.distance === null
                      ? t('dispatch.noPosition')
                      : t('dispatch.distance', { m: Math.round(p.distance) })}
                  </span>
                  <span className="muted">
                    {p.gridId !== incident.gridId ? t('dispatch.otherGrid') : ''}
                    {p.patrolId ? ` ${t('patrollers.onPatrol')}` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {(form === 'escalate' || form === 'resolve') && (
        <form
          className="form"
          data-testid={`${form}-form`}
          onSubmit={(e) => {
            e.preventDefault();
            const note = text.trim();
            if (form === 'escalate') {
              if (!note) {
                setError(t('escalate.reasonRequired'));
                return;
              }
              void run({ action: 'escalate', note });
            } else void run({ action: 'resolve', ...(note ? { note } : {}) });
          }}
        >
          <label>
            <span>{form === 'escalate' ? t('escalate.reason') : t('resolve.note')}</span>
            <textarea
              ref={reasonRef}
              data-testid={`${form}-note`}
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={3}
            />
          </label>
          <button type="submit" data-testid={`${form}-submit`} disabled={busy}>
            {form === 'escalate' ? t('escalate.submit') : t('resolve.submit')}
          </button>
        </form>
      )}
      {form === 'verify' && (
        <form
          className="form"
          data-testid="verify-form"
          onSubmit={(e) => {
            e.preventDefault();
            const note = text.trim();
            void run({ action: 'verify', callback: { result: callback, ...(note ? { note } : {}) } });
          }}
        >
          <label>
            <span>{t('verify.result')}</span>
            <select
              data-testid="verify-result"
              value={callback}
              onChange={(e) => setCallback(e.target.value as typeof callback)}
            >
              {(['satisfied', 'unsatisfied', 'unreachable'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`callback.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('verify.note')}</span>
            <textarea
              data-testid="verify-note"
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={2}
            />
          </label>
          <button type="submit" data-testid="verify-submit" disabled={busy}>
            {t('verify.submit')}
          </button>
        </form>
      )}

      <h3>{t('history.title')}</h3>
      <ol className="history" data-testid="incident-history">
        {events.map((e) => (
          <li key={e.id} data-testid="history-row" data-action={e.action}>
            <time>{formatDateTime(e.at)}</time>
            <strong>{t(`historyAction.${e.action}`, { defaultValue: e.action })}</strong>
            <span>
              {e.fromState && e.toState && e.fromState !== e.toState
                ? `${t(`state.${e.fromState}`)} → ${t(`state.${e.toState}`)}`
                : e.toState
                  ? t(`state.${e.toState}`)
                  : ''}
              {e.fromLevel && e.toLevel && e.fromLevel !== e.toLevel
                ? ` · ${t(`level.${e.fromLevel}`)} → ${t(`level.${e.toLevel}`)}`
                : ''}
            </span>
            <span className="actor">
              {e.actor.startsWith('system') || e.actor === 'ingest'
                ? t('history.system')
                : props.personName(e.actor)}
            </span>
            {e.note && <q>{eventNote(e, t)}</q>}
          </li>
        ))}
      </ol>
    </section>
  );
}

type T = (key: string, opts?: Record<string, unknown>) => string;

/** Ingest describes camera incidents in English for logs; the desk shows it in the UI language. */
function noteText(i: BoardIncident, t: T): string {
  const m = /^camera \S+ detected (\S+) \(score ([\d.]+)\)/.exec(i.note ?? '');
  if (!m) return i.note ?? '';
  return t('panel.cameraNote', {
    label: t(`label.${m[1]}`, { defaultValue: m[1] }),
    score: Math.round(Number(m[2]) * 100),
  });
}

/** The SLA timer's notes are for logs; officers get them in their language. */
function eventNote(e: IncidentEvent, t: T): string {
  if (e.actor.startsWith('system') && e.action === 'escalate') return t('history.autoEscalate');
  if (e.action === 'sla_breach') return t('history.breach');
  return e.note ?? '';
}

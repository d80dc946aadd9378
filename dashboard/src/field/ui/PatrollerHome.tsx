import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, itemsOf } from '../../api/client.ts';
import { type PhotoDraft, queueCheckin, queueIncident, queueTransition } from '../actions.ts';
import { currentFix, FixError, trackLengthM } from '../geo.ts';
import { newClientId, type Outbox } from '../outbox/index.ts';
import { formatDuration, useActivePatrol, useVisibleInterval, useWakeLock } from '../patrol.ts';
import { IncidentPhotos } from './IncidentPhotos.tsx';
import { PhotoPicker } from './PhotoPicker.tsx';
import type { FieldPrincipal } from './types.ts';

/** Minutes between automatic check-ins during a grid patrol (while the page is visible). */
export const GRID_CHECKIN_MIN = 5;

const CATEGORIES = [
  'safety_hazard',
  'dispute',
  'noise',
  'illegal_parking',
  'facility_damage',
  'fire',
  'other',
];
const OPEN_STATES = 'open,acknowledged,dispatched';

interface IncidentLite {
  id: string;
  category: string;
  title: string;
  state: string;
  level: string;
  severity: string;
  note?: string | null;
  assigneeId?: string | null;
  segmentId?: string | null;
  createdAt: string;
}

/** The grid patroller's screen: check in, grid patrol, report, my grid's work. */
export function PatrollerHome(props: { me: FieldPrincipal; outbox: Outbox; notify: (m: string) => void }) {
  const { t } = useTranslation('field');
  const { me, outbox, notify } = props;
  const [busy, setBusy] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [patrol, setPatrol] = useActivePatrol(me.id);
  const gridPatrol = patrol?.kind === 'grid' ? patrol : null;
  const awake = useWakeLock(!!gridPatrol);
  const [now, setNow] = useState(Date.now());
  useVisibleInterval(!!gridPatrol, 1000, () => setNow(Date.now()));

  const fixOrSay = useCallback(async () => {
    try {
      return await currentFix();
    } catch (err) {
      notify(t(err instanceof FixError ? err.message : 'geo.unavailable'));
      return null;
    }
  }, [notify, t]);

  async function checkIn() {
    setBusy(true);
    try {
      const fix = await fixOrSay();
      if (!fix) return;
      await queueCheckin(outbox, me.id, fix, gridPatrol ? { patrolId: gridPatrol.patrolId } : {});
      if (gridPatrol) setPatrol({ ...gridPatrol, points: [...gridPatrol.points, fix.location] });
      notify(t('checkin.done', { accuracy: Math.round(fix.accuracy) }));
    } finally {
      setBusy(false);
    }
  }

  async function startPatrol() {
    const fix = await fixOrSay();
    if (!fix) return;
    const patrolId = newClientId('gp');
    await queueCheckin(outbox, me.id, fix, { kind: 'start', patrolId });
    setPatrol({ kind: 'grid', patrolId, personId: me.id, startedAt: fix.at, points: [fix.location] });
  }

  async function endPatrol() {
    if (!gridPatrol) return;
    const fix = await fixOrSay();
    if (!fix) return;
    await queueCheckin(outbox, me.id, fix, { kind: 'end', patrolId: gridPatrol.patrolId });
    const km = (trackLengthM([...gridPatrol.points, fix.location]) / 1000).toFixed(2);
    notify(t('patrol.ended', { duration: formatDuration(fix.at - gridPatrol.startedAt), km }));
    setPatrol(null);
  }

  // Periodic check-ins while patrolling and visible.
  useVisibleInterval(!!gridPatrol, GRID_CHECKIN_MIN * 60_000, () => {
    void currentFix()
      .then(async (fix) => {
        if (!gridPatrol) return;
        await queueCheckin(outbox, me.id, fix, { patrolId: gridPatrol.patrolId });
        setPatrol({ ...gridPatrol, points: [...gridPatrol.points, fix.location] });
      })
      .catch(() => {});
  });

  return (
    <>
      <section className="fa-card fa-center">
        <button
          type="button"
          data-testid="checkin-button"
          className="fa-big"
          disabled={busy}
          onClick={() => void checkIn()}
        >
          {busy ? t('checkin.locating') : t('checkin.button')}
        </button>
        <p className="fa-muted fa-small">{t('checkin.hint')}</p>
      </section>

      <section className="fa-card">
        <h2>{t('patrol.gridTitle')}</h2>
        {gridPatrol ? (
          <>
            <p className="fa-stat">
              {t('patrol.running', { duration: formatDuration(now - gridPatrol.startedAt) })}
            </p>
            <p className="fa-muted fa-small">
              {t('patrol.backgroundNote', { min: GRID_CHECKIN_MIN })} {awake ? t('patrol.awake') : ''}
            </p>
            <button
              type="button"
              data-testid="patrol-end"
              className="fa-wide bad"
              onClick={() => void endPatrol()}
            >
              {t('patrol.end')}
            </button>
          </>
        ) : (
          <button
            type="button"
            data-testid="patrol-start"
            className="fa-wide"
            onClick={() => void startPatrol()}
          >
            {t('patrol.startGrid')}
          </button>
        )}
      </section>

      <section className="fa-card fa-center">
        <button
          type="button"
          data-testid="report-button"
          className="fa-wide warn"
          onClick={() => setReporting(true)}
        >
          {t('report.button')}
        </button>
      </section>
      {reporting && (
        <ReportSheet
          onCancel={() => setReporting(false)}
          onSubmit={async (r) => {
            const fix = await fixOrSay();
            if (!fix) return;
            await queueIncident(outbox, me.id, { ...r, title: t(`category.${r.category}`), fix });
            setReporting(false);
            notify(t('report.queued'));
          }}
        />
      )}
      <MyGrid me={me} outbox={outbox} notify={notify} />
    </>
  );
}

function ReportSheet(props: {
  onCancel: () => void;
  onSubmit: (r: { category: string; severity: string; note: string; photos: PhotoDraft[] }) => Promise<void>;
}) {
  const { t } = useTranslation('field');
  const [category, setCategory] = useState('safety_hazard');
  const [severity, setSeverity] = useState('medium');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<PhotoDraft[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="fa-card fa-form"
      data-testid="report-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await props.onSubmit({ category, severity, note: note.trim(), photos });
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{t('report.title')}</h2>
      <label>
        {t('report.category')}
        <select data-testid="report-category" value={category} onChange={(e) => setCategory(e.target.value)}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="fa-segmented">
        <legend>{t('report.severity')}</legend>
        {['low', 'medium', 'high'].map((s) => (
          <label key={s} className={severity === s ? 'on' : ''}>
            <input
              type="radio"
              name="severity"
              value={s}
              checked={severity === s}
              onChange={() => setSeverity(s)}
            />
            {t(`severity.${s}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('report.note')}
        <textarea
          data-testid="report-note"
          rows={3}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <PhotoPicker photos={photos} onChange={setPhotos} />
      <div className="fa-actions">
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" data-testid="report-submit" className="primary" disabled={busy}>
          {busy ? t('checkin.locating') : t('report.submit')}
        </button>
      </div>
    </form>
  );
}

/** Open incidents of my grid, my assigned work orders first; resolve mine with a note and photo. */
function MyGrid(props: { me: FieldPrincipal; outbox: Outbox; notify: (m: string) => void }) {
  const { t } = useTranslation('field');
  const { me } = props;
  const [items, setItems] = useState<IncidentLite[] | null>(null);
  const [error, setError] = useState(false);
  const [resolving, setResolving] = useState<string | null>(null);
  const [done, setDone] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (!me.gridId) return;
    let alive = true;
    const load = () =>
      api<{ items: IncidentLite[] }>('incidents', {
        query: { gridId: me.gridId, state: OPEN_STATES, limit: 50 },
      })
        .then((b) => {
          if (!alive) return;
          setItems(itemsOf(b));
          setError(false);
        })
        .catch(() => alive && setError(true));
    void load();
    const timer = setInterval(() => document.visibilityState === 'visible' && void load(), 60_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [me.gridId]);

  // Work dispatched to me may lie outside my grid: ask for it separately (the list filters by area).
  const [mine, setMine] = useState<IncidentLite[]>([]);
  useEffect(() => {
    api<{ items: IncidentLite[] }>('incidents', { query: { state: 'dispatched,acknowledged', limit: 100 } })
      .then((b) => setMine(itemsOf(b).filter((i) => i.assigneeId === me.id)))
      .catch(() => {});
  }, [me.id]);

  const assigned = mine.filter((i) => !done.has(i.id));
  const others = (items ?? []).filter((i) => i.assigneeId !== me.id && !done.has(i.id));
  return (
    <section className="fa-card">
      <h2>{t('grid.title', { grid: me.gridId ?? '—' })}</h2>
      {error && <p className="fa-muted">{t('grid.offline')}</p>}
      <h3>{t('grid.mine')}</h3>
      {assigned.length === 0 && <p className="fa-muted">{t('grid.none')}</p>}
      <ul className="fa-list">
        {assigned.map((i) => (
          <li key={i.id} data-testid="work-order-row" data-incident-id={i.id}>
            <IncidentLine i={i} />
            {resolving === i.id ? (
              <ResolveSheet
                onCancel={() => setResolving(null)}
                onSubmit={async (note, photos) => {
                  await queueTransition(props.outbox, me.id, i.id, {
                    steps: [{ action: 'resolve', ...(note ? { note } : {}) }],
                    photos,
                    purpose: 'resolve',
                  });
                  setDone(new Set([...done, i.id]));
                  setResolving(null);
                  props.notify(t('grid.resolvedQueued'));
                }}
              />
            ) : (
              <button type="button" data-testid="incident-resolve" onClick={() => setResolving(i.id)}>
                {t('grid.resolve')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h3>{t('grid.open')}</h3>
      {items !== null && others.length === 0 && <p className="fa-muted">{t('grid.none')}</p>}
      <ul className="fa-list">
        {others.map((i) => (
          <li key={i.id} data-testid="grid-incident-row" data-incident-id={i.id}>
            <IncidentLine i={i} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function IncidentLine({ i }: { i: IncidentLite }) {
  const { t } = useTranslation('field');
  // Reports made without a title carry their category code as the title: show it in words.
  const title =
    i.title === i.category
      ? t(`category.${i.category}`, { defaultValue: t(`issue.${i.category}`, { defaultValue: i.category }) })
      : i.title;
  return (
    <div className="fa-incident">
      <span className={`fa-dot ${i.severity}`} />
      <strong>{title}</strong>
      <span className="fa-muted fa-small">
        {' '}
        {t(`state.${i.state}`)} · {t(`level.${i.level}`)}
      </span>
      {i.note && <div className="fa-small">{i.note}</div>}
      <IncidentPhotos incidentId={i.id} />
    </div>
  );
}

export function ResolveSheet(props: {
  onCancel: () => void;
  onSubmit: (note: string, photos: PhotoDraft[]) => Promise<void>;
  requirePhoto?: boolean;
  submitLabel?: string;
}) {
  const { t } = useTranslation('field');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<PhotoDraft[]>([]);
  const [busy, setBusy] = useState(false);
  const missing = props.requirePhoto && photos.length === 0;
  return (
    <form
      className="fa-form fa-inline"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await props.onSubmit(note.trim(), photos);
        } finally {
          setBusy(false);
        }
      }}
    >
      <textarea
        data-testid="resolve-note"
        rows={2}
        placeholder={t('grid.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <PhotoPicker photos={photos} onChange={setPhotos} max={2} />
      {missing && <p className="fa-muted fa-small">{t('river.afterPhotoNeeded')}</p>}
      <div className="fa-actions">
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" data-testid="resolve-submit" className="primary" disabled={busy || missing}>
          {props.submitLabel ?? t('grid.resolve')}
        </button>
      </div>
    </form>
  );
}

export type { IncidentLite };

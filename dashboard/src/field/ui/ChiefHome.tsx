import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, itemsOf } from '../../api/client.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { type PhotoDraft, queueRiverReport, queueTransition } from '../actions.ts';
import { currentFix, type Fix, FixError, trackLengthM } from '../geo.ts';
import { newClientId, type Outbox } from '../outbox/index.ts';
import { formatDuration, useActivePatrol, useVisibleInterval, useWakeLock } from '../patrol.ts';
import { IncidentLine, type IncidentLite, ResolveSheet } from './PatrollerHome.tsx';
import { PhotoPicker } from './PhotoPicker.tsx';
import type { FieldPrincipal } from './types.ts';

/** Seconds between track points during a river patrol (while the page is visible). */
export const TRACK_SEC = 30;
const ISSUES = ['garbage', 'net_cage', 'stake', 'pollution', 'illegal_building', 'other'];

interface SegmentStatus {
  id: string;
  name: string;
  level: string;
  lengthM: number;
  lastPatrolAt: string | null;
  coveragePct: number | null;
  dueAt: string | null;
  status: 'ok' | 'due' | 'overdue' | 'no_rule';
  openIssues: number;
}

/** The compliance status as the segment-row hook names it: done | due | overdue | never. */
export function rowStatus(
  s: Pick<SegmentStatus, 'status' | 'lastPatrolAt'>,
): 'done' | 'due' | 'overdue' | 'never' {
  if (!s.lastPatrolAt) return 'never';
  if (s.status === 'overdue') return 'overdue';
  if (s.status === 'due') return 'due';
  return 'done';
}

interface PatrolResult {
  patrolId: string;
  segmentId: string;
  startedAt: number;
  endedAt: number;
  distanceM: number;
}

/** The river chief's screen: my segments, river patrol with its end screen, issues. */
export function ChiefHome(props: {
  me: FieldPrincipal;
  outbox: Outbox;
  pending: number;
  notify: (m: string) => void;
}) {
  const { t } = useTranslation('field');
  const { me, outbox, notify } = props;
  const [segments, setSegments] = useState<SegmentStatus[] | null>(null);
  const [issues, setIssues] = useState<IncidentLite[]>([]);
  const [offline, setOffline] = useState(false);
  const [patrol, setPatrol] = useActivePatrol(me.id);
  const river = patrol?.kind === 'river' ? patrol : null;
  const awake = useWakeLock(!!river);
  const [now, setNow] = useState(Date.now());
  const [result, setResult] = useState<PatrolResult | null>(null);
  const [reportOn, setReportOn] = useState<string | null>(null);
  const [closing, setClosing] = useState<string | null>(null);
  const [closed, setClosed] = useState<Set<string>>(new Set());

  const load = useCallback(async () => {
    try {
      const [segs, inc] = await Promise.all([
        api<{ items: SegmentStatus[] }>('compliance/segments', { query: { chiefId: me.id } }),
        api<{ items: IncidentLite[] }>('incidents', {
          query: { state: 'open,acknowledged,dispatched,resolved,verified', limit: 200 },
        }),
      ]);
      setSegments(segs.items);
      setIssues(itemsOf(inc).filter((i) => me.segmentIds.includes(i.segmentId ?? '')));
      setOffline(false);
    } catch {
      setOffline(true);
    }
  }, [me.id, me.segmentIds]);

  // Reload when the outbox empties (what was sent is now in the statuses) and every 20 s.
  useEffect(() => {
    if (props.pending === 0) void load();
  }, [props.pending, load]);
  useVisibleInterval(true, 20_000, () => void load());
  useVisibleInterval(!!river, 1000, () => setNow(Date.now()));

  const fixOrSay = useCallback(async (): Promise<Fix | null> => {
    try {
      return await currentFix();
    } catch (err) {
      notify(t(err instanceof FixError ? err.message : 'geo.unavailable'));
      return null;
    }
  }, [notify, t]);

  async function start(segmentId: string) {
    const fix = await fixOrSay();
    if (!fix) return;
    const patrolId = newClientId('rp');
    await queueRiverReport(outbox, me.id, segmentId, { type: 'patrol_start', patrolId, fix, at: fix.at });
    setResult(null);
    setPatrol({
      kind: 'river',
      patrolId,
      personId: me.id,
      segmentId,
      startedAt: fix.at,
      points: [fix.location],
    });
  }

  // The track: one point every TRACK_SEC while visible.
  useVisibleInterval(!!river, TRACK_SEC * 1000, () => {
    if (!river?.segmentId) return;
    void currentFix()
      .then(async (fix) => {
        await queueRiverReport(outbox, me.id, river.segmentId!, {
          type: 'track',
          patrolId: river.patrolId,
          fix,
          at: fix.at,
        });
        setPatrol({ ...river, points: [...river.points, fix.location] });
      })
      .catch(() => {});
  });

  async function end() {
    if (!river?.segmentId) return;
    const fix = await fixOrSay();
    const at = fix?.at ?? Date.now();
    await queueRiverReport(outbox, me.id, river.segmentId, {
      type: 'patrol_end',
      patrolId: river.patrolId,
      fix,
      at,
    });
    const points = fix ? [...river.points, fix.location] : river.points;
    setResult({
      patrolId: river.patrolId,
      segmentId: river.segmentId,
      startedAt: river.startedAt,
      endedAt: at,
      distanceM: trackLengthM(points),
    });
    setPatrol(null);
  }

  const segName = (id: string | undefined) => segments?.find((s) => s.id === id)?.name ?? id ?? '';

  return (
    <>
      {river && (
        <section className="fa-card fa-patrol" data-testid="river-patrol">
          <h2>{t('river.patrolling', { segment: segName(river.segmentId) })}</h2>
          <div className="fa-stats">
            <div>
              <span className="fa-stat">{formatDuration(now - river.startedAt)}</span>
              <span className="fa-muted fa-small">{t('river.duration')}</span>
            </div>
            <div>
              <span className="fa-stat">{(trackLengthM(river.points) / 1000).toFixed(2)} km</span>
              <span className="fa-muted fa-small">{t('river.distance')}</span>
            </div>
            <div>
              <span className="fa-stat">{river.points.length}</span>
              <span className="fa-muted fa-small">{t('river.points')}</span>
            </div>
          </div>
          <p className="fa-muted fa-small">
            {t('river.backgroundNote', { sec: TRACK_SEC })} {awake ? t('patrol.awake') : ''}
          </p>
          <div className="fa-actions">
            <button type="button" className="warn" onClick={() => setReportOn(river.segmentId ?? null)}>
              {t('river.reportIssue')}
            </button>
            <button type="button" data-testid="patrol-end" className="bad" onClick={() => void end()}>
              {t('river.end')}
            </button>
          </div>
        </section>
      )}
      {result && (
        <EndScreen
          result={result}
          me={me}
          pending={props.pending}
          segment={segName(result.segmentId)}
          onClose={() => setResult(null)}
        />
      )}
      {reportOn && (
        <IssueSheet
          segment={segName(reportOn)}
          onCancel={() => setReportOn(null)}
          onSubmit={async (r) => {
            const fix = await fixOrSay();
            await queueRiverReport(outbox, me.id, reportOn, {
              type: 'issue',
              ...r,
              fix,
              at: fix?.at ?? Date.now(),
              ...(river ? { patrolId: river.patrolId } : {}),
            });
            setReportOn(null);
            notify(t('report.queued'));
          }}
        />
      )}

      <section className="fa-card">
        <h2>{t('river.mySegments')}</h2>
        {offline && <p className="fa-muted">{t('grid.offline')}</p>}
        {segments?.length === 0 && <p className="fa-muted">{t('river.noSegments')}</p>}
        <ul className="fa-list">
          {segments?.map((s) => {
            const st = rowStatus(s);
            return (
              <li
                key={s.id}
                data-testid="segment-row"
                data-segment-id={s.id}
                data-status={st}
                className={`fa-seg ${st}`}
              >
                <div className="fa-row-head">
                  <strong>{s.name}</strong>
                  <span className={`fa-pill ${st}`}>{t(`river.status.${st}`)}</span>
                </div>
                <div className="fa-small fa-muted">
                  {t('river.length', { km: (s.lengthM / 1000).toFixed(1) })} ·{' '}
                  {s.lastPatrolAt
                    ? t('river.last', { at: formatDateTime(s.lastPatrolAt), pct: s.coveragePct ?? 0 })
                    : t('river.neverPatrolled')}
                </div>
                <div className="fa-small fa-muted">
                  {s.dueAt ? t('river.due', { at: formatDateTime(s.dueAt) }) : t('river.dueNow')} ·{' '}
                  {t('river.openIssues', { count: s.openIssues })}
                </div>
                {!river && (
                  <div className="fa-actions">
                    <button
                      type="button"
                      data-testid="patrol-start"
                      className="primary"
                      onClick={() => void start(s.id)}
                    >
                      {t('river.start')}
                    </button>
                    <button type="button" data-testid="issue-button" onClick={() => setReportOn(s.id)}>
                      {t('river.reportIssue')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      <section className="fa-card">
        <h2>{t('river.issues')}</h2>
        {issues.filter((i) => !closed.has(i.id)).length === 0 && <p className="fa-muted">{t('grid.none')}</p>}
        <ul className="fa-list">
          {issues
            .filter((i) => !closed.has(i.id))
            .map((i) => (
              <li key={i.id} data-testid="issue-row" data-incident-id={i.id} data-state={i.state}>
                <IncidentLine i={i} />
                {closing === i.id ? (
                  <ResolveSheet
                    requirePhoto
                    submitLabel={t('river.close')}
                    onCancel={() => setClosing(null)}
                    onSubmit={async (note, photos) => {
                      await queueTransition(outbox, me.id, i.id, {
                        steps: closeSteps(i.state, note, t('river.verifyNote')),
                        photos,
                        purpose: 'after',
                      });
                      setClosed(new Set([...closed, i.id]));
                      setClosing(null);
                      notify(t('river.closeQueued'));
                    }}
                  />
                ) : (
                  <button type="button" data-testid="issue-close" onClick={() => setClosing(i.id)}>
                    {t('river.closeWithPhoto')}
                  </button>
                )}
              </li>
            ))}
        </ul>
      </section>
    </>
  );
}

/**
 * The chief settles an issue on their own segment: acknowledge (if new), resolve with the note,
 * verify by their own on-site check (the "after" photo is the evidence; no resident call-back for
 * a river), close.
 */
function closeSteps(state: string, note: string, verifyNote: string) {
  const steps: Array<{ action: string } & Record<string, unknown>> = [];
  if (state === 'open') steps.push({ action: 'acknowledge' });
  if (['open', 'acknowledged', 'dispatched'].includes(state))
    steps.push({ action: 'resolve', ...(note ? { note } : {}) });
  if (state !== 'verified')
    steps.push({ action: 'verify', callback: { result: 'satisfied', note: verifyNote } });
  steps.push({ action: 'close' });
  return steps;
}

interface AssessedPatrol {
  id: string;
  coveragePct: number | null;
  valid: boolean | null;
  flags: string[];
  distanceM: number;
  durationS: number;
}

/** After a river patrol: duration and distance at once; coverage and validity once the server has it. */
function EndScreen(props: {
  result: PatrolResult;
  me: FieldPrincipal;
  pending: number;
  segment: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('field');
  const { result } = props;
  const [assessed, setAssessed] = useState<AssessedPatrol | null>(null);
  const load = useCallback(async () => {
    try {
      const b = await api<{ items: AssessedPatrol[] }>('compliance/patrols', {
        query: { personId: props.me.id, segmentId: result.segmentId },
      });
      const p = b.items.find((x) => x.id === result.patrolId);
      if (p && p.valid !== null) setAssessed(p);
    } catch {
      // Offline: the local numbers stand until the upload.
    }
  }, [props.me.id, result]);
  useEffect(() => {
    if (props.pending === 0) void load();
  }, [props.pending, load]);
  useVisibleInterval(!assessed, 5000, () => props.pending === 0 && void load());
  return (
    <section
      className="fa-card fa-end"
      data-testid="patrol-summary"
      data-valid={assessed ? String(assessed.valid) : 'pending'}
    >
      <h2>{t('river.endTitle', { segment: props.segment })}</h2>
      <div className="fa-stats">
        <div>
          <span className="fa-stat">{formatDuration(result.endedAt - result.startedAt)}</span>
          <span className="fa-muted fa-small">{t('river.duration')}</span>
        </div>
        <div>
          <span className="fa-stat">{(result.distanceM / 1000).toFixed(2)} km</span>
          <span className="fa-muted fa-small">{t('river.distance')}</span>
        </div>
        <div>
          <span className="fa-stat">{assessed?.coveragePct != null ? `${assessed.coveragePct}%` : '…'}</span>
          <span className="fa-muted fa-small">{t('river.coverage')}</span>
        </div>
      </div>
      <p className={`fa-verdict ${assessed ? (assessed.valid ? 'ok' : 'bad') : ''}`}>
        {assessed
          ? assessed.valid
            ? t('river.valid')
            : t('river.invalid', { flags: assessed.flags.map((f) => t(`flag.${f}`)).join('、') })
          : props.pending > 0
            ? t('river.waitingUpload', { count: props.pending })
            : t('river.assessing')}
      </p>
      <button type="button" className="fa-wide" onClick={props.onClose}>
        {t('ok')}
      </button>
    </section>
  );
}

function IssueSheet(props: {
  segment: string;
  onCancel: () => void;
  onSubmit: (r: { issue: string; count?: number; note?: string; photos: PhotoDraft[] }) => Promise<void>;
}) {
  const { t } = useTranslation('field');
  const [issue, setIssue] = useState('garbage');
  const [count, setCount] = useState('');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<PhotoDraft[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="fa-card fa-form"
      data-testid="issue-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          const n = Number.parseInt(count, 10);
          await props.onSubmit({
            issue,
            ...(Number.isFinite(n) && n >= 0 ? { count: n } : {}),
            ...(note.trim() ? { note: note.trim() } : {}),
            photos,
          });
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{t('river.issueTitle', { segment: props.segment })}</h2>
      <div className="fa-chips">
        {ISSUES.map((k) => (
          <label key={k} className={issue === k ? 'on' : ''}>
            <input type="radio" name="issue" value={k} checked={issue === k} onChange={() => setIssue(k)} />
            {t(`issue.${k}`)}
          </label>
        ))}
      </div>
      <label>
        {t('river.count')}
        <input
          data-testid="issue-count"
          inputMode="numeric"
          pattern="[0-9]*"
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
      </label>
      <label>
        {t('report.note')}
        <textarea
          data-testid="issue-note"
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
        <button type="submit" data-testid="issue-submit" className="primary" disabled={busy}>
          {t('report.submit')}
        </button>
      </div>
    </form>
  );
}

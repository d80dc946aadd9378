import './board.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { me } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { navigate } from '../app/router.ts';
import type { PageProps } from '../app/routes.tsx';
import { Shell } from '../app/Shell.tsx';
import { useAppStore } from '../store/index.ts';
import { installAudioUnlock, playChime } from './alert-sound.ts';
import { BoardMap, type MapFocus } from './BoardMap.tsx';
import {
  type ComplianceAlert,
  fetchBoard,
  fetchComplianceAlerts,
  fetchPosts,
  type PostRef,
} from './board-api.ts';
import { BoardModel } from './board-model.ts';
import { HandoverPanel } from './HandoverPanel.tsx';
import { useModel, useStoredFlag } from './hooks.ts';
import { IncidentPanel, type PanelKeys } from './IncidentPanel.tsx';
import { connectLive, type LiveState } from './live.ts';
import { QueueList } from './QueueList.tsx';
import type { BoardIncident, QueueItem } from './queue.ts';
import { CamerasPanel, PatrollersPanel, SideTabs } from './SidePanels.tsx';
import { isWallMode, useNewVersion, useWakeLock } from './wall.ts';

/** `/board` (the signed-in officer's post) and `/board/<postId>` (admins): the duty desk. */
export default function BoardPage(props: PageProps) {
  const principal = useAppStore((s) => s.principal);
  const [postId, setPostId] = useState<string | null | undefined>(
    props.params.postId ?? (principal?.policePostId as string | undefined),
  );
  useEffect(() => {
    if (props.params.postId) {
      setPostId(props.params.postId);
      return;
    }
    if (principal?.policePostId) return setPostId(principal.policePostId as string);
    // The login answer may not carry the post; /api/auth/me does.
    me()
      .then((p) => setPostId((p?.policePostId as string | undefined) ?? null))
      .catch(() => setPostId(null));
  }, [props.params.postId, principal]);
  const wall = isWallMode();
  if (postId === undefined) return <Frame wall={wall}>{null}</Frame>;
  if (postId === null)
    return (
      <Frame wall={wall}>
        <PostPicker />
      </Frame>
    );
  return <Desk key={postId} postId={postId} wall={wall} />;
}

function Frame(props: { wall: boolean; header?: React.ReactNode; children: React.ReactNode }) {
  if (props.wall)
    return (
      <div className="wall">
        <header className="wall-header">{props.header}</header>
        <main className="shell-main">{props.children}</main>
      </div>
    );
  return (
    <Shell current="board" header={props.header}>
      {props.children}
    </Shell>
  );
}

/** An admin without a post in the URL picks one. */
function PostPicker() {
  const { t } = useTranslation('board');
  const [posts, setPosts] = useState<PostRef[] | null>(null);
  useEffect(() => {
    fetchPosts()
      .then(setPosts)
      .catch(() => setPosts([]));
  }, []);
  return (
    <div className="post-picker">
      <h1>{t('pickPost')}</h1>
      <ul>
        {(posts ?? []).map((p) => (
          <li key={p.id}>
            <a
              href={`/board/${p.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/board/${encodeURIComponent(p.id)}`);
              }}
            >
              {p.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

const HANDOVER_SEEN = 'wardmap.handoverSeen';

function Desk(props: { postId: string; wall: boolean }) {
  const { t } = useTranslation(['board', 'common']);
  const principal = useAppStore((s) => s.principal);
  const model = useMemo(() => new BoardModel(), []);
  model.autoApply = props.wall;
  useModel(model);
  const [live, setLive] = useState<LiveState>('connecting');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [muted, setMuted] = useStoredFlag('wardmap.board.muted', false);
  const [flash, setFlash] = useState(false);
  const [help, setHelp] = useState(false);
  const [focus, setFocus] = useState<MapFocus>(null);
  const [compliance, setCompliance] = useState<ComplianceAlert[]>([]);
  const [handoverSeen, setHandoverSeen] = useState<string>(
    () => localStorage.getItem(`${HANDOVER_SEEN}.${props.postId}`) ?? '',
  );
  const panelKeys = useRef<PanelKeys | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;
  const wakeLock = useWakeLock(props.wall);
  // `?map=0`: no map beside the desk (a low-power wall PC without a GPU; the bench's no-map run).
  const showMap = new URLSearchParams(location.search).get('map') !== '0';
  const newVersion = useNewVersion();

  const reload = useCallback(async () => {
    try {
      model.loadSnapshot(await fetchBoard(props.postId));
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof ApiError ? `${err.status} ${err.reason}` : (err as Error).message);
    }
  }, [model, props.postId]);

  useEffect(() => {
    const offAudio = installAudioUnlock();
    let flashTimer: ReturnType<typeof setTimeout> | undefined;
    let soon: ReturnType<typeof setTimeout> | undefined;
    model.onArrival = (a) => {
      if (a.severity !== 'high') return;
      if (!mutedRef.current) playChime();
      setFlash(true);
      if (flashTimer) clearTimeout(flashTimer);
      flashTimer = setTimeout(() => setFlash(false), 6000);
    };
    const src = connectLive({
      onState: setLive,
      onResync: () => void reload(),
      onEvent: (type, data) => {
        const e = data as Record<string, unknown>;
        if (type === 'incident') model.upsertIncident(e.incident as BoardIncident, { fromStream: true });
        else if (type === 'alert')
          model.upsertAlert({
            id: e.alertId as string,
            cameraId: e.cameraId as string,
            label: e.label as string,
            score: (e.score as number | null) ?? null,
            state: e.state as 'new',
            at: e.at as string,
            incidentId: (e.incidentId as string | null) ?? null,
            policePostId: (e.policePostId as string | null) ?? null,
            communityId: (e.communityId as string | null) ?? null,
          });
        else if (type === 'camera_status')
          model.cameraStatus(e.cameraId as string, e.online as boolean, e.at as string);
        else if (type === 'position') {
          const pe = e as {
            personId: string;
            at: string;
            location: [number, number];
            battery?: number | null;
          };
          // Someone who just came on duty: the snapshot knows whether they belong to this post's area.
          if (!model.patrollers.has(pe.personId) && !soon)
            soon = setTimeout(() => {
              soon = undefined;
              void reload();
            }, 3000);
          model.position(pe);
        }
      },
    });
    // Who is on duty changes slowly; a quiet refresh keeps the lists honest without moving the queue.
    const refresh = setInterval(() => void reload(), 120_000);
    const loadCompliance = () =>
      fetchComplianceAlerts()
        .then(setCompliance)
        .catch(() => undefined);
    void loadCompliance();
    const comp = setInterval(loadCompliance, 60_000);
    (window as unknown as { __wardmapBoard?: BoardModel }).__wardmapBoard = model;
    return () => {
      src.stop();
      offAudio();
      clearInterval(refresh);
      clearInterval(comp);
      if (flashTimer) clearTimeout(flashTimer);
      if (soon) clearTimeout(soon);
      model.onArrival = null;
    };
  }, [model, reload]);

  // Keyboard for the desk: move, open, acknowledge, escalate, take in new items, help.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey)
        return;
      const ids = model.visibleIds();
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          model.moveCursor(1);
          break;
        case 'k':
        case 'ArrowUp':
          model.moveCursor(-1);
          break;
        case 'Enter':
        case 'o': {
          const id = ids[model.cursor];
          if (id) model.select(id);
          break;
        }
        case 'Escape':
          if (help) setHelp(false);
          else model.select(null);
          break;
        case 'a':
          // Only the incident that is open in the panel can be acknowledged: no blind acks.
          if (model.selectedId && model.selectedId === ids[model.cursor]) panelKeys.current?.acknowledge();
          break;
        case 'e':
          if (model.selectedId) panelKeys.current?.openEscalate();
          break;
        case 'n':
          model.applyPending();
          break;
        case 'm':
          setMuted(!mutedRef.current);
          break;
        case '?':
          setHelp((h) => !h);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [model, help, setMuted]);

  const selected = model.selectedId;
  useEffect(() => {
    if (selected) setFocus({ kind: 'incident', id: selected });
  }, [selected]);

  const cameraName = (id: string | null | undefined) => (id ? (model.cameras.get(id)?.name ?? id) : '');
  const locationOfIncident = (i: BoardIncident) =>
    i.cameraId ? cameraName(i.cameraId) : (i.gridId ?? i.segmentId ?? i.communityId ?? '—');
  const locationName = (item: QueueItem) =>
    item.kind === 'alert' ? cameraName(item.alert.cameraId) : locationOfIncident(item.incident);
  const personName = (id: string | null | undefined) =>
    id ? (model.patrollers.get(id)?.name ?? (id === principal?.id ? (principal.name ?? id) : id)) : '';

  const latestOther = model.handover.find((n) => n.authorId !== principal?.id);
  const showHandoverBanner = !!latestOther && latestOther.at > handoverSeen;
  const dismissHandover = () => {
    const at = model.handover[0]?.at ?? new Date().toISOString();
    localStorage.setItem(`${HANDOVER_SEEN}.${props.postId}`, at);
    setHandoverSeen(at);
  };

  const header = (
    <div className="board-header">
      <strong className="board-post">{model.post?.name ?? props.postId}</strong>
      <span className="live-status" data-testid="live-status" data-state={live}>
        <span className={`dot ${live === 'live' ? 'ok' : live === 'connecting' ? 'warn' : 'bad'}`} />
        {t(`live.${live}`)}
      </span>
      <button
        type="button"
        data-testid="mute-toggle"
        aria-pressed={muted}
        onClick={() => setMuted(!muted)}
        title={t('sound.title')}
      >
        {muted ? t('sound.off') : t('sound.on')}
      </button>
      <button type="button" data-testid="help-toggle" onClick={() => setHelp(true)}>
        {t('help.button')}
      </button>
      {!props.wall && (
        <a className="wall-link" href={`${location.pathname}?wall=1`}>
          {t('wall.open')}
        </a>
      )}
      {props.wall && <span className="muted">{wakeLock ? t('wall.awake') : t('wall.noWakeLock')}</span>}
    </div>
  );

  return (
    <Frame wall={props.wall} header={header}>
      <div className={`board${flash ? ' flash' : ''}${props.wall ? ' board-wall' : ''}`} data-testid="board">
        {newVersion && (
          <div className="banner" data-testid="new-version">
            {t('wall.newVersion')}{' '}
            <button type="button" onClick={() => location.reload()}>
              {t('wall.reload')}
            </button>
          </div>
        )}
        {loadError && (
          <div className="banner bad" role="alert">
            {t('loadError', { reason: loadError })}
          </div>
        )}
        {showHandoverBanner && latestOther && (
          <div className="banner handover-banner" data-testid="handover-banner">
            <strong>
              {t('handover.bannerTitle', { name: latestOther.authorName ?? latestOther.authorId })}
            </strong>{' '}
            <span>{latestOther.note}</span>{' '}
            <button type="button" onClick={dismissHandover}>
              {t('handover.seen')}
            </button>
          </div>
        )}
        <QueueList model={model} locationName={locationName} flash={flash} />
        <IncidentPanel
          model={model}
          personName={personName}
          locationName={locationOfIncident}
          keys={panelKeys}
        />
        <div className={`board-right${showMap ? '' : ' no-map'}`}>
          {showMap && <BoardMap model={model} focus={focus} />}
          <SideTabs
            tabs={[
              {
                id: 'cameras',
                label: t('cameras.title'),
                body: (
                  <CamerasPanel
                    model={model}
                    picked={focus?.kind === 'camera' ? focus.id : null}
                    onPick={(id) => setFocus({ kind: 'camera', id })}
                  />
                ),
              },
              {
                id: 'patrollers',
                label: t('patrollers.title'),
                body: (
                  <PatrollersPanel
                    model={model}
                    alerts={compliance}
                    onPick={(id) => setFocus({ kind: 'person', id })}
                  />
                ),
              },
              {
                id: 'handover',
                label: t('handover.title'),
                body: (
                  <HandoverPanel model={model} me={principal?.id ?? ''} onWritten={() => void reload()} />
                ),
              },
            ]}
          />
        </div>
        {help && <HelpOverlay onClose={() => setHelp(false)} />}
      </div>
    </Frame>
  );
}

const SHORTCUTS: Array<[string, string]> = [
  ['j / ↓', 'down'],
  ['k / ↑', 'up'],
  ['Enter / o', 'open'],
  ['a', 'ack'],
  ['e', 'escalate'],
  ['n', 'takeNew'],
  ['m', 'mute'],
  ['Esc', 'closePanel'],
  ['?', 'help'],
];

function HelpOverlay(props: { onClose: () => void }) {
  const { t } = useTranslation('board');
  return (
    <div
      className="overlay"
      data-testid="help-overlay"
      role="dialog"
      aria-modal="true"
      aria-label={t('help.title')}
    >
      <div className="overlay-card">
        <h2>{t('help.title')}</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{t(`help.${what}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={props.onClose}>
          {t('help.close')}
        </button>
      </div>
    </div>
  );
}

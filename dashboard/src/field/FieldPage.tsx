import './field.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { logout } from '../api/auth.ts';
import { api } from '../api/client.ts';
import { LangToggle } from '../app/LangToggle.tsx';
import type { PageProps } from '../app/routes.tsx';
import { useAppStore } from '../store/index.ts';
import type { Outbox } from './outbox/index.ts';
import { useUpdatePrompt } from './pwa.ts';
import { fieldOutbox, useOutboxSnapshot } from './runtime.ts';
import { ChiefHome } from './ui/ChiefHome.tsx';
import { OutboxBadge, OutboxBanners, OutboxList, useOnline } from './ui/OutboxPanel.tsx';
import { PatrollerHome } from './ui/PatrollerHome.tsx';
import type { FieldPrincipal } from './ui/types.ts';

/** `/field`: the phone app for grid patrollers and river chiefs (no map code: see README, bundle budget). */
export default function FieldPage(_props: PageProps) {
  const { t } = useTranslation('field');
  const principal = useAppStore((s) => s.principal);
  const setPrincipal = useAppStore((s) => s.setPrincipal);
  const [me, setMe] = useState<FieldPrincipal | null>(null);
  const [outbox, setOutbox] = useState<Outbox | null>(null);
  const [view, setView] = useState<'home' | 'outbox'>('home');
  const [tab, setTab] = useState<'patroller' | 'chief'>('patroller');
  const [toast, setToast] = useState<string | null>(null);
  const toastTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const snap = useOutboxSnapshot(outbox);
  const online = useOnline();
  const update = useUpdatePrompt();

  // When the service worker first takes over, read "who am I" again so its offline copy exists.
  useEffect(() => {
    const sw = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
    const warm = () => void api('auth/me').catch(() => {});
    sw?.addEventListener('controllerchange', warm);
    return () => sw?.removeEventListener('controllerchange', warm);
  }, []);

  // The full principal (grid, segments); the service worker answers it from cache when offline.
  useEffect(() => {
    let alive = true;
    api<FieldPrincipal>('auth/me')
      .then((p) => alive && setMe({ ...p, segmentIds: p.segmentIds ?? [], gridId: p.gridId ?? null }))
      .catch(() => {
        if (alive && principal)
          setMe({
            id: principal.id,
            name: principal.name ?? principal.id,
            roles: principal.roles,
            gridId: null,
            segmentIds: [],
          });
      });
    return () => {
      alive = false;
    };
  }, [principal]);

  useEffect(() => {
    if (!me) return;
    let alive = true;
    void fieldOutbox(me.id).then((o) => {
      if (!alive) return;
      o.resume();
      o.start();
      setOutbox(o);
    });
    return () => {
      alive = false;
    };
  }, [me]);
  useEffect(() => {
    if (me && !me.roles.includes('patroller') && (me.roles.includes('river_chief') || me.segmentIds.length))
      setTab('chief');
  }, [me]);

  const notify = useCallback((m: string) => {
    setToast(m);
    clearTimeout(toastTimer.current);
    toastTimer.current = setTimeout(() => setToast(null), 4000);
  }, []);

  if (!me || !outbox) return <div className="fa-app fa-loading">{t('loading')}</div>;
  const isPatroller = me.roles.includes('patroller') || me.roles.includes('admin');
  const isChief = me.roles.includes('river_chief') || me.segmentIds.length > 0 || me.roles.includes('admin');
  return (
    <div className="fa-app">
      <header className="fa-header">
        <div className="fa-who">
          <strong>{t('title')}</strong>
          <span className="fa-muted fa-small">{me.name}</span>
        </div>
        <OutboxBadge snap={snap} onOpen={() => setView(view === 'outbox' ? 'home' : 'outbox')} />
        <LangToggle />
      </header>
      <OutboxBanners snap={snap} outbox={outbox} online={online} />
      {update.available && (
        <div className="fa-banner info">
          {t('update.available')}{' '}
          <button type="button" onClick={update.apply}>
            {t('update.reload')}
          </button>
        </div>
      )}
      {toast && (
        <div className="fa-toast" role="status">
          {toast}
        </div>
      )}
      {isPatroller && isChief && view === 'home' && (
        <nav className="fa-tabs">
          <button
            type="button"
            className={tab === 'patroller' ? 'on' : ''}
            onClick={() => setTab('patroller')}
          >
            {t('tabs.patroller')}
          </button>
          <button type="button" className={tab === 'chief' ? 'on' : ''} onClick={() => setTab('chief')}>
            {t('tabs.chief')}
          </button>
        </nav>
      )}
      <main className="fa-main">
        {view === 'outbox' ? (
          <OutboxList snap={snap} outbox={outbox} onClose={() => setView('home')} />
        ) : !isPatroller && !isChief ? (
          <p className="fa-card">{t('noRole')}</p>
        ) : isChief && (!isPatroller || tab === 'chief') ? (
          <ChiefHome me={me} outbox={outbox} pending={snap.count} notify={notify} />
        ) : (
          <PatrollerHome me={me} outbox={outbox} notify={notify} />
        )}
      </main>
      <footer className="fa-footer">
        <button
          type="button"
          className="fa-link"
          onClick={async () => {
            if (snap.count > 0 && !window.confirm(t('signOutPending', { count: snap.count }))) return;
            outbox.stop();
            await forgetPersonalCache();
            await logout();
            setPrincipal(null);
          }}
        >
          {t('signOut')}
        </button>
      </footer>
    </div>
  );
}

/** Signing out on a shared phone leaves none of the person's API answers in the offline cache. */
async function forgetPersonalCache(): Promise<void> {
  try {
    await caches.delete('wardmap-field-api');
  } catch {
    // No Cache API (insecure context): nothing was cached.
  }
}

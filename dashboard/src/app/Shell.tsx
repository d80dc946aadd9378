import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { logout } from '../api/auth.ts';
import { useAppStore } from '../store/index.ts';
import { LangToggle } from './LangToggle.tsx';
import { navigate, type RouteName } from './router.ts';

const NAV: Array<{ name: RouteName; path: string }> = [
  { name: 'map', path: '/' },
  { name: 'board', path: '/board' },
  { name: 'overview', path: '/overview' },
];

/** Desktop chrome: title, page links, extra header content (e.g. live status), person, language. */
export function Shell(props: { current: RouteName; header?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation('common');
  const principal = useAppStore((s) => s.principal);
  const setPrincipal = useAppStore((s) => s.setPrincipal);
  return (
    <div className="shell">
      <header className="shell-header">
        <strong className="shell-title">{t('app.title')}</strong>
        <nav className="shell-nav">
          {NAV.map((n) => (
            <a
              key={n.name}
              href={n.path}
              className={n.name === props.current ? 'active' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(n.path);
              }}
            >
              {t(`nav.${n.name}`)}
            </a>
          ))}
        </nav>
        <div className="shell-extra">{props.header}</div>
        <span className="shell-person">
          {principal ? t('session.signedInAs', { name: principal.name ?? principal.id }) : ''}
        </span>
        <LangToggle />
        <button
          type="button"
          className="shell-logout"
          onClick={async () => {
            await logout();
            setPrincipal(null);
          }}
        >
          {t('session.logout')}
        </button>
      </header>
      <main className="shell-main">{props.children}</main>
    </div>
  );
}

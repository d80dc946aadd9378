import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { me } from '../api/auth.ts';
import { onUnauthorized, setToken } from '../api/client.ts';
import { useAppStore } from '../store/index.ts';
import { matchRoute, usePath } from './router.ts';
import { pages } from './routes.tsx';
import { SignIn } from './SignIn.tsx';

/** Checks the session, shows the sign-in form when there is none, else the page for the URL. */
export function App() {
  const { t } = useTranslation('common');
  const principal = useAppStore((s) => s.principal);
  const setPrincipal = useAppStore((s) => s.setPrincipal);
  const route = matchRoute(usePath());

  useEffect(() => {
    let alive = true;
    me()
      .then((p) => {
        if (alive) setPrincipal(p);
      })
      .catch(() => {
        // The API is unreachable: show the sign-in form; signing in retries.
        if (alive) setPrincipal(null);
      });
    const off = onUnauthorized(() => {
      setToken(null);
      setPrincipal(null);
    });
    return () => {
      alive = false;
      off();
    };
  }, [setPrincipal]);

  if (principal === undefined) return <div className="app-loading">{t('app.loading')}</div>;
  if (principal === null) return <SignIn remember={route.name === 'field'} />;
  if (route.name === 'notFound') return <div className="app-notfound">{t('notFound')}</div>;
  const Page = pages[route.name];
  return (
    <Suspense fallback={<div className="app-loading">{t('app.loading')}</div>}>
      <Page params={route.params} />
    </Suspense>
  );
}

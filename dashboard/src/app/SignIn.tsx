import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { login } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { useAppStore } from '../store/index.ts';
import { LangToggle } from './LangToggle.tsx';

/** The sign-in form every page shows when `/api/auth/me` is 401. */
export function SignIn(props: { remember?: boolean }) {
  const { t } = useTranslation('common');
  const setPrincipal = useAppStore((s) => s.setPrincipal);
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setPrincipal(await login(id.trim(), password, props.remember));
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? t('login.failed')
          : t('login.error', { reason: (err as Error).message }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form className="signin-form" onSubmit={submit}>
        <div className="signin-head">
          <h1>{t('app.title')}</h1>
          <LangToggle />
        </div>
        <h2>{t('login.title')}</h2>
        <label>
          <span>{t('login.id')}</span>
          <input
            data-testid="login-id"
            name="id"
            autoComplete="username"
            value={id}
            onChange={(e) => setId(e.target.value)}
            required
          />
        </label>
        <label>
          <span>{t('login.password')}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="signin-error" role="alert">
            {error}
          </p>
        )}
        <button data-testid="login-submit" type="submit" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}

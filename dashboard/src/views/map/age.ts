import type { TFunction } from 'i18next';

/** "3 min ago" style age through the common namespace's `age.*` keys. */
export function formatAge(t: TFunction, atMs: number, now: number): string {
  if (!Number.isFinite(atMs)) return t('common:age.never');
  const s = Math.max(0, Math.round((now - atMs) / 1000));
  if (s < 10) return t('common:age.justNow');
  if (s < 60) return t('common:age.seconds', { count: s });
  if (s < 3600) return t('common:age.minutes', { count: Math.floor(s / 60) });
  if (s < 86400) return t('common:age.hours', { count: Math.floor(s / 3600) });
  return t('common:age.days', { count: Math.floor(s / 86400) });
}

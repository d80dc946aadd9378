import { useTranslation } from 'react-i18next';
import { otherLanguage, setLanguage } from '../i18n/index.ts';

/** One button switching zh-CN <-> en; its label names the other language. */
export function LangToggle() {
  const { t, i18n } = useTranslation('common');
  return (
    <button
      type="button"
      className="lang-toggle"
      data-testid="lang-toggle"
      title={t('lang.toggleTitle')}
      onClick={() => void setLanguage(otherLanguage(i18n.language))}
    >
      {t('lang.toggle')}
    </button>
  );
}

import { useTranslation } from 'react-i18next';
import type { PageProps } from '../app/routes.tsx';
import { Shell } from '../app/Shell.tsx';

/** `/board` and `/board/<postId>`: the duty desk (helper DESK owns this folder). */
export default function BoardPage(props: PageProps) {
  const { t } = useTranslation(['board', 'common']);
  return (
    <Shell current="board">
      <div className="placeholder">
        <h1>{t('board:title')}</h1>
        <p>
          {t('common:placeholder')} {props.params.postId ?? ''}
        </p>
      </div>
    </Shell>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { formatDateTime } from '../i18n/index.ts';
import { postHandover } from './board-api.ts';
import type { BoardModel } from './board-model.ts';
import { useModel } from './hooks.ts';
import { displayTitle } from './queue.ts';

/**
 * Shift handover (交接班): what is open and what the outgoing officer wrote about it. The same
 * markup prints (print CSS hides everything else), so the paper copy equals the screen.
 */
export function HandoverPanel(props: { model: BoardModel; onWritten: () => void; me: string }) {
  const { model } = props;
  const { t } = useTranslation('board');
  useModel(model);
  const [note, setNote] = useState('');
  const [ids, setIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = [...model.items.values()].flatMap((it) => (it.kind === 'incident' ? [it.incident] : []));
  const titleOf = (id: string) => {
    const it = model.items.get(id);
    return it?.kind === 'incident'
      ? displayTitle(it.incident, (c) => t(`label.${c}`, { defaultValue: c }))
      : id;
  };
  const post = model.post;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!post || !note.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await postHandover(post.id, note.trim(), ids);
      setNote('');
      setIds([]);
      props.onWritten();
    } catch (err) {
      setError(err instanceof ApiError ? err.reason : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="handover side-list">
      <div className="handover-print" data-testid="handover-print">
        <h2 className="print-only">
          {t('handover.printTitle', { post: post?.name ?? '' })} · {formatDateTime(model.now())}
        </h2>
        <h3>{t('handover.openTitle', { count: open.length })}</h3>
        <ul className="handover-open">
          {open.slice(0, 200).map((i) => (
            <li key={i.id}>
              <span className={`sev sev-${i.severity}`}>{t(`severity.${i.severity}`)}</span>{' '}
              {displayTitle(i, (c) => t(`label.${c}`, { defaultValue: c }))} · {t(`level.${i.level}`)} ·{' '}
              {t(`state.${i.state}`)}
            </li>
          ))}
        </ul>
        <h3>{t('handover.notesTitle')}</h3>
        {model.handover.length === 0 && <p className="muted">{t('handover.noNotes')}</p>}
        <ol className="handover-notes">
          {model.handover.map((n) => (
            <li key={n.id} data-testid="handover-note" data-author-id={n.authorId}>
              <header>
                <strong>{n.authorName ?? n.authorId}</strong> <time>{formatDateTime(n.at)}</time>
              </header>
              <p>{n.note}</p>
              {n.incidentIds.length > 0 && (
                <p className="muted">
                  {t('handover.about')} {n.incidentIds.map(titleOf).join('、')}
                </p>
              )}
            </li>
          ))}
        </ol>
      </div>
      <form className="form no-print" onSubmit={submit}>
        <label>
          <span>{t('handover.write')}</span>
          <textarea
            data-testid="handover-input"
            value={note}
            rows={3}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('handover.placeholder')}
          />
        </label>
        {open.length > 0 && (
          <fieldset className="handover-pick">
            <legend>{t('handover.tie')}</legend>
            {open.slice(0, 30).map((i) => (
              <label key={i.id}>
                <input
                  type="checkbox"
                  checked={ids.includes(i.id)}
                  onChange={(e) => setIds(e.target.checked ? [...ids, i.id] : ids.filter((x) => x !== i.id))}
                />
                {displayTitle(i, (c) => t(`label.${c}`, { defaultValue: c }))}
              </label>
            ))}
          </fieldset>
        )}
        {error && (
          <p className="panel-error" role="alert">
            {error}
          </p>
        )}
        <div className="row-buttons">
          <button type="submit" data-testid="handover-submit" disabled={busy || !note.trim()}>
            {t('handover.submit')}
          </button>
          <button type="button" data-testid="handover-printbtn" onClick={() => window.print()}>
            {t('handover.print')}
          </button>
        </div>
      </form>
    </div>
  );
}

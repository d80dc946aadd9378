import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PhotoDraft } from '../actions.ts';
import { downsizePhoto } from '../photos/downsize.ts';

/** Takes or picks photos; each is downsized on the phone before it is queued. */
export function PhotoPicker(props: {
  photos: PhotoDraft[];
  onChange: (p: PhotoDraft[]) => void;
  max?: number;
}) {
  const { t } = useTranslation('field');
  const [busy, setBusy] = useState(false);
  const [thumbs, setThumbs] = useState<string[]>([]);
  useEffect(() => {
    const urls = props.photos.map((p) => URL.createObjectURL(new Blob([p.bytes], { type: p.type })));
    setThumbs(urls);
    return () => {
      for (const u of urls) URL.revokeObjectURL(u);
    };
  }, [props.photos]);
  const max = props.max ?? 3;
  return (
    <div className="fa-photos">
      <div className="fa-thumbs">
        {thumbs.map((u, i) => (
          <button
            type="button"
            key={u}
            className="fa-thumb"
            title={t('photo.remove')}
            onClick={() => props.onChange(props.photos.filter((_, j) => j !== i))}
          >
            <img src={u} alt={t('photo.alt', { n: i + 1 })} />
          </button>
        ))}
      </div>
      {props.photos.length < max && (
        <label className="fa-photo-add">
          {busy ? t('photo.processing') : t('photo.add')}
          <input
            data-testid="photo-input"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            hidden
            onChange={async (e) => {
              const files = [...(e.target.files ?? [])].slice(0, max - props.photos.length);
              e.target.value = '';
              if (!files.length) return;
              setBusy(true);
              try {
                const drafts: PhotoDraft[] = [];
                for (const f of files) {
                  const d = await downsizePhoto(f);
                  drafts.push({ bytes: d.bytes, type: d.type, takenAt: f.lastModified || Date.now() });
                }
                props.onChange([...props.photos, ...drafts]);
              } finally {
                setBusy(false);
              }
            }}
          />
        </label>
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiUrl, authHeaders } from '../../api/client.ts';

/**
 * Thumbnails of an incident's photos. Fetched with the app's credentials (an <img> would not carry
 * the bearer token) and shown from object URLs; nothing is cached beyond this screen.
 */
export function IncidentPhotos(props: { incidentId: string }) {
  const { t } = useTranslation('field');
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    let alive = true;
    const made: string[] = [];
    api<{ items: Array<{ id: string; url: string }> }>('photos', { query: { incidentId: props.incidentId } })
      .then(async (b) => {
        for (const p of b.items.slice(0, 4)) {
          const res = await fetch(apiUrl(p.url), { headers: authHeaders(), credentials: 'same-origin' });
          if (!res.ok || !alive) continue;
          const u = URL.createObjectURL(await res.blob());
          made.push(u);
          setUrls([...made]);
        }
      })
      .catch(() => {});
    return () => {
      alive = false;
      for (const u of made) URL.revokeObjectURL(u);
    };
  }, [props.incidentId]);
  if (!urls.length) return null;
  return (
    <div className="fa-thumbs fa-incident-photos">
      {urls.map((u, i) => (
        <a key={u} href={u} target="_blank" rel="noreferrer">
          <img src={u} alt={t('photo.alt', { n: i + 1 })} data-testid="incident-photo" />
        </a>
      ))}
    </div>
  );
}

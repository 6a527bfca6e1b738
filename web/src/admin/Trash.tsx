/** The trash: what was trashed, by whom and when; restore to where it was (or under a new name on a clash). */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, seg } from '../api.ts';
import { A, ErrorMessage, Loading, Notice, PageTitle, useLang } from '../components/ui.tsx';
import { formatDate, formatSize } from '../format.ts';
import { t } from '../i18n.ts';
import { cursorOf, listOf } from '../paths.ts';
import type { Me } from '../types.ts';
import { NameDialog } from './dialogs.tsx';
import { invalidateAll, ROOT } from './tree.tsx';

interface TrashItem {
  kind: 'folder' | 'file';
  id: string;
  name: string;
  parentId?: string | null;
  folderId?: string;
  size?: number;
  trashedAt: string;
  trashedBy?: string;
  trashedByEmail?: string;
}

export function TrashPage({ me }: { me: Me }) {
  useLang();
  const [items, setItems] = useState<TrashItem[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [clash, setClash] = useState<TrashItem>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    api<unknown>('/trash').then(
      (r) => {
        if (!live) return;
        setItems(listOf<TrashItem>(r, 'items'));
        setCursor(cursorOf(r));
      },
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [tick]);

  const more = async () => {
    try {
      const r = await api<unknown>('/trash', { query: { cursor } });
      setItems([...(items ?? []), ...listOf<TrashItem>(r, 'items')]);
      setCursor(cursorOf(r));
    } catch (err) {
      setError(err);
    }
  };

  const restore = async (it: TrashItem, name?: string) => {
    setError(undefined);
    try {
      await api(`/trash/${seg(it.id)}/restore`, { method: 'POST', body: name ? { name } : {} });
      invalidateAll();
      setClash(undefined);
      setNotice(t('trash.restored', { name: name ?? it.name }));
      setTick((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'name_taken' && !name) setClash(it);
      else throw err;
    }
  };

  const parent = (it: TrashItem) => (it.kind === 'folder' ? it.parentId : it.folderId) ?? ROOT;
  return (
    <section class="page">
      <PageTitle title={t('trash.title')}>{t('trash.title')}</PageTitle>
      <p class="lead">{t('trash.intro')}</p>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={error} notYet={!items} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p class="empty">{t('trash.empty')}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="trash">
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('trash.from')}</th>
                <th scope="col">{t('trash.deletedAt')}</th>
                <th scope="col">{t('trash.deletedBy')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr key={it.id}>
                  <td>
                    <span class={`icon icon-${it.kind}`} aria-hidden="true" /> {it.name}
                    {it.kind === 'file' && it.size !== undefined ? ` · ${formatSize(it.size)}` : ''}
                  </td>
                  <td>
                    <A href={parent(it) === ROOT ? '/admin/folders' : `/admin/folders/${seg(parent(it))}`}>
                      {t('common.folder')}
                    </A>
                  </td>
                  <td>{formatDate(it.trashedAt)}</td>
                  <td>{it.trashedByEmail ?? (it.trashedBy === me.id ? me.email : it.trashedBy) ?? ''}</td>
                  <td>
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => void restore(it).catch(setError)}
                      aria-label={`${t('trash.restore')}: ${it.name}`}
                    >
                      {t('trash.restore')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="btn" onClick={() => void more()}>
          {t('common.loadMore')}
        </button>
      )}
      {clash && (
        <NameDialog
          title={t('trash.restore')}
          label={t('trash.clash', { name: clash.name })}
          initial={clash.name}
          submitLabel={t('trash.restore')}
          onSubmit={(name) => restore(clash, name)}
          onClose={() => setClash(undefined)}
        />
      )}
    </section>
  );
}

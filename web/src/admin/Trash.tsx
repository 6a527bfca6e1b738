/** The trash: what was trashed, by whom and when; restore to where it was (or under a new name on a clash). */
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { FileIcon } from '../components/FileIcon.tsx';
import { ListEnd } from '../components/ListEnd.tsx';
import { A, ErrorMessage, Loading, Notice, PageTitle, useLang } from '../components/ui.tsx';
import { formatDate, formatSize } from '../format.ts';
import { t } from '../i18n/index.ts';
import { paths } from '../routes.ts';
import type { TrashItem } from '../types.ts';
import { NameDialog } from './dialogs.tsx';
import { invalidateAll } from './tree.tsx';

export function TrashPage() {
  useLang();
  const [items, setItems] = useState<TrashItem[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [clash, setClash] = useState<TrashItem>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    api.listTrash().then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        setCursor(r.nextCursor);
      },
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [tick]);

  const [loadingMore, setLoadingMore] = useState(false);
  const more = async () => {
    if (loadingMore) return;
    setLoadingMore(true);
    try {
      const r = await api.listTrash({ cursor });
      setItems([...(items ?? []), ...r.items]);
      setCursor(r.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const restore = async (it: TrashItem, name?: string) => {
    setError(undefined);
    try {
      await api.restoreFromTrash(it.id, name);
      invalidateAll();
      setClash(undefined);
      setNotice(t('trash.restored', { name: name ?? it.name }));
      setTick((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'name_taken' && !name) setClash(it);
      else throw err;
    }
  };

  return (
    <section class="page">
      <PageTitle title={t('trash.title')}>{t('trash.title')}</PageTitle>
      <p class="lead">{t('trash.intro')}</p>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={error} />
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
                <tr key={it.id} data-testid="trash-row">
                  <td class="wrap-anywhere">
                    {it.kind === 'folder' ? (
                      <span class="icon icon-folder" aria-hidden="true" />
                    ) : (
                      <FileIcon file={{ name: it.name, contentType: '' }} />
                    )}{' '}
                    {it.name}
                    {it.kind === 'file' && it.size !== undefined ? ` · ${formatSize(it.size)}` : ''}
                  </td>
                  <td class="wrap-anywhere" data-testid="trash-from">
                    <A href={paths.folder(it.from[it.from.length - 1]?.id ?? 'root')}>
                      {it.from.map((p) => p.name).join(' / ')}
                    </A>
                  </td>
                  <td>{formatDate(it.trashedAt)}</td>
                  <td class="wrap-anywhere">{it.trashedByEmail ?? t('activity.unknownPerson')}</td>
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
      {items && <ListEnd shown={items.length} hasMore={!!cursor} loading={loadingMore} onMore={() => void more()} />}
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

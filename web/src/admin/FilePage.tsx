/** A file: its versions (newest first, each downloadable) and its receipts (who downloaded it). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, apiBlob, seg } from '../api.ts';
import { Breadcrumbs, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { downloadUrl, saveFrom } from '../download.ts';
import { formatDate, formatSize } from '../format.ts';
import { t } from '../i18n.ts';
import { listOf } from '../paths.ts';
import type { ActivityEvent, FileItem, FileVersion, Me, PathItem } from '../types.ts';
import { actorLabel } from './common.ts';
import { saveBlob } from './oversight.ts';
import { ROOT } from './tree.tsx';
import { UploadPanel } from './UploadPanel.tsx';
import { addUploads, onUploadDone } from './uploads.ts';

interface FileDetails {
  file: FileItem;
  path: PathItem[];
  versions: FileVersion[];
}

/** The one-page delivery receipt (GET /receipts/{eventId}?format=pdf, with the token), saved as a file. */
async function receiptPdf(eventId: string): Promise<void> {
  saveBlob(await apiBlob(`/receipts/${seg(eventId)}`, { format: 'pdf' }), `receipt-${eventId}.pdf`);
}

export function FilePage({ id, me }: { id: string; me: Me }) {
  useLang();
  const q = useLoad(() => api<FileDetails>(`/files/${seg(id)}`), [id]);
  const [error, setError] = useState<unknown>();
  const input = useRef<HTMLInputElement>(null);
  const d = q.data;
  useEffect(() => onUploadDone((it) => it.versionOf === id && q.reload()), [id]);
  const receipts = useLoad(() => loadReceipts(id), [id, d?.file.currentVersionId]);

  const download = async (versionId?: string) => {
    setError(undefined);
    try {
      const url = await downloadUrl(
        `/files/${seg(id)}/download${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`,
        'attachment',
      );
      saveFrom(url);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="page">
      {d && (
        <Breadcrumbs
          path={[...d.path, { id: d.file.id, name: d.file.name }]}
          hrefFor={(p) =>
            p.id === d.file.id
              ? `/admin/files/${seg(p.id)}`
              : p.id === ROOT
                ? '/admin/folders'
                : `/admin/folders/${seg(p.id)}`
          }
        />
      )}
      <PageTitle title={d ? t('file.title', { name: d.file.name }) : t('common.file')}>
        {d ? d.file.name : t('common.file')}
      </PageTitle>
      <ErrorMessage error={q.error} />
      <ErrorMessage error={error} />
      {!d && !q.error && <Loading />}
      {d && (
        <>
          <div class="toolbar">
            <button type="button" class="btn btn-primary" onClick={() => void download()}>
              {t('common.download')}
            </button>
            <button type="button" class="btn" onClick={() => input.current?.click()}>
              {t('menu.newVersion')}
            </button>
            <input
              ref={input}
              class="file-input"
              type="file"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) addUploads([{ file, folderId: d.file.folderId, name: d.file.name, versionOf: d.file.id }]);
                e.currentTarget.value = '';
              }}
            />
          </div>
          <UploadPanel filesHere={() => []} />
          <h2>{t('file.versions')}</h2>
          <div class="table-wrap">
            <table class="data" data-testid="versions">
              <thead>
                <tr>
                  <th scope="col">{t('common.modified')}</th>
                  <th scope="col">{t('common.size')}</th>
                  <th scope="col">{t('file.uploadedBy')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.versions.map((v) => {
                  const vid = v.versionId ?? v.id ?? '';
                  return (
                    <tr key={vid}>
                      <td>
                        {formatDate(v.uploadedAt)}{' '}
                        {vid === d.file.currentVersionId && <span class="badge">{t('file.current')}</span>}
                      </td>
                      <td>{formatSize(v.size)}</td>
                      <td>{v.uploadedBy === me.id ? me.email : (v.uploadedBy ?? '')}</td>
                      <td>
                        <button type="button" class="btn btn-small" onClick={() => void download(vid)}>
                          {t('common.download')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <h2>{t('file.receipts')}</h2>
          {receipts.error ? (
            <ErrorMessage error={receipts.error} notYet />
          ) : receipts.data && receipts.data.length === 0 ? (
            <p class="empty">{t('file.noReceipts')}</p>
          ) : (
            <ul class="shared" data-testid="receipts">
              {(receipts.data ?? []).map((r, i) => (
                <li key={i}>
                  <span>
                    {r.kind === 'link' ? t('file.viaLink') : r.kind === 'webuser' ? t('file.viaUser') : ''} {r.who}
                    {r.via ? ` · ${t('folders.via', { name: r.via })}` : ''}
                    {' · '}
                    {r.at
                      ? `${t('file.downloaded')} ${formatDate(r.at)}` +
                        (r.downloads && r.downloads > 1 ? ` (×${r.downloads})` : '')
                      : t('file.notDownloaded')}
                    {r.live === false ? ` · ${t('file.noLongerAccess')}` : ''}
                  </span>
                  {r.receiptId && r.at && (
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => void receiptPdf(r.receiptId!).catch(setError)}
                    >
                      {t('file.receiptPdf')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

interface Receipt {
  who: string;
  kind?: 'webuser' | 'link';
  via?: string;
  at?: string | null;
  downloads?: number;
  receiptId?: string | null;
  live?: boolean;
}

/**
 * Who could reach the file and whether they downloaded it: GET /files/{id}/receipts
 * (issue 5); where that route is missing, the file's download events.
 */
async function loadReceipts(fileId: string): Promise<Receipt[]> {
  try {
    const r = await api<unknown>(`/files/${seg(fileId)}/receipts`);
    return listOf<Record<string, any>>(r, 'recipients', 'receipts').map((x) => ({
      who: String(x.name ? `${x.name} (${x.email ?? ''})` : (x.email ?? x.id ?? '')),
      kind: x.kind,
      via: x.via?.name ?? undefined,
      at: x.lastDownloadAt ?? x.firstDownloadAt ?? x.downloadedAt ?? null,
      downloads: typeof x.downloads === 'number' ? x.downloads : undefined,
      receiptId: x.receiptId ?? null,
      live: x.live,
    }));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  const r = await api<unknown>('/activity', { query: { fileId, type: 'download', limit: 200 } });
  return listOf<ActivityEvent>(r, 'events')
    .filter((e) => e.type === 'download' && typeof e.target === 'object' && e.target?.id === fileId)
    .map((e) => ({ who: actorLabel(e.actor), at: e.at, receiptId: e.id }));
}

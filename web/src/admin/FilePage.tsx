/**
 * A file: the current version's SHA-256 and how S3 checked it, its versions (newest first, each
 * downloadable; staff can make an older one current again, as a new version pointing at the old
 * bytes) and its receipts (who could reach it, and whether and when each opened, looked at,
 * downloaded it and confirmed receipt, with PDF receipts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { Breadcrumbs, ErrorMessage, Loading, Notice, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { saveBlob, saveFrom } from '../download.ts';
import { formatDate, formatSize } from '../format.ts';
import { t } from '../i18n/index.ts';
import { paths } from '../routes.ts';
import type { FileDetails, FileVersion, Receipts, Recipient, VerifiedBy } from '../types.ts';
import { ConfirmDialog } from './dialogs.tsx';
import { AckMarker, FileAckSetting } from './ReceiptAcknowledgement.tsx';
import { UploadPanel } from './UploadPanel.tsx';
import { addUploads, onUploadDone } from './uploads.ts';

const uploader = (v: FileVersion) =>
  v.uploadedByName && v.uploadedByEmail
    ? `${v.uploadedByName} (${v.uploadedByEmail})`
    : v.uploadedByEmail || v.uploadedByName || t('activity.unknownPerson');

export function FilePage({ id }: { id: string }) {
  useLang();
  const q = useLoad(() => api.getFile(id), [id]);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [restoring, setRestoring] = useState<FileVersion>();
  const input = useRef<HTMLInputElement>(null);
  const d = q.data;
  useEffect(() => onUploadDone((it) => it.versionOf === id && q.reload()), [id]);
  const receipts = useLoad(() => api.fileReceipts(id), [id, d?.file.currentVersionId]);
  const dateOf = (versionId: string | null | undefined) => {
    const v = d?.versions.find((x) => x.versionId === versionId);
    return v ? formatDate(v.uploadedAt) : '';
  };

  const download = async (versionId?: string) => {
    setError(undefined);
    try {
      saveFrom((await api.staffDownload(id, 'attachment', versionId)).url);
    } catch (err) {
      setError(err);
    }
  };
  const receiptPdf = async (eventId: string) => {
    setError(undefined);
    try {
      saveBlob(await api.receiptPdf(eventId), `receipt-${eventId}.pdf`);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="page">
      {d && (
        <Breadcrumbs
          path={[...d.path, { id: d.file.id, name: d.file.name }]}
          hrefFor={(p) => (p.id === d.file.id ? paths.file(p.id) : paths.folder(p.id))}
        />
      )}
      <PageTitle title={d ? t('file.title', { name: d.file.name }) : t('common.file')}>
        {d ? d.file.name : t('common.file')}
      </PageTitle>
      {d?.file.requiresAcknowledgement && <AckMarker />}
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={q.error} />
      <ErrorMessage error={error} />
      {!d && !q.error && <Loading />}
      {d && (
        <>
          <FileAckSetting
            file={d.file}
            onSaved={(text) => {
              setNotice(text);
              q.reload();
            }}
            onError={setError}
          />
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
          <Fingerprint details={d} receipts={receipts.data} />
          <UploadPanel filesHere={() => []} />
          <h2>{t('file.versions')}</h2>
          <p class="hint">{t('file.versionsHint')}</p>
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
                  const current = v.versionId === d.file.currentVersionId;
                  return (
                    <tr key={v.versionId} data-testid="version-row" data-current={current ? 'yes' : 'no'}>
                      <td>
                        {formatDate(v.uploadedAt)} {current && <span class="badge">{t('file.current')}</span>}
                        {v.restoredFrom && (
                          <span class="hint"> · {t('file.restoredFrom', { date: dateOf(v.restoredFrom) })}</span>
                        )}
                      </td>
                      <td>{formatSize(v.size)}</td>
                      <td class="wrap-anywhere">{uploader(v)}</td>
                      <td>
                        <div class="row">
                          <button
                            type="button"
                            class="btn btn-small"
                            aria-label={t('file.downloadVersion', { date: formatDate(v.uploadedAt) })}
                            onClick={() => void download(v.versionId)}
                          >
                            {t('common.download')}
                          </button>
                          {!current && (
                            <button
                              type="button"
                              class="btn btn-small"
                              aria-label={t('file.makeCurrentLabel', { date: formatDate(v.uploadedAt) })}
                              onClick={() => setRestoring(v)}
                            >
                              {t('file.makeCurrent')}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <h2>{t('file.receipts')}</h2>
          <ErrorMessage error={receipts.error} />
          {receipts.data && receipts.data.recipients.length === 0 && <p class="empty">{t('file.noReceipts')}</p>}
          {receipts.data && receipts.data.recipients.length > 0 && (
            <ul class="shared" data-testid="receipts">
              {receipts.data.recipients.map((r) => (
                <li key={`${r.kind}-${r.id}-${r.via.folderId}`} data-testid="receipt">
                  <span class="grow wrap-anywhere">{receiptText(r)}</span>
                  {r.receiptId && (
                    <button type="button" class="btn btn-small" onClick={() => void receiptPdf(r.receiptId!)}>
                      {t('file.receiptPdf')}
                    </button>
                  )}
                  {r.acknowledgementReceiptId && (
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => void receiptPdf(r.acknowledgementReceiptId!)}
                    >
                      {t('file.ackReceiptPdf')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {restoring && d && (
        <ConfirmDialog
          title={t('file.makeCurrent')}
          text={t('file.makeCurrentConfirm', { date: formatDate(restoring.uploadedAt), name: d.file.name })}
          confirmLabel={t('file.makeCurrent')}
          onConfirm={async () => {
            await api.restoreVersion(id, restoring.versionId);
            setRestoring(undefined);
            setNotice(t('file.madeCurrent', { date: formatDate(restoring.uploadedAt) }));
            q.reload();
          }}
          onClose={() => setRestoring(undefined)}
        />
      )}
    </section>
  );
}

const VERIFIED: Record<VerifiedBy, 'file.verified.s3' | 'file.verified.s3-parts'> = {
  s3: 'file.verified.s3',
  's3-parts': 'file.verified.s3-parts',
};

/**
 * "SHA-256: <hex> · comprobado por S3" for the version clients get now. Told by GET /files/{id} (the
 * version, or the file) or by the receipts; a version uploaded before hashes were recorded says
 * "no registrado", never a value made up here.
 */
function Fingerprint({ details, receipts }: { details: FileDetails; receipts?: Receipts }) {
  const current = details.versions.find((v) => v.versionId === details.file.currentVersionId);
  const sameVersion = receipts?.file.currentVersionId === details.file.currentVersionId;
  const sha256 =
    current?.sha256 ?? details.file.sha256 ?? (sameVersion ? receipts?.file.sha256 : undefined) ?? undefined;
  const verifiedBy =
    current?.verifiedBy ?? details.file.verifiedBy ?? (sameVersion ? receipts?.file.verifiedBy : undefined);
  const how = sha256 && verifiedBy && VERIFIED[verifiedBy];
  return (
    <p class="fingerprint" data-testid="sha256">
      <strong>SHA-256:</strong>{' '}
      {sha256 ? <code class="wrap-anywhere">{sha256}</code> : <span>{t('file.sha256None')}</span>}
      {how && <span class="hint"> · {t(how)}</span>}
    </p>
  );
}

/**
 * "Web user: Ana (ana@…) · inherited from "Clientes" · opened … · viewed 2 times, last …; downloaded …
 * · receipt confirmed …".
 */
function receiptText(r: Recipient): string {
  const who = r.name ? `${r.name} (${r.email ?? ''})` : (r.email ?? r.id);
  const parts = [`${r.kind === 'link' ? t('file.viaLink') : t('file.viaUser')} ${who}`];
  if (r.via.name) parts.push(t('folders.via', { name: r.via.name }));
  // Older answers do not carry openedAt: say nothing rather than "not opened".
  if (r.openedAt !== undefined)
    parts.push(r.openedAt ? t('file.opened', { date: formatDate(r.openedAt) }) : t('file.notOpened'));
  parts.push(
    r.previews ? t('file.viewed', { count: r.previews, date: formatDate(r.lastPreviewAt) }) : t('file.notViewed'),
  );
  parts.push(
    r.downloads
      ? t('file.downloadedTimes', { count: r.downloads, date: formatDate(r.lastDownloadAt) })
      : t('file.notDownloaded'),
  );
  if (r.acknowledgedAt) {
    const key = r.acknowledgedCurrent === false ? 'file.acknowledgedOlder' : 'file.acknowledged';
    parts.push(t(key, { date: formatDate(r.acknowledgedAt) }));
  }
  if (!r.live) parts.push(t('file.noLongerAccess'));
  return parts.join(' · ');
}

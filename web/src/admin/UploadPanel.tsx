/** Uploads in progress: a bar per file and overall, cancel, retry, and the name-clash choice. */
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage, useLang } from '../components/ui.tsx';
import { formatSize } from '../format.ts';
import { type Key, t } from '../i18n.ts';
import type { FileItem } from '../types.ts';
import {
  cancelAll,
  cancelUpload,
  clearFinished,
  onUploadsChange,
  overall,
  resolveClash,
  retryUpload,
  type UploadItem,
  uploadItems,
} from './uploads.ts';

export function useUploads(): UploadItem[] {
  const [list, setList] = useState(uploadItems());
  useEffect(() => onUploadsChange(() => setList(uploadItems())), []);
  return list;
}

export function UploadPanel({ filesHere }: { filesHere: (folderId: string) => FileItem[] }) {
  useLang();
  const list = useUploads();
  if (!list.length) return null;
  const o = overall(list);
  const active = list.some((i) => i.state === 'waiting' || i.state === 'uploading' || i.state === 'finishing');
  return (
    <section class="uploads" aria-labelledby="uploads-title" data-testid="uploads">
      <h2 id="uploads-title">{t('upload.title')}</h2>
      <p class="upload-state" role="status">
        {t('upload.summary', { done: o.done, total: o.count })}
      </p>
      <progress
        aria-label={t('upload.overall')}
        max={Math.max(o.total, 1)}
        value={o.loaded}
        data-testid="upload-overall"
      />
      <ul>
        {list.map((it) => (
          <UploadRow key={it.id} it={it} filesHere={filesHere} />
        ))}
      </ul>
      <div class="row-actions">
        {active && (
          <button type="button" class="btn" onClick={cancelAll}>
            {t('upload.cancelAll')}
          </button>
        )}
        {!active && (
          <button type="button" class="btn" onClick={clearFinished}>
            {t('upload.clear')}
          </button>
        )}
      </div>
    </section>
  );
}

function UploadRow({ it, filesHere }: { it: UploadItem; filesHere: (folderId: string) => FileItem[] }) {
  const [newName, setNewName] = useState('');
  const stateKey = `upload.${it.state === 'clash' ? 'failed' : it.state}` as Key;
  const existing =
    it.state === 'clash'
      ? filesHere(it.folderId).find((f) => f.name.toLocaleLowerCase() === it.name.toLocaleLowerCase())
      : undefined;
  return (
    <li class={`upload upload-${it.state}`} data-testid="upload-row" data-state={it.state}>
      <span class="upload-name">{it.name}</span>
      <span class="upload-state">
        {t(stateKey)} · {formatSize(it.state === 'done' ? it.file.size : it.loaded)} / {formatSize(it.file.size)}
      </span>
      <progress
        aria-label={t('upload.progress', { name: it.name })}
        max={Math.max(it.file.size, 1)}
        value={it.state === 'done' ? it.file.size : it.loaded}
      />
      {it.state === 'failed' && <ErrorMessage error={it.error} />}
      {it.state === 'clash' && (
        <div class="row">
          <p class="grow" role="alert">
            {t('upload.clash', { name: it.name })}
          </p>
          {existing && (
            <button type="button" class="btn" onClick={() => resolveClash(it.id, { versionOf: existing.id })}>
              {t('upload.asNewVersion')}
            </button>
          )}
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (newName.trim()) resolveClash(it.id, { name: newName.trim() });
            }}
          >
            <label class="visually-hidden" for={`rename-${it.id}`}>
              {t('upload.newName')}
            </label>
            <input
              id={`rename-${it.id}`}
              placeholder={t('upload.newName')}
              value={newName}
              onInput={(e) => setNewName(e.currentTarget.value)}
            />
            <button type="submit" class="btn" disabled={!newName.trim()}>
              {t('upload.rename')}
            </button>
          </form>
        </div>
      )}
      <div class="row">
        {(it.state === 'waiting' || it.state === 'uploading' || it.state === 'clash') && (
          <button
            type="button"
            class="btn btn-small"
            onClick={() => cancelUpload(it.id)}
            aria-label={`${t('upload.cancel')}: ${it.name}`}
          >
            {t('upload.cancel')}
          </button>
        )}
        {(it.state === 'failed' || it.state === 'cancelled') && (
          <button
            type="button"
            class="btn btn-small"
            onClick={() => retryUpload(it.id)}
            aria-label={`${t('upload.retry')}: ${it.name}`}
          >
            {t('upload.retry')}
          </button>
        )}
      </div>
    </li>
  );
}

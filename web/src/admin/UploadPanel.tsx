/**
 * Uploads in progress: how many are done, the overall bar with speed and time left, cancel, retry, and
 * the name-clash choice. A big batch stays a summary: the files that need the user (failed, name
 * clashes) and the ones uploading now are listed, the rest only counted, with all of them a click away
 * in a box that scrolls.
 */
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage, useLang } from '../components/ui.tsx';
import { formatDuration, formatSize } from '../format.ts';
import { type Key, t } from '../i18n/index.ts';
import type { StaffFile } from '../types.ts';
import {
  cancelAll,
  cancelUpload,
  clearFinished,
  onUploadsChange,
  overall,
  resolveClash,
  retryUpload,
  type UploadItem,
  type UploadState,
  uploadItems,
} from './uploads.ts';

/** Up to this many files, every one has its row; above it, the panel is a summary. */
export const FULL_LIST = 12;

const STATE: Record<UploadState, Key> = {
  waiting: 'upload.waiting',
  uploading: 'upload.uploading',
  finishing: 'upload.finishing',
  done: 'upload.done',
  failed: 'upload.failed',
  cancelled: 'upload.cancelled',
  clash: 'upload.failed',
};

export function useUploads(): UploadItem[] {
  const [list, setList] = useState(uploadItems());
  useEffect(() => onUploadsChange(() => setList(uploadItems())), []);
  return list;
}

export function UploadPanel({ filesHere }: { filesHere: (folderId: string) => StaffFile[] }) {
  useLang();
  const list = useUploads();
  const [showAll, setShowAll] = useState(false);
  if (!list.length) return null;
  const o = overall(list);
  const big = list.length > FULL_LIST;
  const needsYou = list.filter((i) => i.state === 'failed' || i.state === 'clash');
  const now = list.filter((i) => i.state === 'uploading' || i.state === 'finishing');
  const waiting = list.filter((i) => i.state === 'waiting').length;
  const row = (it: UploadItem) => <UploadRow key={it.id} it={it} filesHere={filesHere} />;
  return (
    <section class="uploads" aria-labelledby="uploads-title" data-testid="uploads">
      <h2 id="uploads-title">{t('upload.title')}</h2>
      <p class="upload-state" role="status" data-testid="upload-summary">
        {t('upload.summary', { done: o.done, total: o.count })}
        {o.failed > 0 && ` · ${t('upload.failedCount', { count: o.failed })}`}
        {o.cancelled > 0 && ` · ${t('upload.cancelledCount', { count: o.cancelled })}`}
      </p>
      <progress
        aria-label={t('upload.overall')}
        max={Math.max(o.total, 1)}
        value={o.loaded}
        data-testid="upload-overall"
      />
      {o.active > 0 && (
        <p class="hint" data-testid="upload-speed">
          {formatSize(o.loaded)} / {formatSize(o.total)}
          {o.speed !== undefined && ` · ${t('upload.speed', { speed: formatSize(o.speed) })}`}
          {o.secondsLeft !== undefined && ` · ${t('upload.left', { time: formatDuration(o.secondsLeft) })}`}
        </p>
      )}
      {big ? (
        <>
          {needsYou.length > 0 && (
            <>
              <h3 class="upload-sub">{t('upload.needsYou', { count: needsYou.length })}</h3>
              <ul data-testid="upload-problems">{needsYou.map(row)}</ul>
            </>
          )}
          {now.length > 0 && <ul>{now.map(row)}</ul>}
          {waiting > 0 && <p class="hint">{t('upload.waitingCount', { count: waiting })}</p>}
          <button type="button" class="btn btn-quiet" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
            {showAll ? t('upload.hideAll') : t('upload.showAll', { count: list.length })}
          </button>
          {showAll && (
            <ul class="upload-all" data-testid="upload-all">
              {list.map(row)}
            </ul>
          )}
        </>
      ) : (
        <ul>{list.map(row)}</ul>
      )}
      <div class="row-actions">
        {o.active > 0 ? (
          <button type="button" class="btn" onClick={cancelAll}>
            {t('upload.cancelAll')}
          </button>
        ) : (
          <button type="button" class="btn" onClick={clearFinished}>
            {t('upload.clear')}
          </button>
        )}
      </div>
    </section>
  );
}

/** One upload with its state, bar, error, and what can be done: cancel, retry, resolve a name clash. */
export function UploadRow({ it, filesHere }: { it: UploadItem; filesHere: (folderId: string) => StaffFile[] }) {
  const [newName, setNewName] = useState('');
  const existing =
    it.state === 'clash'
      ? filesHere(it.folderId).find((f) => f.name.toLocaleLowerCase() === it.name.toLocaleLowerCase())
      : undefined;
  const shown = it.state === 'done' ? it.file.size : (it.hashed ?? it.loaded);
  return (
    <li class={`upload upload-${it.state}`} data-testid="upload-row" data-state={it.state}>
      <span class="upload-name">{it.name}</span>
      <span class="upload-state">
        {it.hashed !== undefined && it.state === 'uploading' ? t('upload.hashing') : t(STATE[it.state])}
        {it.state === 'cancelled'
          ? ''
          : it.state === 'failed'
            ? ` · ${t('upload.sentOf', { sent: formatSize(shown), size: formatSize(it.file.size) })}`
            : ` · ${formatSize(shown)} / ${formatSize(it.file.size)}`}
      </span>
      {it.state !== 'cancelled' && (
        <progress aria-label={t('upload.progress', { name: it.name })} max={Math.max(it.file.size, 1)} value={shown} />
      )}
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

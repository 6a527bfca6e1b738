/**
 * The read-only folder view shared by the client portal, share links and
 * staff's "view as client": sub-folders as links, files with size, date,
 * download and (PDF and images) preview. Every name is rendered as text.
 */
import { useState } from 'preact/hooks';
import type { Disposition } from '../api.ts';
import { saveFrom } from '../download.ts';
import { formatDate, formatSize, isPreviewable } from '../format.ts';
import { t } from '../i18n/index.ts';
import type { DownloadUrl, FileItem, Folder } from '../types.ts';
import { FileIcon } from './FileIcon.tsx';
import { A, Dialog, ErrorMessage, useLang } from './ui.tsx';

export interface BrowseProps {
  folders: Folder[];
  files: FileItem[];
  folderHref: (f: Folder) => string;
  /** Mint a download URL for the file (attachment, or inline for a preview): an api.ts function. */
  urlFor: (f: FileItem, disposition: Disposition) => Promise<DownloadUrl>;
  emptyText: string;
}

export function Browse({ folders, files, folderHref, urlFor, emptyText }: BrowseProps) {
  useLang();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string>();
  const [preview, setPreview] = useState<{ file: FileItem; url: string; kind: 'pdf' | 'image' }>();

  const download = async (f: FileItem) => {
    setError(undefined);
    setBusy(f.id);
    try {
      saveFrom((await urlFor(f, 'attachment')).url);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };
  const open = async (f: FileItem, kind: 'pdf' | 'image') => {
    setError(undefined);
    setBusy(f.id);
    try {
      setPreview({ file: f, url: (await urlFor(f, 'inline')).url, kind });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  if (!folders.length && !files.length) return <p class="empty">{emptyText}</p>;
  return (
    <>
      <ErrorMessage error={error} />
      <ul class="items" data-testid="items">
        {folders.map((f) => (
          <li key={f.id} class="item item-folder">
            <span class="icon icon-folder" aria-hidden="true" />
            <A href={folderHref(f)} class="item-name">
              {f.name}
            </A>
            <span class="item-meta">{formatDate(f.updatedAt, false)}</span>
          </li>
        ))}
        {files.map((f) => {
          const kind = isPreviewable(f.contentType, f.name);
          return (
            <li key={f.id} class="item item-file">
              <FileIcon file={f} />
              <span class="item-name">{f.name}</span>
              <span class="item-meta">
                {formatSize(f.size)} · {formatDate(f.updatedAt)}
              </span>
              <span class="item-actions">
                {kind && (
                  <button
                    type="button"
                    class="btn"
                    disabled={busy === f.id}
                    onClick={() => open(f, kind)}
                    aria-label={`${t('common.preview')}: ${f.name}`}
                  >
                    {t('common.preview')}
                  </button>
                )}
                <button
                  type="button"
                  class="btn btn-primary"
                  disabled={busy === f.id}
                  onClick={() => download(f)}
                  aria-label={`${t('common.download')}: ${f.name}`}
                >
                  {t('common.download')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      {preview && (
        <Preview {...preview} onClose={() => setPreview(undefined)} onDownload={() => download(preview.file)} />
      )}
    </>
  );
}

/** Phones do not show PDFs inside a page (Android Chrome shows nothing): there the browser's own viewer opens it. */
const smallScreen = () =>
  typeof matchMedia === 'function' && matchMedia('(max-width: 720px), (pointer: coarse)').matches;

/**
 * A PDF or an image in a dialog. On a phone a PDF cannot show inside a page, so its one button opens
 * it in the browser's own viewer (and "open in a new tab", the same thing there, is not offered twice).
 */
export function Preview({
  file,
  url,
  kind,
  onClose,
  onDownload,
}: {
  file: FileItem;
  url: string;
  kind: 'pdf' | 'image';
  onClose: () => void;
  onDownload: () => void;
}) {
  useLang();
  const phonePdf = kind === 'pdf' && smallScreen();
  return (
    <Dialog title={file.name} onClose={onClose} wide>
      <div class="preview" data-testid="preview">
        {kind === 'image' ? (
          <img src={url} alt={file.name} class="preview-img" data-testid="preview-target" />
        ) : phonePdf ? (
          <div class="preview-phone">
            <p>{t('preview.pdfPhone')}</p>
            <a
              class="btn btn-primary"
              href={url}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="preview-target"
            >
              {t('preview.openPdf')}
            </a>
          </div>
        ) : (
          <iframe src={url} title={file.name} class="preview-frame" data-testid="preview-target" />
        )}
      </div>
      <div class="row-actions">
        {!phonePdf && (
          <a class="btn" href={url} target="_blank" rel="noopener noreferrer">
            {t('common.openNewTab')}
          </a>
        )}
        <button type="button" class="btn btn-primary" onClick={onDownload}>
          {t('common.download')}
        </button>
      </div>
    </Dialog>
  );
}

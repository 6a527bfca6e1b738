/**
 * The read-only folder view shared by the client portal, share links and
 * staff's "view as client": sub-folders as links, files with size, date,
 * download and (PDF and images) preview. Every name is rendered as text.
 * Given a paged listing (useListing) it sorts through the server and loads
 * the next page as the end comes into view; given `zip`, files can be
 * selected (checkboxes, select all, shift-click) and taken as one ZIP. Given `acknowledge`, a file
 * that asks for it offers "Confirmar recepción", the client's one action.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Disposition, DownloadsAnswer, DownloadsBody, SortKey } from '../api.ts';
import { saveFrom } from '../download.ts';
import { formatDate, formatSize, isPreviewable } from '../format.ts';
import { t } from '../i18n/index.ts';
import type { DownloadUrl, FileItem, Folder, Listing } from '../types.ts';
import { FileIcon } from './FileIcon.tsx';
import { ListEnd } from './ListEnd.tsx';
import { A, Dialog, ErrorMessage, useLang } from './ui.tsx';
import type { ListingOrder, PagedListing } from './useListing.ts';

export interface BrowseProps {
  folders: Folder[];
  files: FileItem[];
  folderHref: (f: Folder) => string;
  /** Mint a download URL for the file (attachment, or inline for a preview): an api.ts function. */
  urlFor: (f: FileItem, disposition: Disposition) => Promise<DownloadUrl>;
  emptyText: string;
  /** The listing's order and next pages (useListing): sort controls and "load more" are shown. */
  paged?: PagedListing<Listing>;
  /** The folder's downloads route (api.ts): checkboxes and one ZIP of the selection or of everything. */
  zip?: { name: string; fetch: (body: DownloadsBody) => Promise<DownloadsAnswer> };
  /**
   * The client's acknowledge route (api.ts): files whose listing says `requiresAcknowledgement` offer
   * "Confirmar recepción". Left out where nobody may confirm (staff's "view as").
   */
  acknowledge?: (f: FileItem) => Promise<void>;
}

export function Browse({ folders, files, folderHref, urlFor, emptyText, paged, zip, acknowledge }: BrowseProps) {
  useLang();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string>();
  const [preview, setPreview] = useState<{ file: FileItem; url: string; kind: 'pdf' | 'image' }>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Confirmed on this page; what was confirmed before, the listing says (`acknowledged`).
  const [confirmed, setConfirmed] = useState<Set<string>>(new Set());
  const isConfirmed = (f: FileItem) => !!f.acknowledged || confirmed.has(f.id);
  const anchor = useRef<number>(-1);
  const folderKey = paged?.data?.folder.id;
  useEffect(() => {
    setSelected(new Set());
    anchor.current = -1;
  }, [folderKey]);

  // Shift-click selects the range from the last file clicked to this one, like a file manager.
  const pick = (i: number, shift: boolean, on: boolean) => {
    const next = new Set(selected);
    const from = shift && anchor.current >= 0 ? Math.min(anchor.current, i) : i;
    const to = shift && anchor.current >= 0 ? Math.max(anchor.current, i) : i;
    for (let k = from; k <= to; k++) on ? next.add(files[k].id) : next.delete(files[k].id);
    anchor.current = i;
    setSelected(next);
  };
  const allPicked = files.length > 0 && files.every((f) => selected.has(f.id));

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
  const confirm = async (f: FileItem) => {
    if (!acknowledge) return;
    setError(undefined);
    setBusy(f.id);
    try {
      await acknowledge(f);
      setConfirmed((c) => new Set(c).add(f.id));
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
      {paged && <SortBar order={paged.order} onOrder={paged.setOrder} />}
      {zip && (
        <ZipBar
          zip={zip}
          selected={[...selected]}
          allPicked={allPicked}
          anyFiles={files.length > 0}
          onAll={(on) => setSelected(new Set(on ? files.map((f) => f.id) : []))}
        />
      )}
      <ErrorMessage error={error} />
      <ul class={zip ? 'items items-pick' : 'items'} data-testid="items">
        {folders.map((f) => (
          <li key={f.id} class="item item-folder">
            <span class="icon icon-folder" aria-hidden="true" />
            <A href={folderHref(f)} class="item-name">
              {f.name}
            </A>
            <span class="item-meta">{formatDate(f.updatedAt, false)}</span>
          </li>
        ))}
        {files.map((f, i) => {
          const kind = isPreviewable(f.contentType, f.name);
          const asked = !!acknowledge && !!f.requiresAcknowledgement;
          return (
            <li key={f.id} class="item item-file" data-testid="file-item">
              {zip ? (
                <span class="item-pick">
                  <input
                    type="checkbox"
                    checked={selected.has(f.id)}
                    aria-label={t('browse.select', { name: f.name })}
                    onClick={(e) => pick(i, e.shiftKey, e.currentTarget.checked)}
                  />
                  <FileIcon file={f} />
                </span>
              ) : (
                <FileIcon file={f} />
              )}
              <span class="item-name">{f.name}</span>
              <span class="item-meta">
                {formatSize(f.size)} · {formatDate(f.updatedAt)}
                {asked && !isConfirmed(f) && <span class="item-ask"> · {t('ack.asked')}</span>}
              </span>
              <span class="item-actions">
                {asked &&
                  (isConfirmed(f) ? (
                    <span class="badge badge-ok" role="status" data-testid="ack-done">
                      ✓ {t('ack.done')}
                    </span>
                  ) : (
                    <button
                      type="button"
                      class="btn"
                      disabled={busy === f.id}
                      onClick={() => void confirm(f)}
                      aria-label={t('ack.actionLabel', { name: f.name })}
                    >
                      {t('ack.action')}
                    </button>
                  ))}
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
      {paged && (
        <ListEnd
          shown={folders.length + files.length}
          hasMore={!!paged.data?.nextCursor}
          loading={paged.loadingMore}
          onMore={() => void paged.more()}
          error={paged.moreError}
        />
      )}
      {preview && (
        <Preview {...preview} onClose={() => setPreview(undefined)} onDownload={() => download(preview.file)} />
      )}
    </>
  );
}

const SORTS: SortKey[] = ['name', 'modified', 'size'];
const SORT_KEYS = { name: 'browse.sort.name', modified: 'browse.sort.modified', size: 'browse.sort.size' } as const;

/** Sort by name, date or size, either way: asked of the server, so page one is the first of the whole folder. */
function SortBar({ order, onOrder }: { order: ListingOrder; onOrder: (o: ListingOrder) => void }) {
  return (
    <div class="sort-bar">
      <label>
        <span>{t('browse.sortBy')}</span>
        <select
          value={order.sort}
          onChange={(e) => onOrder({ ...order, sort: e.currentTarget.value as SortKey })}
          aria-label={t('browse.sortBy')}
        >
          {SORTS.map((k) => (
            <option key={k} value={k}>
              {t(SORT_KEYS[k])}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        class="btn"
        onClick={() => onOrder({ ...order, order: order.order === 'asc' ? 'desc' : 'asc' })}
        aria-label={order.order === 'asc' ? t('browse.ascending') : t('browse.descending')}
      >
        {order.order === 'asc' ? `↑ ${t('browse.ascending')}` : `↓ ${t('browse.descending')}`}
      </button>
    </div>
  );
}

/** "Descargar selección" and "Descargar todo": one ZIP built in the browser (zip.ts, loaded on first use). */
function ZipBar({
  zip,
  selected,
  allPicked,
  anyFiles,
  onAll,
}: {
  zip: NonNullable<BrowseProps['zip']>;
  selected: string[];
  allPicked: boolean;
  anyFiles: boolean;
  onAll: (on: boolean) => void;
}) {
  const [state, setState] = useState<{ done: number; total?: number } | { sent: number } | { error: unknown }>();
  const run = async (ids?: string[]) => {
    setState({ done: 0, total: ids?.length });
    try {
      const { saveZip } = await import('../zip.ts');
      const sent = await saveZip(zip.name, zip.fetch, ids, (done) => setState({ done, total: ids?.length }));
      setState({ sent });
    } catch (err) {
      if ((err as Error).name === 'AbortError') setState(undefined);
      else setState({ error: err });
    }
  };
  const working = !!state && 'done' in state;
  return (
    <div class="zip-bar">
      {anyFiles && (
        <label class="pick-all">
          <input type="checkbox" checked={allPicked} onChange={(e) => onAll(e.currentTarget.checked)} />
          <span>{t('browse.selectAll')}</span>
        </label>
      )}
      <button type="button" class="btn" disabled={working || !selected.length} onClick={() => void run(selected)}>
        {t('browse.downloadSelected', { n: selected.length })}
      </button>
      <button type="button" class="btn btn-primary" disabled={working} onClick={() => void run()}>
        {t('browse.downloadAll')}
      </button>
      <span class="hint" role="status">
        {state && 'done' in state && t('browse.zipping', { n: state.done })}
        {state && 'sent' in state && t('browse.zipped', { n: state.sent })}
      </span>
      {state && 'error' in state && <ZipError error={state.error} />}
    </div>
  );
}

function ZipError({ error }: { error: unknown }) {
  if ((error as Error).message === 'zip_too_big')
    return (
      <div class="alert alert-error" role="alert">
        <p>{t('browse.zipTooBig', { size: formatSize((error as { limit: number }).limit) })}</p>
      </div>
    );
  return <ErrorMessage error={error} />;
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

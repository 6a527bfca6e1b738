/**
 * The staff folder browser (/admin/folders/<id>): the tree on the left; on the right the breadcrumbs,
 * the folder's menu, its client identity and acknowledgement setting (ClientPanel.tsx), the toolbar (new
 * folder, upload files or a folder), uploads in progress, the listing (Listing.tsx), and who the folder
 * is shared with (SharedWith.tsx). State and actions are in useFolder.ts, the dialogs in FolderDialogs.tsx.
 */
import { useRef, useState } from 'preact/hooks';
import * as api from '../../api.ts';
import { ListEnd } from '../../components/ListEnd.tsx';
import { SearchBox } from '../../components/Search.tsx';
import {
  Breadcrumbs,
  ErrorMessage,
  Loading,
  Menu,
  type MenuItem,
  Notice,
  PageTitle,
  useLang,
} from '../../components/ui.tsx';
import { isPreviewable } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { navigate } from '../../router.ts';
import { paths } from '../../routes.ts';
import type { StaffFile } from '../../types.ts';
import { filesDropZone, pickedFromDrop, pickedFromInput } from '../drop.ts';
import { SharedWith } from '../SharedWith.tsx';
import { FolderTree, ROOT } from '../tree.tsx';
import { UploadPanel } from '../UploadPanel.tsx';
import { addUploads } from '../uploads.ts';
import { ClientPanel } from './ClientPanel.tsx';
import { type FolderDialog, FolderDialogs } from './FolderDialogs.tsx';
import { isFilesDrag, isInternalDrag, Listing } from './Listing.tsx';
import { type Target, useFolder } from './useFolder.ts';

export function FolderBrowser({ id }: { id: string }) {
  useLang();
  const state = useFolder(id);
  const { listing, folder, path, rootName, sorted, actions } = state;
  const [menu, setMenu] = useState<{ target: Target; x: number; y: number }>();
  const [dialog, setDialog] = useState<FolderDialog>();
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);
  const versionInput = useRef<HTMLInputElement>(null);
  const versionFor = useRef<StaffFile | undefined>(undefined);

  const preview = async (f: StaffFile, type: 'pdf' | 'image') => {
    const url = await actions.previewUrl(f);
    if (url) setDialog({ kind: 'preview', file: f, type, url });
  };

  const menuFor = (target: Target): MenuItem[] => {
    if (target.kind === 'folder') {
      const f = { id: target.item.id, name: target.item.name };
      return [
        { label: t('menu.send'), onSelect: () => setDialog({ kind: 'send', folder: f }) },
        { label: t('menu.share'), onSelect: () => setDialog({ kind: 'share', folder: f }) },
        { label: t('menu.viewAs'), onSelect: () => setDialog({ kind: 'viewAs', folder: f }) },
        { label: t('menu.activity'), onSelect: () => navigate(paths.activity({ folderId: f.id })) },
        { label: t('access.link'), onSelect: () => navigate(paths.access({ folderId: f.id })) },
        { label: t('menu.rename'), onSelect: () => setDialog({ kind: 'rename', target }) },
        { label: t('menu.move'), onSelect: () => setDialog({ kind: 'move', target }) },
        { label: t('menu.trash'), onSelect: () => setDialog({ kind: 'trash', target }), danger: true },
      ];
    }
    const f = target.item;
    const kind = isPreviewable(f.contentType, f.name);
    return [
      { label: t('menu.download'), onSelect: () => void actions.download(f) },
      ...(kind ? [{ label: t('common.preview'), onSelect: () => void preview(f, kind) }] : []),
      {
        label: t('menu.newVersion'),
        onSelect: () => {
          versionFor.current = f;
          versionInput.current?.click();
        },
      },
      { label: t('menu.versions'), onSelect: () => navigate(paths.file(f.id)) },
      { label: t('menu.rename'), onSelect: () => setDialog({ kind: 'rename', target }) },
      { label: t('menu.move'), onSelect: () => setDialog({ kind: 'move', target }) },
      { label: t('menu.trash'), onSelect: () => setDialog({ kind: 'trash', target }), danger: true },
    ];
  };
  const openMenu = (target: Target, e: MouseEvent) => {
    e.preventDefault();
    if (e.type === 'contextmenu') setMenu({ target, x: e.clientX, y: e.clientY });
    else {
      const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
      setMenu({ target, x: r.left, y: r.bottom + 4 });
    }
  };

  /** A row dragged onto a folder moves it there; files from the desktop are uploaded into it. */
  const dropOn = async (folderId: string, e: DragEvent) => {
    setDragging(false);
    const raw = e.dataTransfer?.getData('application/x-carpeta-item');
    if (raw) {
      try {
        await actions.move(JSON.parse(raw) as Target, folderId);
      } catch (err) {
        state.setError(err);
      }
    } else if (isFilesDrag(e) && e.dataTransfer) {
      await actions.upload(await pickedFromDrop(e.dataTransfer), folderId);
    }
  };

  const current: Target | undefined = folder && id !== ROOT ? { kind: 'folder', item: folder } : undefined;
  const filesHere = (folderId: string) => (folderId === id ? (listing?.files ?? []) : []);
  const onFiles = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    if (input.files) void actions.upload(pickedFromInput(input.files));
    input.value = '';
  };

  return (
    <section class="page">
      <div class="browser">
        <details class="tree-panel" open={typeof window === 'undefined' || window.innerWidth >= 900}>
          <summary>{t('folders.tree')}</summary>
          <FolderTree
            rootName={rootName}
            currentId={id}
            openIds={path.map((p) => p.id)}
            onContextMenu={(f, x, y) =>
              setMenu({ target: { kind: 'folder', item: { id: f.id, name: f.name, version: -1, parentId: '' } }, x, y })
            }
            canDrop={isInternalDrag}
            onDropOn={(folderId, e) => void dropOn(folderId, e)}
          />
        </details>
        <div class="content">
          {folder && (
            <Breadcrumbs
              path={path.map((p, i) => (i === 0 && p.id === ROOT ? { ...p, name: p.name || rootName } : p))}
              hrefFor={(p) => paths.folder(p.id)}
            />
          )}
          <div class="page-head">
            <PageTitle title={folder?.name ?? t('folders.title')}>{folder?.name ?? t('folders.title')}</PageTitle>
            {current && (
              <button
                type="button"
                class="btn"
                aria-haspopup="menu"
                aria-label={t('common.more', { name: current.item.name })}
                onClick={(e) => openMenu(current, e)}
              >
                …
              </button>
            )}
          </div>
          {state.notice && <Notice text={state.notice} onDone={() => state.setNotice(undefined)} />}
          <ErrorMessage error={state.error} onRetry={!listing ? state.reload : undefined} />
          {folder && id !== ROOT && (
            <ClientPanel
              key={folder.id}
              folder={folder}
              onSaved={() => {
                state.setNotice(t('client.saved', { name: folder.name }));
                state.reload();
              }}
            />
          )}
          {folder && (
            <div class="toolbar">
              <button type="button" class="btn" onClick={() => setDialog({ kind: 'new' })}>
                {t('folders.new')}
              </button>
              <button type="button" class="btn btn-primary" onClick={() => fileInput.current?.click()}>
                {t('folders.upload')}
              </button>
              <button type="button" class="btn" onClick={() => dirInput.current?.click()}>
                {t('folders.uploadFolder')}
              </button>
              <input
                ref={fileInput}
                class="file-input"
                type="file"
                multiple
                tabIndex={-1}
                aria-hidden="true"
                data-testid="file-input"
                onChange={onFiles}
              />
              <input
                ref={dirInput}
                class="file-input"
                type="file"
                multiple
                tabIndex={-1}
                aria-hidden="true"
                data-testid="folder-input"
                {...{ webkitdirectory: true }}
                onChange={onFiles}
              />
              <input
                ref={versionInput}
                class="file-input"
                type="file"
                tabIndex={-1}
                aria-hidden="true"
                data-testid="version-input"
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  const of = versionFor.current;
                  if (file && of) addUploads([{ file, folderId: of.folderId, name: of.name, versionOf: of.id }]);
                  e.currentTarget.value = '';
                }}
              />
            </div>
          )}
          <SearchBox search={api.search} folderHref={paths.folder} fileHref={paths.file} />
          {folder && (
            <SelectionBar
              folderId={id}
              folderName={folder.name}
              picked={[...state.selection.selected.values()]}
              onMove={(targets) => setDialog({ kind: 'moveMany', targets })}
              onTrash={(targets) => setDialog({ kind: 'trashMany', targets })}
            />
          )}
          <UploadPanel filesHere={filesHere} />
          {!listing && !state.error && <Loading />}
          {folder && (
            // biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the upload button is the keyboard path
            <div
              class={dragging ? 'dropzone dragging' : 'dropzone'}
              data-testid="dropzone"
              {...filesDropZone(setDragging, (e) => void dropOn(id, e))}
            >
              {sorted.folders.length + sorted.files.length === 0 ? (
                <p class="empty">{t('folders.empty')}</p>
              ) : (
                <Listing
                  folderName={folder.name}
                  folders={sorted.folders}
                  files={sorted.files}
                  sort={state.sort}
                  onSort={state.setSort}
                  busyFile={state.busyFile}
                  onMenu={openMenu}
                  onDownload={(f) => void actions.download(f)}
                  onDropOn={(folderId, e) => void dropOn(folderId, e)}
                  selected={state.selection.selected}
                  onPick={state.selection.pick}
                  onPickAll={state.selection.all}
                />
              )}
              <p class="drop-hint">{t('folders.dropHint', { name: folder.name })}</p>
            </div>
          )}
          {listing && (
            <ListEnd
              shown={sorted.folders.length + sorted.files.length}
              hasMore={!!listing.nextCursor}
              loading={state.loadingMore}
              onMore={() => void state.more()}
            />
          )}
          {folder && id !== ROOT && <SharedWith folderId={id} folderName={folder.name} key={id + state.tick} />}
        </div>
      </div>

      {menu && (
        <Menu
          items={menuFor(menu.target)}
          x={menu.x}
          y={menu.y}
          label={t('menu.label', { name: menu.target.item.name })}
          onClose={() => setMenu(undefined)}
        />
      )}
      {dialog && <FolderDialogs dialog={dialog} state={state} onClose={() => setDialog(undefined)} />}
    </section>
  );
}

/** What can be done to the picked rows: one ZIP (of the picked files, or of the whole folder), move, trash. */
function SelectionBar(props: {
  folderId: string;
  folderName: string;
  picked: Target[];
  onMove: (targets: Target[]) => void;
  onTrash: (targets: Target[]) => void;
}) {
  const [state, setState] = useState<{ done: number } | { sent: number } | { error: unknown }>();
  const fileIds = props.picked.filter((x) => x.kind === 'file').map((x) => x.item.id);
  const zip = async (ids?: string[]) => {
    setState({ done: 0 });
    try {
      const { saveZip } = await import('../../zip.ts');
      const fetchPage = (body: api.DownloadsBody) => api.folderDownloads(props.folderId, body);
      const sent = await saveZip(`${props.folderName}.zip`, fetchPage, ids, (done) => setState({ done }));
      setState({ sent });
    } catch (err) {
      setState((err as Error).name === 'AbortError' ? undefined : { error: err });
    }
  };
  const working = !!state && 'done' in state;
  return (
    <div class="zip-bar" data-testid="selection-bar">
      <button type="button" class="btn" disabled={working || !fileIds.length} onClick={() => void zip(fileIds)}>
        {t('browse.downloadSelected', { n: fileIds.length })}
      </button>
      <button type="button" class="btn" disabled={working} onClick={() => void zip()}>
        {t('browse.downloadAll')}
      </button>
      <button type="button" class="btn" disabled={!props.picked.length} onClick={() => props.onMove(props.picked)}>
        {t('folders.moveSelected', { n: props.picked.length })}
      </button>
      <button
        type="button"
        class="btn btn-danger"
        disabled={!props.picked.length}
        onClick={() => props.onTrash(props.picked)}
      >
        {t('folders.trashSelected', { n: props.picked.length })}
      </button>
      <span class="hint" role="status">
        {state && 'done' in state && t('browse.zipping', { n: state.done })}
        {state && 'sent' in state && t('browse.zipped', { n: state.sent })}
      </span>
      {state && 'error' in state && <ErrorMessage error={state.error} />}
    </div>
  );
}

/**
 * The staff folder browser: tree on the left, the listing on the right with
 * breadcrumbs, sort and paging; create, rename, move (menu or drag and
 * drop), trash; uploads by picking or dropping files and folders; a context
 * menu on every folder (right-click or "…"); who the folder is shared with.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, seg } from '../api.ts';
import { Preview } from '../components/Browse.tsx';
import {
  A,
  Breadcrumbs,
  ErrorMessage,
  Loading,
  Menu,
  type MenuItem,
  Notice,
  PageTitle,
  useLang,
} from '../components/ui.tsx';
import { downloadUrl, saveFrom } from '../download.ts';
import { formatDate, formatSize, isPreviewable } from '../format.ts';
import { t } from '../i18n.ts';
import { trail } from '../paths.ts';
import { navigate } from '../router.ts';
import type { FileItem, Folder, Listing } from '../types.ts';
import { ConfirmDialog, MoveDialog, NameDialog, PickUserDialog, SendDialog, ShareDialog } from './dialogs.tsx';
import { ensureFolders, type Picked, pickedFromDrop, pickedFromInput } from './drop.ts';
import { accessHref, to } from './oversight.ts';
import { SharedWith } from './SharedWith.tsx';
import { FolderTree, invalidate, invalidateAll, ROOT } from './tree.tsx';
import { UploadPanel } from './UploadPanel.tsx';
import { addUploads, onUploadDone } from './uploads.ts';

type Target =
  | { kind: 'folder'; item: Pick<Folder, 'id' | 'name' | 'version' | 'parentId'> }
  | { kind: 'file'; item: FileItem };
type DialogState =
  | { kind: 'new' }
  | { kind: 'rename' | 'move' | 'trash'; target: Target }
  | { kind: 'send' | 'share' | 'viewAs'; folder: { id: string; name: string } }
  | { kind: 'preview'; file: FileItem; url: string; type: 'pdf' | 'image' };

const DRAG_TYPE = 'application/x-carpeta-item';
const PAGE = 200;

let knownRootName = '';

export function FoldersPage({ id }: { id: string }) {
  useLang();
  const [listing, setListing] = useState<Listing>();
  const [error, setError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [tick, setTick] = useState(0);
  const [sort, setSort] = useState<{ key: 'name' | 'size' | 'date'; dir: 1 | -1 }>({ key: 'name', dir: 1 });
  const [menu, setMenu] = useState<{ target: Target; x: number; y: number }>();
  const [dialog, setDialog] = useState<DialogState>();
  const [notice, setNotice] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const [dropTarget, setDropTarget] = useState<string>();
  const [busyFile, setBusyFile] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);
  const versionInput = useRef<HTMLInputElement>(null);
  const versionFor = useRef<FileItem | undefined>(undefined);

  const reload = () => setTick((n) => n + 1);

  useEffect(() => {
    const ctl = new AbortController();
    setError(undefined);
    if (listing && listing.folder.id !== id) {
      setListing(undefined);
      setNotice(undefined);
    }
    api<Listing>(id === ROOT ? '/folders/root' : `/folders/${seg(id)}`, {
      query: { limit: PAGE },
      signal: ctl.signal,
    }).then(
      (l) => {
        if (ctl.signal.aborted) return;
        if (l.path?.[0]?.id === ROOT) knownRootName = l.path[0].name;
        else if (id === ROOT) knownRootName = l.folder.name;
        setListing(l);
      },
      (err) => !ctl.signal.aborted && setError(err),
    );
    return () => ctl.abort();
  }, [id, tick]);

  // A finished upload into this folder shows up in the listing.
  useEffect(
    () =>
      onUploadDone((it) => {
        if (it.folderId === id || it.result?.folderId === id) {
          invalidate(id);
          reload();
        }
      }),
    [id],
  );

  const more = async () => {
    if (!listing?.nextCursor) return;
    setLoadingMore(true);
    try {
      const next = await api<Listing>(id === ROOT ? '/folders/root' : `/folders/${seg(id)}`, {
        query: { limit: PAGE, cursor: listing.nextCursor },
      });
      setListing({
        ...listing,
        folders: [...listing.folders, ...next.folders],
        files: [...listing.files, ...next.files],
        nextCursor: next.nextCursor,
      });
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const sorted = useMemo(() => {
    if (!listing) return { folders: [] as Folder[], files: [] as FileItem[] };
    const coll = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const by = <T extends { name: string; updatedAt: string; size?: number }>(a: T, b: T) => {
      const d =
        sort.key === 'name'
          ? coll.compare(a.name, b.name)
          : sort.key === 'size'
            ? (a.size ?? 0) - (b.size ?? 0)
            : a.updatedAt.localeCompare(b.updatedAt);
      return d * sort.dir || coll.compare(a.name, b.name);
    };
    return { folders: [...listing.folders].sort(by), files: [...listing.files].sort(by) };
  }, [listing, sort]);

  const rootName = knownRootName || t('folders.root');
  const folder = listing?.folder.id === id ? listing.folder : undefined;
  const path = listing && folder ? trail(listing.path, folder) : [];

  // ---- actions ----
  const patch = async (target: Target, body: Record<string, unknown>) => {
    const url = target.kind === 'folder' ? `/folders/${seg(target.item.id)}` : `/files/${seg(target.item.id)}`;
    try {
      return await api<Folder | FileItem>(url, { method: 'PATCH', body: { ...body, version: target.item.version } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.field === 'parentId')
        throw new ApiError(400, 'into_itself', t('folders.intoItself'), 'parentId');
      throw err;
    }
  };
  const parentOf = (target: Target) => (target.kind === 'folder' ? target.item.parentId : target.item.folderId);

  const createFolder = async (name: string) => {
    const f = await api<Folder>('/folders', { method: 'POST', body: { parentId: id, name } });
    invalidate(id);
    setDialog(undefined);
    setNotice(t('folders.created', { name: f.name }));
    reload();
  };
  const rename = (target: Target) => async (name: string) => {
    const r = await patch(target, { name });
    invalidateAll();
    setDialog(undefined);
    setNotice(t('folders.renamed', { name: r.name }));
    reload();
  };
  const move = async (target: Target, dest: string) => {
    if (dest === parentOf(target) || dest === target.item.id) return;
    await patch(target, target.kind === 'folder' ? { parentId: dest } : { folderId: dest });
    invalidateAll();
    setDialog(undefined);
    setNotice(t('folders.moved', { name: target.item.name }));
    reload();
  };
  const trash = (target: Target) => async () => {
    await api(target.kind === 'folder' ? `/folders/${seg(target.item.id)}` : `/files/${seg(target.item.id)}`, {
      method: 'DELETE',
    });
    invalidateAll();
    setDialog(undefined);
    setNotice(t('folders.trashed', { name: target.item.name }));
    if (target.item.id === id)
      navigate(
        target.kind === 'folder' && target.item.parentId && target.item.parentId !== ROOT
          ? `/admin/folders/${seg(target.item.parentId)}`
          : '/admin/folders',
      );
    else reload();
  };
  const download = async (f: FileItem) => {
    setBusyFile(f.id);
    setError(undefined);
    try {
      saveFrom(await downloadUrl(`/files/${seg(f.id)}/download`, 'attachment'));
    } catch (err) {
      setError(err);
    } finally {
      setBusyFile(undefined);
    }
  };
  const preview = async (f: FileItem, type: 'pdf' | 'image') => {
    try {
      setDialog({ kind: 'preview', file: f, type, url: await downloadUrl(`/files/${seg(f.id)}/download`, 'inline') });
    } catch (err) {
      setError(err);
    }
  };
  const upload = async (picked: Picked[]) => {
    if (!picked.length) return;
    setError(undefined);
    try {
      const where = await ensureFolders(id, picked);
      if (picked.some((p) => p.dirs.length)) reload();
      addUploads(picked.map((p) => ({ file: p.file, folderId: where.get(p)! })));
    } catch (err) {
      setError(err);
    }
  };

  const menuFor = (target: Target): MenuItem[] => {
    if (target.kind === 'folder') {
      const f = { id: target.item.id, name: target.item.name };
      return [
        { label: t('menu.send'), onSelect: () => setDialog({ kind: 'send', folder: f }) },
        { label: t('menu.share'), onSelect: () => setDialog({ kind: 'share', folder: f }) },
        { label: t('menu.viewAs'), onSelect: () => setDialog({ kind: 'viewAs', folder: f }) },
        { label: t('menu.activity'), onSelect: () => navigate(`/admin/activity?folderId=${encodeURIComponent(f.id)}`) },
        { label: to('access.link'), onSelect: () => navigate(accessHref({ folderId: f.id })) },
        { label: t('menu.rename'), onSelect: () => setDialog({ kind: 'rename', target }) },
        { label: t('menu.move'), onSelect: () => setDialog({ kind: 'move', target }) },
        { label: t('menu.trash'), onSelect: () => setDialog({ kind: 'trash', target }), danger: true },
      ];
    }
    const f = target.item;
    const kind = isPreviewable(f.contentType, f.name);
    return [
      { label: t('menu.download'), onSelect: () => void download(f) },
      ...(kind ? [{ label: t('common.preview'), onSelect: () => void preview(f, kind) }] : []),
      {
        label: t('menu.newVersion'),
        onSelect: () => {
          versionFor.current = f;
          versionInput.current?.click();
        },
      },
      { label: t('menu.versions'), onSelect: () => navigate(`/admin/files/${seg(f.id)}`) },
      { label: t('menu.rename'), onSelect: () => setDialog({ kind: 'rename', target }) },
      { label: t('menu.move'), onSelect: () => setDialog({ kind: 'move', target }) },
      { label: t('menu.trash'), onSelect: () => setDialog({ kind: 'trash', target }), danger: true },
    ];
  };
  const openMenu = (target: Target, e: MouseEvent) => {
    e.preventDefault();
    const el = e.currentTarget as HTMLElement;
    if (e.type === 'contextmenu') setMenu({ target, x: e.clientX, y: e.clientY });
    else {
      const r = el.getBoundingClientRect();
      setMenu({ target, x: r.left, y: r.bottom + 4 });
    }
  };

  // ---- drag and drop: internal moves and files from the desktop ----
  const isInternal = (e: DragEvent) => !!e.dataTransfer?.types.includes(DRAG_TYPE);
  const isFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes('Files');
  const dragStart = (target: Target) => (e: DragEvent) => {
    e.dataTransfer!.setData(DRAG_TYPE, JSON.stringify(target));
    e.dataTransfer!.effectAllowed = 'move';
  };
  const dropOn = async (folderId: string, e: DragEvent) => {
    setDropTarget(undefined);
    setDragging(false);
    const raw = e.dataTransfer?.getData(DRAG_TYPE);
    if (raw) {
      try {
        await move(JSON.parse(raw) as Target, folderId);
      } catch (err) {
        setError(err);
      }
    } else if (isFiles(e) && e.dataTransfer) {
      const picked = await pickedFromDrop(e.dataTransfer);
      if (folderId === id) void upload(picked);
      else {
        try {
          const where = await ensureFolders(folderId, picked);
          addUploads(picked.map((p) => ({ file: p.file, folderId: where.get(p)! })));
        } catch (err) {
          setError(err);
        }
      }
    }
  };
  const rowDrop = (folderId: string) => ({
    onDragOver: (e: DragEvent) => {
      if (isInternal(e) || isFiles(e)) {
        e.preventDefault();
        e.stopPropagation();
        setDropTarget(folderId);
      }
    },
    onDragLeave: () => setDropTarget((d) => (d === folderId ? undefined : d)),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      e.stopPropagation();
      void dropOn(folderId, e);
    },
  });

  const sortButton = (key: 'name' | 'size' | 'date', label: string) => (
    <button
      type="button"
      onClick={() => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }))}
      aria-label={t('common.sortBy', { column: label })}
    >
      {label} {sort.key === key ? (sort.dir === 1 ? '▲' : '▼') : ''}
    </button>
  );
  const ariaSort = (key: string) => (sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined);
  const currentTarget: Target | undefined = folder && id !== ROOT ? { kind: 'folder', item: folder } : undefined;
  const filesHere = (folderId: string) => (folderId === id ? (listing?.files ?? []) : []);

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
              setMenu({
                target: { kind: 'folder', item: { id: f.id, name: f.name, version: -1, parentId: null } },
                x,
                y,
              })
            }
            canDrop={(e) => isInternal(e)}
            onDropOn={(folderId, e) => void dropOn(folderId, e)}
          />
        </details>
        <div class="content">
          {folder && (
            <Breadcrumbs
              path={path.map((p, i) => (i === 0 && p.id === ROOT ? { ...p, name: p.name || rootName } : p))}
              hrefFor={(p) => (p.id === ROOT ? '/admin/folders' : `/admin/folders/${seg(p.id)}`)}
            />
          )}
          <div class="page-head">
            <PageTitle title={folder?.name ?? t('folders.title')}>{folder?.name ?? t('folders.title')}</PageTitle>
            {currentTarget && (
              <button
                type="button"
                class="btn"
                aria-haspopup="menu"
                aria-label={t('common.more', { name: currentTarget.item.name })}
                onClick={(e) => openMenu(currentTarget, e)}
              >
                …
              </button>
            )}
          </div>
          {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
          <ErrorMessage error={error} notYet={!listing} onRetry={!listing ? reload : undefined} />
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
                onChange={(e) => {
                  const files = e.currentTarget.files;
                  if (files) void upload(pickedFromInput(files));
                  e.currentTarget.value = '';
                }}
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
                onChange={(e) => {
                  const files = e.currentTarget.files;
                  if (files) void upload(pickedFromInput(files));
                  e.currentTarget.value = '';
                }}
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
          <UploadPanel filesHere={filesHere} />
          {!listing && !error && <Loading />}
          {folder && (
            // biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the upload button is the keyboard path
            <div
              class={dragging ? 'dropzone dragging' : 'dropzone'}
              data-testid="dropzone"
              onDragOver={(e) => {
                if (isFiles(e)) {
                  e.preventDefault();
                  setDragging(true);
                }
              }}
              onDragLeave={(e) => {
                if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node)) setDragging(false);
              }}
              onDrop={(e) => {
                if (!isFiles(e)) return;
                e.preventDefault();
                void dropOn(id, e);
              }}
            >
              {sorted.folders.length + sorted.files.length === 0 ? (
                <p class="empty">{t('folders.empty')}</p>
              ) : (
                <table class="listing" data-testid="listing">
                  <caption class="visually-hidden">{t('folders.listing', { name: folder.name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col" aria-sort={ariaSort('name')}>
                        {sortButton('name', t('common.name'))}
                      </th>
                      <th scope="col" class="col-size" aria-sort={ariaSort('size')}>
                        {sortButton('size', t('common.size'))}
                      </th>
                      <th scope="col" class="col-date" aria-sort={ariaSort('date')}>
                        {sortButton('date', t('common.modified'))}
                      </th>
                      <th scope="col">
                        <span class="visually-hidden">{t('common.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.folders.map((f) => {
                      const target: Target = { kind: 'folder', item: f };
                      return (
                        <tr
                          key={f.id}
                          draggable
                          class={dropTarget === f.id ? 'drop-target' : undefined}
                          onDragStart={dragStart(target)}
                          onContextMenu={(e) => openMenu(target, e)}
                          {...rowDrop(f.id)}
                          data-testid="folder-row"
                        >
                          <td class="name">
                            <A href={`/admin/folders/${seg(f.id)}`}>
                              <span class="icon icon-folder" aria-hidden="true" />
                              {f.name}
                            </A>
                          </td>
                          <td class="num col-size" />
                          <td class="num col-date">{formatDate(f.updatedAt)}</td>
                          <td class="act">
                            <button
                              type="button"
                              class="btn btn-quiet"
                              aria-haspopup="menu"
                              aria-label={t('common.more', { name: f.name })}
                              onClick={(e) => openMenu(target, e)}
                            >
                              …
                            </button>
                          </td>
                        </tr>
                      );
                    })}
                    {sorted.files.map((f) => {
                      const target: Target = { kind: 'file', item: f };
                      return (
                        <tr
                          key={f.id}
                          draggable
                          onDragStart={dragStart(target)}
                          onContextMenu={(e) => openMenu(target, e)}
                          data-testid="file-row"
                        >
                          <td class="name">
                            <A href={`/admin/files/${seg(f.id)}`}>
                              <span class="icon icon-file" aria-hidden="true" />
                              {f.name}
                            </A>
                          </td>
                          <td class="num col-size">{formatSize(f.size)}</td>
                          <td class="num col-date">{formatDate(f.updatedAt)}</td>
                          <td class="act">
                            <button
                              type="button"
                              class="btn btn-quiet"
                              disabled={busyFile === f.id}
                              aria-label={`${t('common.download')}: ${f.name}`}
                              onClick={() => void download(f)}
                            >
                              ↓
                            </button>
                            <button
                              type="button"
                              class="btn btn-quiet"
                              aria-haspopup="menu"
                              aria-label={t('common.more', { name: f.name })}
                              onClick={(e) => openMenu(target, e)}
                            >
                              …
                            </button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )}
              <p class="drop-hint">{t('folders.dropHint', { name: folder.name })}</p>
            </div>
          )}
          {listing?.nextCursor && (
            <button type="button" class="btn" disabled={loadingMore} onClick={() => void more()}>
              {t('common.loadMore')}
            </button>
          )}
          {folder && id !== ROOT && <SharedWith folderId={id} key={id + tick} />}
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
      {dialog?.kind === 'new' && folder && (
        <NameDialog
          title={t('folders.newTitle', { name: folder.name })}
          label={t('common.name')}
          submitLabel={t('folders.new')}
          onSubmit={createFolder}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'rename' && (
        <NameDialog
          title={t('folders.renameTitle')}
          label={t('common.name')}
          initial={dialog.target.item.name}
          submitLabel={t('common.save')}
          onSubmit={(name) => withFresh(dialog.target, (fresh) => rename(fresh)(name))}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'move' && (
        <MoveDialog
          name={dialog.target.item.name}
          rootName={rootName}
          disabledIds={dialog.target.kind === 'folder' ? [dialog.target.item.id] : []}
          onMove={(dest) => withFresh(dialog.target, (t2) => move(t2, dest))}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'trash' && (
        <ConfirmDialog
          title={t('folders.trashTitle')}
          text={t(dialog.target.kind === 'folder' ? 'folders.trashConfirm' : 'folders.trashFileConfirm', {
            name: dialog.target.item.name,
          })}
          confirmLabel={t('menu.trash')}
          danger
          onConfirm={trash(dialog.target)}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'send' && (
        <SendDialog folder={dialog.folder} onSent={() => reload()} onClose={() => setDialog(undefined)} />
      )}
      {dialog?.kind === 'share' && (
        <ShareDialog
          folder={dialog.folder}
          onShared={(u) => {
            setDialog(undefined);
            setNotice(t('share.done', { name: u.name || u.email }));
            reload();
          }}
          onCreateUser={() => navigate(`/admin/webusers?new=1&folderId=${encodeURIComponent(dialog.folder.id)}`)}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'viewAs' && (
        <PickUserDialog
          title={t('viewAs.title')}
          intro={t('viewAs.pickIntro')}
          actionLabel={t('viewAs.start')}
          onPick={(u) => navigate(`/admin/view-as/${seg(u.id)}`)}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'preview' && (
        <Preview
          file={dialog.file}
          url={dialog.url}
          kind={dialog.type}
          onClose={() => setDialog(undefined)}
          onDownload={() => void download(dialog.file)}
        />
      )}
    </section>
  );

  /** Tree nodes carry no version: read the folder before changing it. */
  async function withFresh(target: Target, fn: (t: Target) => Promise<void>): Promise<void> {
    if (target.kind === 'folder' && target.item.version < 0) {
      const l = await api<Listing>(`/folders/${seg(target.item.id)}`, { query: { limit: 1 } });
      return fn({ kind: 'folder', item: l.folder });
    }
    return fn(target);
  }
}

/**
 * The folder browser's state: the listing of one folder (paged, sorted), the notice and error the page
 * shows, and what can be done to what is in it (create, rename, move, trash, download, preview,
 * upload). FolderBrowser.tsx draws it; nothing here draws.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import * as api from '../../api.ts';
import { saveFrom } from '../../download.ts';
import { t } from '../../i18n/index.ts';
import { trail } from '../../paths.ts';
import { navigate } from '../../router.ts';
import { paths } from '../../routes.ts';
import type { PathItem, StaffFile, StaffFolder, StaffListing } from '../../types.ts';
import { ensureFolders, type Picked } from '../drop.ts';
import { invalidate, invalidateAll, ROOT } from '../tree.tsx';
import { addUploads, onUploadDone } from '../uploads.ts';

/** A folder or a file the menus, dialogs and drags act on. Tree nodes carry no version (-1). */
export type Target =
  | { kind: 'folder'; item: Pick<StaffFolder, 'id' | 'name' | 'version' | 'parentId'> }
  | { kind: 'file'; item: StaffFile };

export type SortKey = 'name' | 'size' | 'date';
export interface Sort {
  key: SortKey;
  dir: 1 | -1;
}

const PAGE = 200;
const SERVER_SORT = { name: 'name', size: 'size', date: 'modified' } as const;
let knownRootName = '';

export function useFolder(id: string) {
  const [listing, setListing] = useState<StaffListing>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [sort, setSort] = useState<Sort>({ key: 'name', dir: 1 });
  const [busyFile, setBusyFile] = useState<string>();
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);

  // The server sorts the whole folder (folders first); the cursor of "load more" is valid for that order.
  const order = { sort: SERVER_SORT[sort.key], order: sort.dir === 1 ? 'asc' : 'desc' } as const;

  useEffect(() => {
    const ctl = new AbortController();
    setError(undefined);
    if (listing && listing.folder.id !== id) {
      setListing(undefined);
      setNotice(undefined);
    }
    setSelected(new Map());
    api.getFolder(id, { limit: PAGE, signal: ctl.signal, ...order }).then(
      (l) => {
        if (ctl.signal.aborted) return;
        if (l.path[0]?.id === ROOT) knownRootName = l.path[0].name;
        else if (id === ROOT) knownRootName = l.folder.name;
        setListing(l);
      },
      (err) => !ctl.signal.aborted && setError(err),
    );
    return () => ctl.abort();
  }, [id, tick, sort.key, sort.dir]);

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

  const sorted = useMemo(
    () => ({ folders: listing?.folders ?? ([] as StaffFolder[]), files: listing?.files ?? ([] as StaffFile[]) }),
    [listing],
  );

  // The rows picked with their checkboxes (folders and files), in the order of the listing.
  const [selected, setSelected] = useState<Map<string, Target>>(new Map());
  const anchor = useRef(-1);
  const rows: Target[] = useMemo(
    () => [
      ...sorted.folders.map((item): Target => ({ kind: 'folder', item })),
      ...sorted.files.map((item): Target => ({ kind: 'file', item })),
    ],
    [sorted],
  );
  const selection = {
    selected,
    /** A click picks one row; a shift-click the range from the last row clicked. */
    pick(index: number, shift: boolean, on: boolean) {
      const next = new Map(selected);
      const [from, to] =
        shift && anchor.current >= 0
          ? [Math.min(anchor.current, index), Math.max(anchor.current, index)]
          : [index, index];
      for (let k = from; k <= to; k++) on ? next.set(rows[k].item.id, rows[k]) : next.delete(rows[k].item.id);
      anchor.current = index;
      setSelected(next);
    },
    all(on: boolean) {
      setSelected(new Map(on ? rows.map((r) => [r.item.id, r]) : []));
    },
    clear: () => setSelected(new Map()),
  };

  const rootName = knownRootName || t('folders.root');
  const folder = listing?.folder.id === id ? listing.folder : undefined;
  const path: PathItem[] = listing && folder ? trail(listing.path, folder) : [];

  const more = async () => {
    if (!listing?.nextCursor) return;
    setLoadingMore(true);
    try {
      const next = await api.getFolder(id, { limit: PAGE, cursor: listing.nextCursor, ...order });
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

  /** Tree nodes carry no version: read the folder before changing it. */
  const fresh = async (target: Target): Promise<Target> => {
    if (target.kind === 'folder' && target.item.version < 0)
      return { kind: 'folder', item: (await api.getFolder(target.item.id, { limit: 1 })).folder };
    return target;
  };
  const parentOf = (target: Target) => (target.kind === 'folder' ? target.item.parentId : target.item.folderId);

  const actions = {
    async createFolder(name: string) {
      const f = await api.createFolder(id, name);
      invalidate(id);
      setNotice(t('folders.created', { name: f.name }));
      reload();
    },
    async rename(target: Target, name: string) {
      const x = await fresh(target);
      const r =
        x.kind === 'folder'
          ? await api.updateFolder(x.item.id, { name, version: x.item.version })
          : await api.updateFile(x.item.id, { name, version: x.item.version });
      invalidateAll();
      setNotice(t('folders.renamed', { name: r.name }));
      reload();
    },
    async move(target: Target, dest: string) {
      if (dest === parentOf(target) || dest === target.item.id) return;
      const x = await fresh(target);
      if (x.kind === 'folder') await api.updateFolder(x.item.id, { parentId: dest, version: x.item.version });
      else await api.updateFile(x.item.id, { folderId: dest, version: x.item.version });
      invalidateAll();
      setNotice(t('folders.moved', { name: x.item.name }));
      reload();
    },
    async trash(target: Target) {
      await (target.kind === 'folder' ? api.trashFolder(target.item.id) : api.trashFile(target.item.id));
      invalidateAll();
      setNotice(t('folders.trashed', { name: target.item.name }));
      if (target.item.id === id)
        navigate(paths.folder(target.kind === 'folder' && target.item.parentId ? target.item.parentId : ROOT));
      else reload();
    },
    /** Each picked row moved with the one-item route, in turn; the notice says how many. */
    async moveMany(targets: Target[], dest: string) {
      let moved = 0;
      try {
        for (const target of targets) {
          if (dest === parentOf(target) || dest === target.item.id) continue;
          const x = await fresh(target);
          if (x.kind === 'folder') await api.updateFolder(x.item.id, { parentId: dest, version: x.item.version });
          else await api.updateFile(x.item.id, { folderId: dest, version: x.item.version });
          moved++;
        }
      } finally {
        invalidateAll();
        setNotice(t('folders.movedMany', { n: moved }));
        reload();
      }
    },
    async trashMany(targets: Target[]) {
      let trashed = 0;
      try {
        for (const target of targets) {
          await (target.kind === 'folder' ? api.trashFolder(target.item.id) : api.trashFile(target.item.id));
          trashed++;
        }
      } finally {
        invalidateAll();
        setNotice(t('folders.trashedMany', { n: trashed }));
        reload();
      }
    },
    async download(f: StaffFile) {
      setBusyFile(f.id);
      setError(undefined);
      try {
        saveFrom((await api.staffDownload(f.id, 'attachment')).url);
      } catch (err) {
        setError(err);
      } finally {
        setBusyFile(undefined);
      }
    },
    /** A short-lived inline URL for the preview dialog (recorded as a look, not a download). */
    async previewUrl(f: StaffFile): Promise<string | undefined> {
      setError(undefined);
      try {
        return (await api.staffDownload(f.id, 'inline')).url;
      } catch (err) {
        setError(err);
        return undefined;
      }
    },
    /** Files (and their folders) picked or dropped, into this folder or another one. */
    async upload(picked: Picked[], into = id) {
      if (!picked.length) return;
      setError(undefined);
      try {
        const where = await ensureFolders(into, picked);
        if (into === id && picked.some((p) => p.dirs.length)) reload();
        addUploads(picked.map((p) => ({ file: p.file, folderId: where.get(p)! })));
      } catch (err) {
        setError(err);
      }
    },
  };

  return {
    listing,
    folder,
    path,
    rootName,
    sorted,
    sort,
    setSort,
    selection,
    error,
    setError,
    notice,
    setNotice,
    loadingMore,
    more,
    reload,
    tick,
    busyFile,
    actions,
  };
}

export type FolderState = ReturnType<typeof useFolder>;

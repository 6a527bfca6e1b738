/** The folder tree (lazy, cached), used by the browser's side panel and by folder pickers. */
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { A, useLang } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { paths } from '../routes.ts';
import type { StaffFile, StaffFolder } from '../types.ts';

export const ROOT = api.ROOT;

const cache = new Map<string, Promise<StaffFolder[]>>();
const listeners = new Set<() => void>();

/** A folder's children (every page), as the pickers search them. */
export interface Children {
  folders: StaffFolder[];
  files: StaffFile[];
}
const contents = new Map<string, Promise<Children>>();

/** Sub-folders and files of a folder (every page), cached until invalidated. */
export function childrenOf(id: string): Promise<Children> {
  let p = contents.get(id);
  if (!p) {
    p = (async () => {
      const out: Children = { folders: [], files: [] };
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await api.getFolder(id, { cursor, limit: 1000 });
        out.folders.push(...page.folders);
        out.files.push(...page.files);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return out;
    })();
    p.catch(() => contents.delete(id));
    contents.set(id, p);
  }
  return p;
}

/** Sub-folders of a folder (every page), cached until invalidated. */
export function subfolders(id: string): Promise<StaffFolder[]> {
  let p = cache.get(id);
  if (!p) {
    p = childrenOf(id).then((c) => c.folders);
    p.catch(() => cache.delete(id));
    cache.set(id, p);
  }
  return p;
}

/** Forget cached children of these folders (after a create, rename, move or trash). */
export function invalidate(...ids: Array<string | null | undefined>): void {
  for (const id of ids)
    if (id) {
      cache.delete(id);
      contents.delete(id);
    }
  for (const fn of listeners) fn();
}

export function invalidateAll(): void {
  cache.clear();
  contents.clear();
  for (const fn of listeners) fn();
}

function useSubfolders(id: string, open: boolean): StaffFolder[] | undefined {
  const [list, setList] = useState<StaffFolder[]>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((n) => n + 1);
    listeners.add(fn);
    return () => void listeners.delete(fn);
  }, []);
  useEffect(() => {
    if (!open) return;
    let live = true;
    subfolders(id).then(
      (l) => live && setList(l),
      () => live && setList([]),
    );
    return () => {
      live = false;
    };
  }, [id, open, tick]);
  return list;
}

export interface TreeProps {
  rootName: string;
  /** The folder shown on the right; its ancestors start expanded. */
  currentId?: string;
  openIds?: string[];
  onContextMenu?: (f: { id: string; name: string }, x: number, y: number) => void;
  onDropOn?: (folderId: string, e: DragEvent) => void;
  canDrop?: (e: DragEvent) => boolean;
}

/** Side-panel tree: links to folders, a toggle per node, drop targets for moving. */
export function FolderTree(props: TreeProps) {
  useLang();
  return (
    <ul class="tree" aria-label={t('folders.tree')}>
      <TreeNode id={ROOT} name={props.rootName} depth={0} props={props} />
    </ul>
  );
}

function TreeNode({ id, name, depth, props }: { id: string; name: string; depth: number; props: TreeProps }) {
  const [open, setOpen] = useState(depth === 0 || (props.openIds ?? []).includes(id));
  useEffect(() => {
    if ((props.openIds ?? []).includes(id)) setOpen(true);
  }, [props.openIds?.join('/')]);
  const [over, setOver] = useState(false);
  const children = useSubfolders(id, open);
  const href = paths.folder(id);
  const hasKids = children === undefined || children.length > 0;
  return (
    <li>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the menu's Move is the keyboard path */}
      <div
        class={over ? 'tree-row drop-target' : 'tree-row'}
        onDragOver={(e) => {
          if (props.canDrop?.(e)) {
            e.preventDefault();
            setOver(true);
          }
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          setOver(false);
          if (props.canDrop?.(e)) {
            e.preventDefault();
            props.onDropOn?.(id, e);
          }
        }}
      >
        {hasKids ? (
          <button
            type="button"
            class="tree-toggle"
            aria-expanded={open}
            aria-label={t(open ? 'folders.collapse' : 'folders.expand', { name })}
            onClick={() => setOpen(!open)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span class="tree-spacer" />
        )}
        <A
          href={href}
          aria-current={props.currentId === id ? 'page' : undefined}
          onContextMenu={(e) => {
            if (id === ROOT || !props.onContextMenu) return;
            e.preventDefault();
            props.onContextMenu({ id, name }, e.clientX, e.clientY);
          }}
        >
          {name}
        </A>
      </div>
      {open && children && children.length > 0 && (
        <ul>
          {children.map((c) => (
            <TreeNode key={c.id} id={c.id} name={c.name} depth={depth + 1} props={props} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Choose a folder (move destination, folders to grant): buttons, one selected. */
export function FolderPicker({
  rootName,
  selected,
  onSelect,
  disabledIds = [],
  allowRoot = true,
}: {
  rootName: string;
  selected?: string;
  onSelect: (f: { id: string; name: string }) => void;
  disabledIds?: string[];
  allowRoot?: boolean;
}) {
  useLang();
  return (
    <div class="picker">
      <ul class="tree">
        <PickNode
          id={ROOT}
          name={rootName}
          depth={0}
          selected={selected}
          onSelect={onSelect}
          disabledIds={disabledIds}
          allowRoot={allowRoot}
        />
      </ul>
    </div>
  );
}

function PickNode({
  id,
  name,
  depth,
  selected,
  onSelect,
  disabledIds,
  allowRoot,
}: {
  id: string;
  name: string;
  depth: number;
  selected?: string;
  onSelect: (f: { id: string; name: string }) => void;
  disabledIds: string[];
  allowRoot: boolean;
}) {
  const [open, setOpen] = useState(depth === 0);
  const children = useSubfolders(id, open);
  const disabled = disabledIds.includes(id);
  const hasKids = !disabled && (children === undefined || children.length > 0);
  return (
    <li>
      <div class="tree-row">
        {hasKids ? (
          <button
            type="button"
            class="tree-toggle"
            aria-expanded={open}
            aria-label={t(open ? 'folders.collapse' : 'folders.expand', { name })}
            onClick={() => setOpen(!open)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span class="tree-spacer" />
        )}
        <button
          type="button"
          class="btn btn-quiet grow"
          aria-pressed={selected === id}
          disabled={disabled || (id === ROOT && !allowRoot)}
          onClick={() => onSelect({ id, name })}
        >
          {name}
        </button>
      </div>
      {open && !disabled && children && children.length > 0 && (
        <ul>
          {children.map((c) => (
            <PickNode
              key={c.id}
              id={c.id}
              name={c.name}
              depth={depth + 1}
              selected={selected}
              onSelect={onSelect}
              disabledIds={disabledIds}
              allowRoot={allowRoot}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

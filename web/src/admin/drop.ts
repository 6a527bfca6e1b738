/** Files (and, where the browser allows, whole folders) from a drop or a folder picker. */
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import type { Folder } from '../types.ts';
import { invalidate } from './tree.tsx';

export const isFilesDrag = (e: DragEvent) => !!e.dataTransfer?.types.includes('Files');

/**
 * A drop zone's handlers for files from the desktop: `setDragging(true)` while files are over it (false
 * when they leave it, not when they cross into a child), `onFiles` with the drop.
 */
export function filesDropZone(setDragging: (on: boolean) => void, onFiles: (e: DragEvent) => void) {
  return {
    onDragOver: (e: DragEvent) => {
      if (!isFilesDrag(e)) return;
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave: (e: DragEvent) => {
      if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node)) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      if (!isFilesDrag(e)) return;
      e.preventDefault();
      onFiles(e);
    },
  };
}

export interface Picked {
  file: File;
  /** Folder names between the drop target and the file ([] for a plain file). */
  dirs: string[];
}

interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (ok: (f: File) => void, fail: (e: unknown) => void) => void;
  createReader?: () => { readEntries: (ok: (list: Entry[]) => void, fail: (e: unknown) => void) => void };
}

async function walk(entry: Entry, dirs: string[], out: Picked[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
    out.push({ file, dirs });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns at most 100 at a time: call until it returns nothing.
    for (;;) {
      const batch = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (!batch.length) break;
      for (const e of batch) await walk(e, [...dirs, entry.name], out);
    }
  }
}

export async function pickedFromDrop(dt: DataTransfer): Promise<Picked[]> {
  const entries: Entry[] = [];
  for (const item of [...dt.items]) {
    if (item.kind !== 'file') continue;
    const entry = (item as DataTransferItem & { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (!entries.length) return [...dt.files].map((file) => ({ file, dirs: [] }));
  const out: Picked[] = [];
  for (const e of entries) await walk(e, [], out);
  return out;
}

export function pickedFromInput(files: FileList): Picked[] {
  return [...files].map((file) => {
    const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
    const parts = rel.split('/').filter(Boolean);
    return { file, dirs: parts.slice(0, -1) };
  });
}

async function findChild(parentId: string, name: string): Promise<Folder | undefined> {
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const l = await api.getFolder(parentId, { cursor, limit: 1000 });
    const hit = l.folders.find((f) => f.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (hit || !l.nextCursor) return hit;
    cursor = l.nextCursor;
  }
  return undefined;
}

/** Create (or reuse) the folder chain for each picked file; returns the folder id each file goes to. */
export async function ensureFolders(baseId: string, picked: Picked[]): Promise<Map<Picked, string>> {
  const byPath = new Map<string, Promise<string>>();
  const folderFor = (dirs: string[]): Promise<string> => {
    if (!dirs.length) return Promise.resolve(baseId);
    const key = dirs.join('/');
    let p = byPath.get(key);
    if (!p) {
      p = folderFor(dirs.slice(0, -1)).then(async (parentId) => {
        const name = dirs[dirs.length - 1];
        try {
          const f = await api.createFolder(parentId, name);
          invalidate(parentId);
          return f.id;
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) {
            const existing = await findChild(parentId, name);
            if (existing) return existing.id;
          }
          throw err;
        }
      });
      byPath.set(key, p);
    }
    return p;
  };
  const out = new Map<Picked, string>();
  for (const p of picked) out.set(p, await folderFor(p.dirs));
  return out;
}

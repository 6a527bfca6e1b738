import type { Folder, PathItem } from './types.ts';

/** The breadcrumb trail ending at the folder itself, whether or not the API's `path` includes it. */
export function trail(path: PathItem[] | undefined, folder: Pick<Folder, 'id' | 'name'>): PathItem[] {
  const p = (path ?? []).map((x) => ({ id: x.id, name: x.name }));
  if (p.length && p[p.length - 1].id === folder.id) return p;
  return [...p, { id: folder.id, name: folder.name }];
}

/** Accept `[...]` or `{ <key>: [...] }` (and a few common keys) for list responses. */
export function listOf<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    for (const k of [...keys, 'items', 'results']) {
      const v = (data as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

export function cursorOf(data: unknown): string | undefined {
  const c = data && typeof data === 'object' ? (data as { nextCursor?: unknown }).nextCursor : undefined;
  return typeof c === 'string' && c ? c : undefined;
}

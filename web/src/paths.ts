import type { Folder, PathItem } from './types.ts';

/** The breadcrumb trail ending at the folder itself, whether or not the API's `path` includes it. */
export function trail(path: PathItem[] | undefined, folder: Pick<Folder, 'id' | 'name'>): PathItem[] {
  const p = (path ?? []).map((x) => ({ id: x.id, name: x.name }));
  if (p.length && p[p.length - 1].id === folder.id) return p;
  return [...p, { id: folder.id, name: folder.name }];
}

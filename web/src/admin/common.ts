import type { PathItem } from '../types.ts';

/** "A / B / C" from names or {id, name} items. */
export function pathLabel(p: ReadonlyArray<PathItem | string>): string {
  return p
    .map((x) => (typeof x === 'string' ? x : x.name))
    .filter(Boolean)
    .join(' / ');
}

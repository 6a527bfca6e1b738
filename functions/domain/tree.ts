/**
 * The folder tree's rules. Every node stores the ids of its ancestors
 * (root..parent). Reads fetch those ancestors in the same round trip as the
 * node's grants and check that the chain still holds: each ancestor's parent
 * is the one before it and none is in the trash. A chain that does not hold
 * (a move still rewriting a subtree, or one that crashed) is never trusted.
 */
import { ROOT_ID } from '../store/keys.ts';

export const MAX_DEPTH = 40;

export interface TreeNode {
  id: string;
  name: string;
  parentId: string;
  ancestors: string[];
  trashedAt?: string;
}

export type ChainState = 'ok' | 'trashed' | 'stale';

/** `byId` holds the fetched ancestor folders (missing = gone). */
export function checkChain(node: TreeNode, byId: Map<string, TreeNode>): ChainState {
  if (node.trashedAt) return 'trashed';
  const chain = node.ancestors;
  if (chain[0] !== ROOT_ID) return 'stale';
  if (chain[chain.length - 1] !== node.parentId) return 'stale';
  for (let i = 1; i < chain.length; i++) {
    const a = byId.get(chain[i]);
    if (!a) return 'stale';
    if (a.trashedAt) return 'trashed';
    if (a.parentId !== chain[i - 1]) return 'stale';
  }
  return 'ok';
}

/** Breadcrumbs from `from` (inclusive; default the root) down to the node itself. */
export function breadcrumbs(
  node: { id: string; name: string; ancestors: string[] },
  byId: Map<string, { name: string }>,
  rootName: string,
  from = ROOT_ID,
): Array<{ id: string; name: string }> {
  const ids = [...node.ancestors, node.id];
  const start = ids.indexOf(from);
  if (start < 0) return [];
  return ids
    .slice(start)
    .map((id) => ({ id, name: id === node.id ? node.name : id === ROOT_ID ? rootName : (byId.get(id)?.name ?? '') }));
}

/** A folder may not move into itself or anything beneath it. */
export function isInsideSubtree(folderId: string, target: { id: string; ancestors: string[] }): boolean {
  return target.id === folderId || target.ancestors.includes(folderId);
}

export function childAncestors(parent: { id: string; ancestors: string[] }): string[] {
  return [...parent.ancestors, parent.id];
}

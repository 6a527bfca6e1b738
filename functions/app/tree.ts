/**
 * Reading a node together with its ancestry: one BatchGet brings the ancestor
 * folders (and, for clients, their grants) so the chain check and the
 * breadcrumbs cost one round trip. A stale chain (a move still rewriting the
 * subtree, or one that crashed half-way) is resolved by walking parent
 * pointers and repaired, so it heals on first read.
 */
import { checkChain, type ChainState } from '../domain/tree.ts';
import { folderKeys, ROOT_ID } from '../store/keys.ts';
import { fromItem, getFolder, getMany, setAncestors, type FolderNode, type Node } from '../store/nodes.ts';

export interface Chain {
  state: ChainState;
  /** Ancestors that hold (root..parent). */
  ancestors: string[];
  byId: Map<string, FolderNode>;
}

export const parentOf = (n: Node) => (n.kind === 'folder' ? n.parentId : n.folderId);

/** Builds the chain state from already-fetched items (no I/O). */
function chainFrom(node: Node, items: Map<string, Record<string, any>>): Chain {
  const byId = new Map<string, FolderNode>();
  for (const id of node.ancestors) {
    const item = items.get(`${folderKeys.node(id).PK}|META`);
    if (item) byId.set(id, fromItem<FolderNode>(item)!);
  }
  const state = checkChain(
    { id: node.id, name: node.name, parentId: parentOf(node), ancestors: node.ancestors, trashedAt: node.trashedAt },
    byId,
  );
  return { state, ancestors: node.ancestors, byId };
}

export const ancestorKeys = (node: Node) =>
  node.ancestors.filter((id) => id !== ROOT_ID).map((id) => folderKeys.node(id));

/** Walks parent pointers up to the root; slow, only for stale chains. */
async function walkUp(
  node: Node,
): Promise<{ ancestors: string[]; byId: Map<string, FolderNode>; trashed: boolean } | undefined> {
  const byId = new Map<string, FolderNode>();
  const up: string[] = [];
  let current = parentOf(node);
  for (let depth = 0; current !== ROOT_ID; depth++) {
    if (depth > 100) return undefined;
    const f = await getFolder(current);
    if (!f) return undefined;
    if (f.trashedAt) return { ancestors: [], byId, trashed: true };
    byId.set(f.id, f);
    up.unshift(f.id);
    current = f.parentId;
  }
  return { ancestors: [ROOT_ID, ...up], byId, trashed: false };
}

/** The node's true chain: the stored one when it holds, else the walked one (and the node is repaired). */
export async function resolveChain(node: Node, items?: Map<string, Record<string, any>>): Promise<Chain> {
  const fetched = items ?? (await getMany(ancestorKeys(node)));
  const chain = chainFrom(node, fetched);
  if (chain.state !== 'stale') return chain;
  const walked = await walkUp(node);
  if (!walked) return { state: 'stale', ancestors: node.ancestors, byId: chain.byId };
  if (walked.trashed) return { state: 'trashed', ancestors: node.ancestors, byId: walked.byId };
  await setAncestors(node.kind, node.id, walked.ancestors);
  node.ancestors = walked.ancestors;
  return { state: 'ok', ancestors: walked.ancestors, byId: walked.byId };
}

/**
 * What the three searches share (staff, portal, share links): read the name index in the scopes the
 * caller may see, check each candidate against the node and its chain as they are now (one round
 * for all of them), and answer with paths that start where the caller's view starts. An index entry
 * is a hint, never an answer: a renamed, trashed, moved or unreachable node is left out.
 */
import { type FileNode, type FolderNode, type Node, ROOT_ID } from '../domain/model.ts';
import { countsOnce, indexWord, matches, nameWords, resultPath } from '../domain/search.ts';
import { parentOf } from '../domain/tree.ts';
import { Invalid } from '../lib/errors.ts';
import { resolveChain } from './access.ts';
import type { Needs } from './ports.ts';

/** Index entries read per scope per page: a page is one Query per scope whatever the tree's size. */
export const ENTRIES_PER_SCOPE = 100;

export interface SearchPage {
  limit: number;
  cursor?: string;
}

export interface SearchResult {
  kind: 'folder' | 'file';
  id: string;
  name: string;
  path: Array<{ id: string; name: string }>;
  folderId: string;
}

const encode = (word: string, after: string) =>
  Buffer.from(JSON.stringify({ w: word, a: after })).toString('base64url');

function decode(cursor: string, word: string): string {
  let c: { w?: unknown; a?: unknown } | undefined;
  try {
    c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    c = undefined;
  }
  if (!c || typeof c.a !== 'string' || typeof c.w !== 'string')
    throw new Invalid('cursor: not a cursor for a search.', 'cursor', 'cursor');
  if (c.w !== word) throw new Invalid('cursor: made for another search; ask again with the same q.', 'cursor', 'query');
  return c.a;
}

/**
 * One page of results. `reach` gets a node's verified chain (root..node for a folder, root..parent
 * for a file) and answers the top folder the caller sees on it, or undefined when out of reach.
 */
export async function findByName(
  deps: Needs<'nodes'>,
  scopes: string[],
  words: string[],
  page: SearchPage,
  reach: (chain: string[]) => string | undefined,
  rootName: string | Promise<string> = '',
): Promise<{ items: SearchResult[]; nextCursor?: string }> {
  const word = indexWord(words);
  const after = page.cursor ? decode(page.cursor, word) : undefined;
  if (!word || scopes.length === 0) {
    await rootName;
    return { items: [] };
  }
  // Round 1 (with whatever the caller started alongside: a promise given here is always awaited).
  const [{ entries, next }, root] = await Promise.all([
    deps.nodes.searchNames(scopes, word, ENTRIES_PER_SCOPE, after),
    rootName,
  ]);
  const candidates = [];
  let stoppedAt: string | undefined;
  for (const e of entries) {
    if (candidates.length === page.limit) {
      stoppedAt = candidates.at(-1)!.position;
      break;
    }
    if (matches(words, e.words) && countsOnce(e.word, e.words, word)) candidates.push(e);
  }
  const nextAt = stoppedAt ?? next;
  const files = candidates.filter((c) => c.kind === 'file').map((c) => c.nodeId);
  const folderIds = candidates.flatMap((c) => (c.kind === 'folder' ? [c.nodeId, ...c.ancestors] : c.ancestors));
  // The candidates, their folders and chains: one round (two BatchGets in parallel).
  const [folders, fileNodes] = await Promise.all([
    deps.nodes.getFolders([...new Set(folderIds)]),
    files.length ? deps.nodes.getFiles(files) : new Map<string, FileNode>(),
  ]);
  const items: SearchResult[] = [];
  for (const c of candidates) {
    const node: Node | undefined = c.kind === 'folder' ? folders.get(c.nodeId) : fileNodes.get(c.nodeId);
    if (!node || node.trashedAt || !matches(words, nameWords(node.name))) continue;
    const chain = await resolveChain(deps, node, folders as Map<string, FolderNode>);
    if (chain.state !== 'ok') continue;
    const viewRoot = reach(node.kind === 'folder' ? [...chain.ancestors, node.id] : chain.ancestors);
    if (!viewRoot) continue;
    const names = (id: string) => (id === ROOT_ID ? root : (chain.byId.get(id)?.name ?? ''));
    items.push({
      kind: node.kind,
      id: node.id,
      name: node.name,
      path: resultPath(chain.ancestors, viewRoot, names),
      folderId: parentOf(node),
    });
  }
  return { items, ...(nextAt ? { nextCursor: encode(word, nextAt) } : {}) };
}

/**
 * "Download all" and "download the selection" (staff, portal, share links): up to
 * FILES_PER_CALL files of one folder's subtree per call, each recorded exactly as a single
 * download (audit first: its event is stored, then its URL is minted). What the caller cannot
 * reach, or what is not in that folder's subtree, is left out silently. Bytes never pass Lambda:
 * the browser builds the ZIP from the URLs.
 */
import type { Actor, FileNode, FolderNode } from '../domain/model.ts';
import { type Chain, issueDownload, type RequestCtx, resolveChain } from './access.ts';
import type { Needs } from './ports.ts';

export const FILES_PER_CALL = 100;
/** Files whose events are written at the same time (each event is several PutItems in parallel). */
export const EVENTS_AT_ONCE = 10;

export interface BulkInput {
  fileIds?: string[];
  cursor?: string;
}

/** What round 1 reads, beside whatever the caller's check needs: the folder and the files' ids or items. */
export interface FirstRound {
  folder?: FolderNode;
  files?: Map<string, FileNode>;
  ids: string[];
  /** The folders above the files, as stored with them: read in round 2 with the folder's chain. */
  above: string[];
  nextCursor?: string;
}

/** Round 1: the folder ∥ the selection's files (one BatchGet) or a page of the files beneath it (one Query). */
export async function readSelection(deps: Needs<'nodes'>, folderId: string, input: BulkInput): Promise<FirstRound> {
  if (input.fileIds) {
    const ids = [...new Set(input.fileIds)];
    const [folder, files] = await Promise.all([deps.nodes.getFolder(folderId), deps.nodes.getFiles(ids)]);
    return { folder, files, ids, above: [...files.values()].flatMap((f) => f.ancestors) };
  }
  const [folder, page] = await Promise.all([
    deps.nodes.getFolder(folderId),
    deps.nodes.filesBeneath(folderId, FILES_PER_CALL, input.cursor),
  ]);
  return {
    folder,
    ids: page.files.map((f) => f.id),
    above: page.files.flatMap((f) => f.ancestors),
    nextCursor: page.nextCursor,
  };
}

/**
 * Round 2: the folder's chain, the files (when round 1 read only ids) and their chains, in one round.
 * Answers undefined when the folder itself is gone, trashed or not reached (`reach` on its chain).
 */
export async function takeFiles(
  deps: Needs<'nodes'>,
  first: FirstRound,
  reach: (chain: string[]) => boolean,
): Promise<{ folder: FolderNode; taken: Array<{ file: FileNode; chain: Chain }> } | undefined> {
  const { folder } = first;
  if (!folder || folder.trashedAt) return undefined;
  const [folders, files] = await Promise.all([
    deps.nodes.getFolders([...new Set([...folder.ancestors, ...first.above])]),
    first.files ?? deps.nodes.getFiles(first.ids),
  ]);
  const folderChain = await resolveChain(deps, folder, folders);
  if (folderChain.state !== 'ok' || !reach([...folderChain.ancestors, folder.id])) return undefined;
  folders.set(folder.id, folder);
  const taken: Array<{ file: FileNode; chain: Chain }> = [];
  for (const id of first.ids) {
    const file = files.get(id);
    if (!file || file.trashedAt) continue;
    const chain = await resolveChain(deps, file, folders);
    if (chain.state !== 'ok' || !chain.ancestors.includes(folder.id) || !reach(chain.ancestors)) continue;
    taken.push({ file, chain });
    if (taken.length === FILES_PER_CALL) break;
  }
  return { folder, taken };
}

/** Audit first, per file: each event is stored before its URL is minted (events of a call in parallel). */
export async function issueAll(
  deps: Needs<'activity' | 'files'>,
  folder: FolderNode,
  taken: Array<{ file: FileNode; chain: Chain }>,
  actor: Actor,
  nextCursor: string | undefined,
  ctx: RequestCtx,
) {
  const one = async ({ file, chain }: { file: FileNode; chain: Chain }) => {
    const { url, expiresAt } = await issueDownload(deps, file, actor, chain, 'attachment', ctx);
    // Where the file sits inside the folder asked for (empty directly inside it): the ZIP's folders.
    const inside = chain.ancestors.slice(chain.ancestors.indexOf(folder.id) + 1);
    const path = inside.map((id) => ({ id, name: chain.byId.get(id)?.name ?? '' }));
    return { id: file.id, name: file.name, path, size: file.size, url, expiresAt };
  };
  // An event is a PutItem per copy (one per folder above, one for its type): EVENTS_AT_ONCE files a round
  // keeps a call's writes to a few dozen in flight instead of hundreds.
  const files = [];
  for (let i = 0; i < taken.length; i += EVENTS_AT_ONCE)
    files.push(...(await Promise.all(taken.slice(i, i + EVENTS_AT_ONCE).map(one))));
  return { files, ...(nextCursor ? { nextCursor } : {}) };
}

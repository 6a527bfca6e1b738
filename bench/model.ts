/**
 * The benchmark's company, computed rather than stored: every id, name, parent
 * and grant is a pure function of an index, so the seeder (a worker thread)
 * and the measuring code agree on the data without passing millions of ids
 * around. Item shapes are the ones functions/store/* writes, built with the
 * key helpers of functions/store/keys.ts.
 *
 * Shape: one client folder per web user under the root, each the top of a
 * ternary tree (the top, 3 children, 9 grandchildren, ...: 10 folders per
 * client at every named size); files spread evenly over the folders (10 per
 * folder); each web user holds a grant on their own client folder and on a
 * first-level folder of the next clients, up to `grants` in total; one share
 * link per client folder; `events` download events with their copies.
 */
import { createHash } from 'node:crypto';
import {
  activityKeys,
  fileKeys,
  folderKeys,
  grantKeys,
  linkKeys,
  settingsKeys,
  userKeys,
} from '../functions/store/keys.ts';
import { indexItems } from '../functions/store/search.ts';

export interface SizeSpec {
  name: string;
  folders: number;
  files: number;
  webusers: number;
  grants: number;
  /** Download events already in the log (each with its copies under every folder above its target and its type). */
  events: number;
  /** Web users the benchmark signs in as (real Cognito users); the rest exist only in the table. */
  signedIn: number;
  /** Files in the one big folder under the root (sorted listings are measured on it). */
  bigFolder: number;
}

export const SIZES: Record<string, SizeSpec> = {
  tiny: { name: 'tiny', folders: 20, files: 50, webusers: 3, grants: 6, events: 20, signedIn: 2, bigFolder: 300 },
  small: {
    name: 'small',
    folders: 100,
    files: 1_000,
    webusers: 10,
    grants: 100,
    events: 100,
    signedIn: 3,
    bigFolder: 10_000,
  },
  medium: {
    name: 'medium',
    folders: 10_000,
    files: 100_000,
    webusers: 1_000,
    grants: 10_000,
    events: 10_000,
    signedIn: 3,
    bigFolder: 10_000,
  },
  large: {
    name: 'large',
    folders: 100_000,
    files: 1_000_000,
    webusers: 10_000,
    grants: 100_000,
    events: 100_000,
    signedIn: 3,
    bigFolder: 10_000,
  },
};

/**
 * Items the seeder writes for a size (folders + files + versions + users + grants + links + events with copies +
 * settings).
 */
export function itemCount(s: SizeSpec): number {
  let events = 0;
  for (let e = 0; e < s.events; e++) events += eventItems(s, e, [], new Date(0)).length;
  // The name index: each folder's and file's entries (and the big folder's files').
  let index = 0;
  for (let j = 0; j < s.folders; j++) index += folderItems(s, j, '').length - 1;
  for (let i = 0; i < s.files; i++) index += fileItems(s, i, '').length - 2;
  const big = bigFolderItems(s, '').length + (s.bigFolder ? bigFileItems(0, '').length * s.bigFolder : 0);
  return s.folders + 2 * s.files + s.webusers + grantList(s).length + s.webusers + events + 1 + index + big;
}

/** The big folder: one folder under the root with `bigFolder` files of varied names, sizes and times. */
export const bigFolderId = () => idOf('big', 0);
export const bigFileId = (k: number) => idOf('bigfile', k);

export function bigFolderItems(s: SizeSpec, staffId: string): Item[] {
  if (!s.bigFolder) return [];
  const id = bigFolderId();
  const at = iso(BASE_MS);
  const f = {
    kind: 'folder' as const,
    id,
    name: 'Estudio grande',
    parentId: 'root',
    ancestors: ['root'],
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: staffId,
  };
  return [
    { ...folderKeys.node(id), ...folderKeys.listing('root', f.name, id), ...folderKeys.sorted(f), ...f },
    ...indexItems(f),
  ];
}

export function bigFileItems(k: number, staffId: string): Item[] {
  const id = bigFileId(k);
  const vid = idOf('bigversion', k);
  // Names, sizes and times in an order of their own, so each sort is a different order.
  const name = `Radiografía ${String((k * 7919) % 100_003).padStart(6, '0')}.dcm`;
  const size = 1_000 + ((k * 104_729) % 50_000_000);
  const at = iso(BASE_MS + ((k * 15_485_863) % 31_536_000) * 1000);
  const file = {
    kind: 'file' as const,
    id,
    name,
    folderId: bigFolderId(),
    ancestors: ['root', bigFolderId()],
    currentVersionId: vid,
    size,
    contentType: 'application/dicom',
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: staffId,
  };
  const version = {
    fileId: id,
    versionId: vid,
    status: 'ready',
    objectKey: fileKeys.objectKey(id, vid),
    size,
    contentType: file.contentType,
    uploadedBy: staffId,
    uploadedAt: at,
    completedAt: at,
  };
  return [
    { ...fileKeys.node(id), ...fileKeys.listing(file.folderId, name, id), ...fileKeys.sorted(file), ...file },
    { ...fileKeys.version(id, vid), ...version },
    ...indexItems(file),
  ];
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 2026-01-01: seeded items look created during the year. */
export const BASE_MS = Date.UTC(2026, 0, 1);

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) out = ALPHABET[t % 32] + out;
  return out;
}

/** A ULID-shaped id (26 Crockford base32 chars), deterministic per (kind, index). */
export function idOf(kind: string, i: number, ms = BASE_MS + i * 1000): string {
  const h = createHash('sha1').update(`${kind}:${i}`).digest();
  let rand = '';
  for (let k = 0; k < 16; k++) rand += ALPHABET[h[k] % 32];
  return encodeTime(ms) + rand;
}

export const folderId = (j: number) => idOf('folder', j);
export const fileId = (i: number) => idOf('file', i);
export const versionId = (i: number) => idOf('version', i);

/** Client of folder j and its position inside that client's tree (0 = the client folder). */
export const clientOf = (s: SizeSpec, j: number) => j % s.webusers;
export const localOf = (s: SizeSpec, j: number) => Math.floor(j / s.webusers);
const folderAt = (s: SizeSpec, client: number, local: number) => local * s.webusers + client;

export function parentIndex(s: SizeSpec, j: number): number | undefined {
  const m = localOf(s, j);
  return m === 0 ? undefined : folderAt(s, clientOf(s, j), Math.floor((m - 1) / 3));
}

/** Folder indexes from the top down to j's parent. */
export function ancestorIndexes(s: SizeSpec, j: number): number[] {
  const out: number[] = [];
  for (let p = parentIndex(s, j); p !== undefined; p = parentIndex(s, p)) out.unshift(p);
  return out;
}
export const ancestorsOf = (s: SizeSpec, j: number) => ['root', ...ancestorIndexes(s, j).map(folderId)];

export const folderName = (s: SizeSpec, j: number) =>
  localOf(s, j) === 0 ? `Cliente ${String(clientOf(s, j)).padStart(5, '0')}` : `Carpeta ${localOf(s, j)}`;
export const fileFolder = (s: SizeSpec, i: number) => i % s.folders;
export const fileName = (s: SizeSpec, i: number) => `Documento ${Math.floor(i / s.folders)}.pdf`;

/** Folders of one client's tree (local index order). */
export function clientFolders(s: SizeSpec, client: number): number[] {
  const out: number[] = [];
  for (let j = client; j < s.folders; j += s.webusers) out.push(j);
  return out;
}

/** j and every folder beneath it. */
export function subtree(s: SizeSpec, j: number): number[] {
  const out = [j];
  for (let k = 0; k < out.length; k++) {
    const m = localOf(s, out[k]);
    for (let c = 1; c <= 3; c++) {
      const child = folderAt(s, clientOf(s, j), 3 * m + c);
      if (child < s.folders) out.push(child);
    }
  }
  return out;
}

export function filesIn(s: SizeSpec, j: number): number[] {
  const out: number[] = [];
  for (let i = j; i < s.files; i += s.folders) out.push(i);
  return out;
}

const grantCache = new WeakMap<SizeSpec, { list: Array<[number, number]>; byUser: Map<number, number[]> }>();
function grants(s: SizeSpec) {
  let g = grantCache.get(s);
  if (!g) {
    const list = computeGrants(s);
    const byUser = new Map<number, number[]>();
    for (const [u, j] of list) byUser.set(u, [...(byUser.get(u) ?? []), j]);
    g = { list, byUser };
    grantCache.set(s, g);
  }
  return g;
}

/** Every grant as [user, folder index]: own client folder first, then first-level folders of the next clients. */
export const grantList = (s: SizeSpec) => grants(s).list;
export const grantsOf = (s: SizeSpec, u: number) => grants(s).byUser.get(u) ?? [];

function computeGrants(s: SizeSpec): Array<[number, number]> {
  const perUser = Math.ceil(s.grants / s.webusers);
  const out: Array<[number, number]> = [];
  for (let t = 0; t < perUser; t++) {
    for (let u = 0; u < s.webusers && out.length < s.grants; u++) {
      if (t === 0) {
        if (u < s.folders) out.push([u, u]);
        continue;
      }
      if (t >= s.webusers) continue;
      const j = folderAt(s, (u + t) % s.webusers, 1);
      if (j < s.folders) out.push([u, j]);
    }
  }
  return out;
}

/** What web user u reaches: folders and files under their grants. */
export function reachable(s: SizeSpec, u: number): { folders: number[]; files: number[] } {
  const folders = [...new Set(grantsOf(s, u).flatMap((j) => subtree(s, j)))];
  return { folders, files: folders.flatMap((j) => filesIn(s, j)) };
}

export interface Person {
  sub: string;
  email: string;
}

/** The web user at index u: the real (signed-in) ones first, then table-only ones. */
export function person(u: number, real: Person[]): Person {
  if (u < real.length) return real[u];
  const h = createHash('sha1').update(`user:${u}`).digest('hex');
  return {
    sub: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    email: `client-${u}@bench.example.com`,
  };
}

export const linkToken = (c: number) => createHash('sha256').update(`link:${c}`).digest('base64url').slice(0, 43);

// ---- items ---------------------------------------------------------------------

type Item = Record<string, unknown>;
const iso = (ms: number) => new Date(ms).toISOString();

/** A folder with its name-index entries. */
export function folderItems(s: SizeSpec, j: number, staffId: string): Item[] {
  const f = folderItem(s, j, staffId) as Item & { kind: 'folder'; id: string; name: string; ancestors: string[] };
  return [f, ...indexItems(f)];
}

export function folderItem(s: SizeSpec, j: number, staffId: string): Item {
  const id = folderId(j);
  const p = parentIndex(s, j);
  const parentId = p === undefined ? 'root' : folderId(p);
  const name = folderName(s, j);
  const at = iso(BASE_MS + j * 1000);
  const f = {
    kind: 'folder',
    id,
    name,
    parentId,
    ancestors: ancestorsOf(s, j),
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: staffId,
  };
  return { ...folderKeys.node(id), ...folderKeys.listing(parentId, name, id), ...folderKeys.sorted(f), ...f };
}

export function fileItems(s: SizeSpec, i: number, staffId: string): Item[] {
  const id = fileId(i);
  const vid = versionId(i);
  const j = fileFolder(s, i);
  const name = fileName(s, i);
  const at = iso(BASE_MS + i * 1000);
  const size = 20_000 + ((i * 7919) % 2_000_000);
  const sha256 = createHash('sha256').update(id).digest('hex');
  const file = {
    kind: 'file' as const,
    id,
    name,
    folderId: folderId(j),
    ancestors: [...ancestorsOf(s, j), folderId(j)],
    currentVersionId: vid,
    size,
    contentType: 'application/pdf',
    sha256,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: staffId,
  };
  const version = {
    fileId: id,
    versionId: vid,
    status: 'ready',
    objectKey: fileKeys.objectKey(id, vid),
    size,
    contentType: 'application/pdf',
    sha256,
    uploadedBy: staffId,
    uploadedAt: at,
    completedAt: at,
  };
  return [
    { ...fileKeys.node(id), ...fileKeys.listing(folderId(j), name, id), ...fileKeys.sorted(file), ...file },
    { ...fileKeys.version(id, vid), ...version },
    ...indexItems(file),
  ];
}

export function userItem(s: SizeSpec, u: number, real: Person[], staffId: string): Item {
  const p = person(u, real);
  const at = iso(BASE_MS + u * 1000);
  const profile = {
    id: p.sub,
    email: p.email,
    name: `Cliente ${u}`,
    kind: 'webuser',
    status: 'active',
    language: 'es',
    createdAt: at,
    updatedAt: at,
    createdBy: staffId,
    grantCount: grantsOf(s, u).length,
  };
  return {
    ...userKeys.profile(p.sub),
    ...userKeys.byEmail(p.email),
    ...userKeys.webuserListing(at, p.sub),
    searchText: `${p.email} ${profile.name}`.toLowerCase(),
    ...profile,
  };
}

export function grantItem(s: SizeSpec, u: number, j: number, real: Person[], staffId: string): Item {
  const sub = person(u, real).sub;
  const g = {
    userId: sub,
    folderId: folderId(j),
    grantedBy: staffId,
    grantedAt: iso(BASE_MS + j * 1000),
    ancestors: ancestorsOf(s, j),
  };
  return { ...grantKeys.grant(sub, g.folderId), ...grantKeys.byFolder(g.folderId, sub), ...g };
}

export function linkItem(s: SizeSpec, c: number, staffId: string): Item {
  const tokenHash = createHash('sha256').update(linkToken(c)).digest('hex');
  const id = idOf('link', c);
  const at = iso(BASE_MS + c * 1000);
  const email = `link-${c}@bench.example.com`;
  const l = {
    id,
    tokenHash,
    folderId: folderId(c),
    ancestors: ancestorsOf(s, c),
    email,
    language: 'es',
    createdBy: staffId,
    createdAt: at,
    expiresAt: '2099-01-01T00:00:00.000Z',
  };
  return {
    ...linkKeys.link(tokenHash),
    ...linkKeys.byFolder(l.folderId, `${at}#${id}`),
    ...linkKeys.byEmail(email, `${at}#${id}`),
    ...l,
  };
}

/** A download event (ten seconds apart, newest at `now`) with the copies store/activity.ts writes. */
export function eventItems(s: SizeSpec, e: number, real: Person[], now: Date): Item[] {
  const u = e % s.webusers;
  const i = (e * 7919) % s.files;
  const j = fileFolder(s, i);
  const atMs = now.getTime() - e * 10_000;
  const id = idOf('event', e, atMs);
  const within = [...ancestorsOf(s, j), folderId(j)];
  const p = person(u, real);
  const ev = {
    id,
    at: iso(atMs),
    type: 'download',
    actor: { kind: 'webuser', id: p.sub, email: p.email, name: `Cliente ${u}` },
    target: { kind: 'file', id: fileId(i), name: fileName(s, i), versionId: versionId(i) },
    within,
    ip: '127.0.0.1',
    userAgent: 'bench',
    details: { disposition: 'attachment' },
  };
  const main = {
    ...activityKeys.event(ev.at, id),
    ...activityKeys.byActor(p.sub, id),
    ...activityKeys.byTarget(ev.target.id, id),
    ...ev,
  };
  const copies = within.filter((f) => f !== 'root').map((f) => activityKeys.inFolder(f, id));
  copies.push(activityKeys.ofType(ev.type, id));
  return [main, ...copies.map((k) => ({ ...k, ...ev }))];
}

export const settingsItem = (): Item => ({
  ...settingsKeys.company(),
  name: 'Gestoría Bench',
  colors: { primary: '#1f4e79', accent: '#c8553d' },
  defaultLanguage: 'es',
  linkDefaultDays: 30,
  notifications: { batchMinutes: 10, uploaderReceipts: false },
  retentionMonths: 0,
});

/** The folders the benchmark mails share links for: the client folders just after the signed-in clients'. */
export const linkFolders = (s: SizeSpec) =>
  Array.from({ length: Math.min(2, s.webusers) }, (_, k) => (s.signedIn + k) % s.webusers);

/**
 * Files in write order, the ones requests are drawn from first: what the signed-in clients reach and what the
 * mailed links open. A seed stopped at its deadline (large) then still has every file a request asks for.
 * `rank(i)` is file i's place in that order, so "file i was written" is `rank(i) < filesWritten`.
 */
export function fileOrder(s: SizeSpec) {
  const early = [
    ...new Set([
      ...Array.from({ length: Math.min(s.signedIn, s.webusers) }, (_, u) => reachable(s, u).files).flat(),
      ...linkFolders(s).flatMap((j) => subtree(s, j).flatMap((f) => filesIn(s, f))),
    ]),
  ].sort((a, b) => a - b);
  const place = new Map(early.map((i, r) => [i, r]));
  const earlyBelow = (i: number) => {
    let [lo, hi] = [0, early.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (early[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    *files() {
      yield* early;
      for (let i = 0; i < s.files; i++) if (!place.has(i)) yield i;
    },
    rank: (i: number) => place.get(i) ?? early.length + i - earlyBelow(i),
  };
}

/**
 * Every item of a size, lazily, in write order. Files come last, so a partial seed has every folder, user, grant
 * and event; `progress.files` counts the files whose items have all been handed out.
 */
export function* allItems(
  s: SizeSpec,
  real: Person[],
  staffId: string,
  now: Date,
  progress: { files: number } = { files: 0 },
): Generator<Item> {
  yield settingsItem();
  for (let j = 0; j < s.folders; j++) yield* folderItems(s, j, staffId);
  yield* bigFolderItems(s, staffId);
  for (let k = 0; k < s.bigFolder; k++) yield* bigFileItems(k, staffId);
  for (let u = 0; u < s.webusers; u++) yield userItem(s, u, real, staffId);
  for (const [u, j] of grantList(s)) yield grantItem(s, u, j, real, staffId);
  for (let c = 0; c < Math.min(s.webusers, s.folders); c++) yield linkItem(s, c, staffId);
  for (let e = 0; e < s.events; e++) yield* eventItems(s, e, real, now);
  for (const i of fileOrder(s).files()) {
    yield* fileItems(s, i, staffId);
    progress.files++;
  }
}

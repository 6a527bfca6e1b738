/**
 * The API client: one function per route of functions/routes.ts, each returning the shape that
 * route answers (types.ts). No screen builds an API URL or reads a response by hand.
 *
 * Underneath, `request` sends JSON with the access token as a Bearer (a share link's token in the
 * X-Share-Token header, never in the URL), refreshes once on a 401, and turns every failure into an
 * ApiError with the API's error shape { error: { code, message, field?, rule? } }.
 */
import { accessToken, refresh, signOut } from './auth.ts';
import { getConfig } from './config.ts';
import type {
  AccessEntry,
  ActivityEvent,
  BatchFile,
  Company,
  DownloadUrl,
  FileDetails,
  Lang,
  Listing,
  Me,
  PartUrl,
  People,
  Person,
  PlanRow,
  PresignedPost,
  Receipts,
  SearchHit,
  SendInput,
  SentLink,
  Settings,
  SettingsInput,
  ShareLink,
  ShareListing,
  Sharing,
  StaffAccount,
  StaffFile,
  StaffFolder,
  StaffListing,
  StaffRole,
  TopFolder,
  TrashItem,
  UnopenedClient,
  UploadStart,
  WebUser,
  WebUserDetails,
} from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** For a 400: the rule the field broke (too_long, slash, code_wrong...): what the site explains. */
    readonly rule?: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

interface Options {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Send the access token (default true). Share links and invitations do not. */
  auth?: boolean;
  /** A share link's token (X-Share-Token) and, for a protected link, its password (X-Share-Password). */
  share?: ShareKey;
  signal?: AbortSignal;
}

function url(path: string, query?: Query): string {
  const base = getConfig().apiUrl.replace(/\/$/, '');
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const q = qs.toString();
  return `${base}${path}${q ? `?${q}` : ''}`;
}

/** One path segment taken from data (ids). */
const seg = (s: string): string => encodeURIComponent(s);

async function send(path: string, opts: Options, token: string | undefined, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.share) {
    headers['x-share-token'] = opts.share.token;
    if (opts.share.password) headers['x-share-password'] = opts.share.password;
  }
  try {
    return await fetch(url(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
}

async function respond(path: string, opts: Options, accept = 'application/json'): Promise<Response> {
  const useAuth = opts.auth !== false;
  let token = useAuth ? await accessToken() : undefined;
  let res = await send(path, opts, token, accept);
  if (res.status === 401 && useAuth && token) {
    if (await refresh()) {
      token = await accessToken();
      res = await send(path, opts, token, accept);
    }
    if (res.status === 401) signOut();
  }
  if (!res.ok) {
    const data = (await res.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string; field?: string; rule?: string } }
      | undefined;
    const e = data?.error;
    // An admin page asked with a session from before two-step verification was turned on: sign in again.
    if (res.status === 403 && e?.code === 'mfa_sign_in_again') signOut('mfa-sign-in-again');
    throw new ApiError(res.status, e?.code ?? httpCode(res.status), e?.message ?? res.statusText, e?.field, e?.rule);
  }
  return res;
}

async function request<T>(path: string, opts: Options = {}): Promise<T> {
  const res = await respond(path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A non-JSON answer (PDF, a JSON file to save), with the same auth and errors. */
async function blob(path: string, query?: Query): Promise<Blob> {
  return (await respond(path, { query }, '*/*')).blob();
}

function httpCode(status: number): string {
  if (status === 404) return 'not_found';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

export type Disposition = 'attachment' | 'inline';
type Page = { limit?: number; cursor?: string; signal?: AbortSignal };
const page = (p: Page = {}) => ({ query: { limit: p.limit, cursor: p.cursor }, signal: p.signal });
/** A folder listing's order: the server sorts the whole folder (folders first), the cursor is valid for it. */
export type SortKey = 'name' | 'modified' | 'size';
export type SortOrder = 'asc' | 'desc';
export type ListingPage = Page & { sort?: SortKey; order?: SortOrder };
const listingPage = (p: ListingPage = {}) => ({
  query: { limit: p.limit, cursor: p.cursor, sort: p.sort, order: p.order },
  signal: p.signal,
});
/** A page of a name search (GET /search, /portal/search, /share/search). */
export type SearchAnswer = { items: SearchHit[]; nextCursor?: string };
const searchPage = (q: string, cursor?: string, signal?: AbortSignal) => ({ query: { q, cursor }, signal });
/** "Download all" (no fileIds: the whole subtree, a cursor at a time) or a selection: up to 100 URLs per call. */
export type DownloadsBody = { fileIds?: string[]; cursor?: string };
export type DownloadsAnswer = { files: BatchFile[]; nextCursor?: string };

// ---- anyone -----------------------------------------------------------------------------

export const health = () => request<{ status: string }>('/health', { auth: false });
export const getBranding = () => request<Company>('/branding', { auth: false });
export const me = () => request<Me>('/me');
export const acceptInvitation = (token: string, password: string) =>
  request<{ email: string } | undefined>('/auth/invitations/accept', {
    method: 'POST',
    body: { token, password },
    auth: false,
  });
export const acceptStaffInvitation = (token: string, password: string) =>
  request<{ email: string } | undefined>('/auth/staff-invitations/accept', {
    method: 'POST',
    body: { token, password },
    auth: false,
  });

// ---- share links (the token is the credential) ----------------------------------------

/**
 * What opens a share link: the token from the mail and, for a link staff protected, the password the
 * holder typed. Both travel in headers only; the page keeps the password in memory, never in the URL
 * or in storage.
 */
export interface ShareKey {
  token: string;
  password?: string;
}

export const openShare = (key: ShareKey, p?: ListingPage) =>
  request<ShareListing>('/share', { auth: false, share: key, ...listingPage(p) });
export const openShareFolder = (key: ShareKey, folderId: string, p?: ListingPage) =>
  request<ShareListing>(`/share/folders/${seg(folderId)}`, { auth: false, share: key, ...listingPage(p) });
export const shareSearch = (key: ShareKey, q: string, cursor?: string, signal?: AbortSignal) =>
  request<SearchAnswer>('/share/search', { auth: false, share: key, ...searchPage(q, cursor, signal) });
export const shareFolderDownloads = (key: ShareKey, folderId: string, body: DownloadsBody) =>
  request<DownloadsAnswer>(`/share/folders/${seg(folderId)}/downloads`, {
    method: 'POST',
    auth: false,
    share: key,
    body,
  });
export const shareDownload = (key: ShareKey, fileId: string, disposition: Disposition) =>
  request<DownloadUrl>(`/share/files/${seg(fileId)}/download`, { auth: false, share: key, query: { disposition } });
/** "Confirmar recepción" by the link holder: 204, the same again for the same version. */
export const shareAcknowledge = (key: ShareKey, fileId: string) =>
  request<void>(`/share/files/${seg(fileId)}/acknowledge`, { method: 'POST', auth: false, share: key });

// ---- the portal (web users) -----------------------------------------------------------

export const portalMe = () =>
  request<{ user: { id: string; email: string; name: string; language: Lang }; company: Company }>('/portal/me');
export const portalFolders = () => request<{ folders: TopFolder[] }>('/portal/folders');
export const portalFolder = (id: string, p?: ListingPage) =>
  request<Listing>(`/portal/folders/${seg(id)}`, listingPage(p));
export const portalSearch = (q: string, cursor?: string, signal?: AbortSignal) =>
  request<SearchAnswer>('/portal/search', searchPage(q, cursor, signal));
export const portalFolderDownloads = (id: string, body: DownloadsBody) =>
  request<DownloadsAnswer>(`/portal/folders/${seg(id)}/downloads`, { method: 'POST', body });
export const portalDownload = (fileId: string, disposition: Disposition) =>
  request<DownloadUrl>(`/portal/files/${seg(fileId)}/download`, { query: { disposition } });
/** "Confirmar recepción": the client's one action, on a file that asks for it (204; again: 204, nothing new). */
export const portalAcknowledge = (fileId: string) =>
  request<void>(`/portal/files/${seg(fileId)}/acknowledge`, { method: 'POST' });

// ---- documents (staff) ----------------------------------------------------------------

export const ROOT = 'root';
export const getFolder = (id: string, p?: ListingPage) =>
  request<StaffListing>(id === ROOT ? '/folders/root' : `/folders/${seg(id)}`, listingPage(p));
export const search = (q: string, cursor?: string, signal?: AbortSignal) =>
  request<SearchAnswer>('/search', searchPage(q, cursor, signal));
export const folderDownloads = (id: string, body: DownloadsBody) =>
  request<DownloadsAnswer>(`/folders/${seg(id)}/downloads`, { method: 'POST', body });
export const createFolder = (parentId: string, name: string) =>
  request<StaffFolder>('/folders', { method: 'POST', body: { parentId, name } });
/** `taxId` / `clientCode`: null clears; `requiresAcknowledgement` (and receipts): null follows the folder above. */
export const updateFolder = (
  id: string,
  body: {
    name?: string;
    parentId?: string;
    receiptsToUploader?: boolean | null;
    taxId?: string | null;
    clientCode?: string | null;
    requiresAcknowledgement?: boolean | null;
    reminders?: { afterDays: number; max: number } | null;
    version: number;
  },
) => request<StaffFolder>(`/folders/${seg(id)}`, { method: 'PATCH', body });
/** The folder at `path` under a client folder ("Nóminas/2026/11"), made where missing; idempotent. */
export const ensurePath = (id: string, path: string) =>
  request<{ folderId: string; created: string[] }>(`/folders/${seg(id)}/path`, { method: 'POST', body: { path } });
/** At most this many names per POST /routing/plan (functions/app/routing.ts MAX_PLAN_NAMES). */
export const PLAN_NAMES_PER_CALL = 1000;
/** "Repartir a clientes": the client folder of each file name, in order (a call per 1,000 names). */
export async function planRouting(names: string[], subPath?: string): Promise<PlanRow[]> {
  const out: PlanRow[] = [];
  for (let i = 0; i < names.length; i += PLAN_NAMES_PER_CALL) {
    const body = { names: names.slice(i, i + PLAN_NAMES_PER_CALL), ...(subPath ? { subPath } : {}) };
    out.push(...(await request<{ plan: PlanRow[] }>('/routing/plan', { method: 'POST', body })).plan);
  }
  return out;
}
export const trashFolder = (id: string) => request<void>(`/folders/${seg(id)}`, { method: 'DELETE' });
/** What an upload declares; `sha256` (hex) makes S3 refuse any other bytes. */
type UploadBody = { size: number; contentType: string; sha256?: string };
export const startUpload = (folderId: string, body: UploadBody & { name: string }) =>
  request<UploadStart>(`/folders/${seg(folderId)}/files`, { method: 'POST', body });
export const startVersion = (fileId: string, body: UploadBody) =>
  request<UploadStart>(`/files/${seg(fileId)}/versions`, { method: 'POST', body });
export const completeUpload = (
  fileId: string,
  versionId: string,
  parts?: { partNumber: number; etag: string; sha256?: string }[],
) =>
  request<{ file: StaffFile }>(`/files/${seg(fileId)}/versions/${seg(versionId)}/complete`, {
    method: 'POST',
    body: parts ? { parts } : {},
  });
/** Part URLs `from`..`to` of a multipart upload: minted a page at a time, as the upload reaches them. */
export const uploadParts = (fileId: string, versionId: string, from: number, to: number, checksums?: string[]) =>
  request<{ parts: PartUrl[] }>(`/files/${seg(fileId)}/versions/${seg(versionId)}/parts`, {
    query: { from, to, ...(checksums ? { checksums: checksums.join(',') } : {}) },
  });
export const restoreVersion = (fileId: string, versionId: string) =>
  request<{ file: StaffFile }>(`/files/${seg(fileId)}/versions/${seg(versionId)}/restore`, {
    method: 'POST',
    body: {},
  });
export const getFile = (id: string) => request<FileDetails>(`/files/${seg(id)}`);
export const staffDownload = (id: string, disposition: Disposition, versionId?: string) =>
  request<DownloadUrl>(`/files/${seg(id)}/download`, { query: { disposition, versionId } });
export const updateFile = (
  id: string,
  body: { name?: string; folderId?: string; requiresAcknowledgement?: boolean | null; version: number },
) => request<StaffFile>(`/files/${seg(id)}`, { method: 'PATCH', body });
export const trashFile = (id: string) => request<void>(`/files/${seg(id)}`, { method: 'DELETE' });
export const listTrash = (p?: Page) => request<{ items: TrashItem[]; nextCursor?: string }>('/trash', page(p));
export const restoreFromTrash = (id: string, name?: string) =>
  request<{ kind: 'folder' | 'file'; id: string; name: string }>(`/trash/${seg(id)}/restore`, {
    method: 'POST',
    body: name ? { name } : {},
  });

// ---- clients: web users, grants, links, activity (staff) -------------------------------

export const createWebuser = (body: { email: string; name: string; language: Lang; folderIds: string[] }) =>
  request<WebUser>('/webusers', { method: 'POST', body });
export const listWebusers = (q: string | undefined, p?: Page) =>
  request<{ users: WebUser[]; nextCursor?: string }>('/webusers', {
    query: { q: q || undefined, limit: p?.limit, cursor: p?.cursor },
    signal: p?.signal,
  });
export const getWebuser = (id: string) => request<WebUserDetails>(`/webusers/${seg(id)}`);
export const updateWebuser = (id: string, body: { name?: string; language?: Lang; status?: 'active' | 'disabled' }) =>
  request<WebUser>(`/webusers/${seg(id)}`, { method: 'PATCH', body });
export const reinviteWebuser = (id: string) => request<void>(`/webusers/${seg(id)}/invite`, { method: 'POST' });
export const eraseWebuser = (id: string) => request<void>(`/webusers/${seg(id)}`, { method: 'DELETE' });
export const folderSharing = (folderId: string) => request<Sharing>(`/folders/${seg(folderId)}/sharing`);
export const putGrant = (folderId: string, userId: string, body: { expiresAt?: string; notify?: boolean }) =>
  request<{ grant: { folderId: string; userId: string } }>(`/folders/${seg(folderId)}/grants/${seg(userId)}`, {
    method: 'PUT',
    body,
  });
export const deleteGrant = (folderId: string, userId: string) =>
  request<void>(`/folders/${seg(folderId)}/grants/${seg(userId)}`, { method: 'DELETE' });
export const sendFolder = (folderId: string, body: SendInput) =>
  request<{ link: SentLink }>(`/folders/${seg(folderId)}/send`, { method: 'POST', body });
export const folderLinks = (folderId: string) => request<{ links: ShareLink[] }>(`/folders/${seg(folderId)}/links`);
export const revokeLink = (id: string) => request<void>(`/links/${seg(id)}`, { method: 'DELETE' });
/** A new token mailed for the link (the old one stays dead), with the options it had; no date: the default. */
export const extendLink = (id: string, expiresAt?: string) =>
  request<{ link: SentLink; replaces: string }>(`/links/${seg(id)}/extend`, {
    method: 'POST',
    body: expiresAt ? { expiresAt } : {},
  });

export interface ActivityFilter {
  actorId?: string;
  folderId?: string;
  fileId?: string;
  type?: string;
  from?: string;
  to?: string;
}
export const listActivity = (f: ActivityFilter, p?: Page) =>
  request<{ events: ActivityEvent[]; people: People; nextCursor?: string }>('/activity', {
    query: { ...f, limit: p?.limit, cursor: p?.cursor },
    signal: p?.signal,
  });
/** The whole log for these filters as a CSV file in the reader's language (Spanish: ";"-separated). */
export const exportActivity = (f: ActivityFilter & { lang: Lang }) =>
  request<DownloadUrl & { rows: number }>('/activity/export', { query: { ...f } });
/** People by name or email (web users and staff), for the activity's person filter. */
export const findPeople = (q: string, signal?: AbortSignal) =>
  request<{ people: Person[] }>('/people', { query: { q }, signal });

// ---- oversight (staff; settings and staff accounts: admin) -----------------------------

/** "Pendientes": a page of the documents delivered and not opened, per client (the same client may recur). */
export const unopenedDeliveries = (p: Page & { recipientId?: string } = {}) =>
  request<{ clients: UnopenedClient[]; nextCursor?: string }>('/deliveries/unopened', {
    query: { recipientId: p.recipientId, limit: p.limit, cursor: p.cursor },
    signal: p.signal,
  });

export const fileReceipts = (fileId: string) => request<Receipts>(`/files/${seg(fileId)}/receipts`);
export const receiptPdf = (eventId: string) => blob(`/receipts/${seg(eventId)}`, { format: 'pdf' });
export const accessReport = (by: { folderId: string } | { userId: string }) =>
  request<{ entries: AccessEntry[] }>('/reports/access', { query: by });
export const viewAsTops = (userId: string) => request<{ folders: TopFolder[] }>(`/webusers/${seg(userId)}/view`);
/** What the portal's search answers that web user (GET /webusers/{id}/view/search). */
export const viewAsSearch = (userId: string, q: string, cursor?: string, signal?: AbortSignal) =>
  request<SearchAnswer>(`/webusers/${seg(userId)}/view/search`, searchPage(q, cursor, signal));
export const viewAsFolder = (userId: string, folderId: string, p?: ListingPage) => {
  const l = listingPage(p);
  return request<Listing>(`/webusers/${seg(userId)}/view`, { ...l, query: { ...l.query, folderId } });
};
export const exportWebuser = (id: string) => blob(`/webusers/${seg(id)}/export`);
/** Two-step verification: a code mailed to the account, then the authenticator's secret, then its first code. */
export const mailTwoStepCode = () => request<void>('/me/two-step/code', { method: 'POST' });
export const startTwoStep = (emailCode: string) =>
  request<{ secret: string }>('/me/two-step/authenticator', { method: 'POST', body: { emailCode } });
export const confirmTwoStep = (emailCode: string, code: string, deviceName: string) =>
  request<void>('/me/two-step/authenticator/confirm', { method: 'POST', body: { emailCode, code, deviceName } });
export const getSettings = () => request<Settings>('/settings');
export const putSettings = (body: SettingsInput) => request<Settings>('/settings', { method: 'PUT', body });
export const startLogoUpload = (body: { contentType: string; size: number }) =>
  request<{ logoKey: string; upload: PresignedPost }>('/settings/logo', { method: 'POST', body });
/** A small file straight to S3 with the presigned POST an API route answered (the logo). */
export async function postToStorage(post: PresignedPost, file: Blob): Promise<void> {
  const data = new FormData();
  for (const [k, v] of Object.entries(post.fields)) data.append(k, v);
  data.append('file', file);
  const res = await fetch(post.url, { method: 'POST', body: data }).catch(() => {
    throw new ApiError(0, 'network', 'The storage could not be reached.');
  });
  if (!res.ok) throw new ApiError(res.status, 'upload_failed', 'The upload was refused.');
}
export const listStaff = () => request<{ staff: StaffAccount[] }>('/staff');
export const createStaff = (body: { email: string; name: string; role: StaffRole; language: Lang }) =>
  request<StaffAccount>('/staff', { method: 'POST', body });
export const updateStaff = (id: string, body: { role?: StaffRole; status?: 'active' | 'disabled' }) =>
  request<StaffAccount>(`/staff/${seg(id)}`, { method: 'PATCH', body });

/** Exposed for the unit test that checks every route has its function here. */
export const _internals = { url };

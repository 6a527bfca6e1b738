/**
 * The site's one route table: every address the site answers, who may see it, and which page draws
 * it; and `paths`, the only place a site address is built. app.tsx resolves the URL against this table;
 * staff pages are drawn by the staff chunk (admin/pages.tsx), portal pages by screens/Portal.tsx.
 *
 * Share links and invitations carry their token after "#" (/s#<token>, /invite#<token>): a browser
 * never sends the fragment, so no server, CDN or access log sees it.
 */
export type Audience = 'public' | 'signedin' | 'staff' | 'admin' | 'webuser';

export type PublicPage = 'share' | 'shareFolder' | 'invite' | 'join' | 'forgot';
export type PortalPage = 'portal' | 'portalFolder';
export type StaffPage =
  | 'folders'
  | 'folder'
  | 'file'
  | 'trash'
  | 'webusers'
  | 'webuser'
  | 'access'
  | 'activity'
  | 'deliver'
  | 'pending'
  | 'viewAs'
  | 'viewAsFolder'
  | 'account'
  | 'settings';

export type SiteRoute =
  | { path: string; audience: 'public'; page: PublicPage }
  | { path: string; audience: 'signedin'; page: 'home' }
  | { path: string; audience: 'webuser'; page: PortalPage }
  | { path: string; audience: 'staff' | 'admin'; page: StaffPage };

export const siteRoutes: readonly SiteRoute[] = [
  { path: '/s', audience: 'public', page: 'share' },
  { path: '/s/f/:folderId', audience: 'public', page: 'shareFolder' },
  { path: '/invite', audience: 'public', page: 'invite' },
  { path: '/join', audience: 'public', page: 'join' },
  { path: '/forgot', audience: 'public', page: 'forgot' },
  { path: '/', audience: 'signedin', page: 'home' },
  { path: '/signin', audience: 'signedin', page: 'home' },
  { path: '/portal', audience: 'webuser', page: 'portal' },
  // Where the "folder shared with you" email links.
  { path: '/portal/f/:id', audience: 'webuser', page: 'portalFolder' },
  { path: '/admin', audience: 'staff', page: 'folders' },
  { path: '/admin/folders', audience: 'staff', page: 'folders' },
  { path: '/admin/folders/:id', audience: 'staff', page: 'folder' },
  { path: '/admin/files/:id', audience: 'staff', page: 'file' },
  { path: '/admin/trash', audience: 'staff', page: 'trash' },
  { path: '/admin/webusers', audience: 'staff', page: 'webusers' },
  { path: '/admin/webusers/:id', audience: 'staff', page: 'webuser' },
  { path: '/admin/access', audience: 'staff', page: 'access' },
  { path: '/admin/activity', audience: 'staff', page: 'activity' },
  // "Repartir a clientes" and "Pendientes" (issue 17).
  { path: '/admin/deliver', audience: 'staff', page: 'deliver' },
  { path: '/admin/pending', audience: 'staff', page: 'pending' },
  { path: '/admin/view-as/:userId', audience: 'staff', page: 'viewAs' },
  { path: '/admin/view-as/:userId/:folderId', audience: 'staff', page: 'viewAsFolder' },
  { path: '/admin/account', audience: 'staff', page: 'account' },
  { path: '/admin/settings', audience: 'admin', page: 'settings' },
];

/** Match "/admin/folders/:id" style patterns; params are decoded. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      try {
        out[p[i].slice(1)] = decodeURIComponent(s[i]);
      } catch {
        return undefined;
      }
    } else if (p[i] !== s[i]) return undefined;
  }
  return out;
}

export function resolve(path: string): { route: SiteRoute; params: Record<string, string> } | undefined {
  for (const route of siteRoutes) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

const seg = (s: string) => encodeURIComponent(s);
const ROOT = 'root';
const withQuery = (base: string, q: Record<string, string | undefined>) => {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${base}?${s}` : base;
};

/** Every address the site links to. */
export const paths = {
  home: () => '/',
  forgot: () => '/forgot',
  portal: () => '/portal',
  portalFolder: (id: string) => `/portal/f/${seg(id)}`,
  share: (token: string) => `/s#${seg(token)}`,
  shareFolder: (token: string, folderId: string) => `/s/f/${seg(folderId)}#${seg(token)}`,
  folders: () => '/admin/folders',
  /** A folder in the staff browser (the root is the browser's start). */
  folder: (id: string) => (id === ROOT ? '/admin/folders' : `/admin/folders/${seg(id)}`),
  file: (id: string) => `/admin/files/${seg(id)}`,
  trash: () => '/admin/trash',
  webusers: (opts: { newFor?: string } = {}) =>
    opts.newFor !== undefined ? withQuery('/admin/webusers', { new: '1', folderId: opts.newFor }) : '/admin/webusers',
  webuser: (id: string) => `/admin/webusers/${seg(id)}`,
  access: (by: { folderId: string } | { userId: string }) =>
    'folderId' in by ? withQuery('/admin/access', { folderId: by.folderId }) : withQuery('/admin/access', by),
  activity: (f: { actorId?: string; folderId?: string; fileId?: string; type?: string } = {}) =>
    withQuery('/admin/activity', f),
  viewAs: (userId: string, folderId?: string) =>
    folderId ? `/admin/view-as/${seg(userId)}/${seg(folderId)}` : `/admin/view-as/${seg(userId)}`,
  deliver: () => '/admin/deliver',
  pending: () => '/admin/pending',
  account: () => '/admin/account',
  settings: () => '/admin/settings',
};

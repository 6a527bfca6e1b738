/**
 * "View as client": a web user's view, read-only and clearly marked as a
 * preview. GET /webusers/{id}/view (issue 5) answers with the portal's own
 * code path: without folderId the tops (as GET /portal/folders), with it the
 * listing (as GET /portal/folders/{id}). Until that route exists, the view is
 * built from the user's live grants and staff's listing, cut at the grant.
 */
import { ApiError, api, seg } from '../api.ts';
import { Browse } from '../components/Browse.tsx';
import { A, Breadcrumbs, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { downloadUrl } from '../download.ts';
import { t } from '../i18n.ts';
import { listOf, trail } from '../paths.ts';
import type { Folder, Grant, Listing, PathItem, WebUser } from '../types.ts';
import { pathLabel } from './common.ts';

interface UserDetails {
  user: WebUser;
  grants: Grant[];
}

interface View {
  tops?: Folder[];
  listing?: Listing;
}

const notFound = () => new ApiError(404, 'not_found', 'Not found.');

async function viewFromApi(userId: string, folderId?: string): Promise<View | undefined> {
  try {
    const r = await api<unknown>(`/webusers/${seg(userId)}/view`, { query: { folderId } });
    if (folderId) return { listing: r as Listing };
    return { tops: listOf<Folder>(r, 'folders') };
  } catch (err) {
    // A 404 on the tops means the route is not there yet; on a folder, that it is out of reach.
    if (err instanceof ApiError && err.status === 404 && !folderId) return undefined;
    throw err;
  }
}

async function viewFromGrants(details: UserDetails, folderId?: string): Promise<View> {
  const grants = details.grants.filter(
    (g) => g.live !== false && (!g.expiresAt || Date.parse(g.expiresAt) > Date.now()),
  );
  if (!folderId) {
    return {
      tops: grants.map((g) => ({
        id: g.folderId,
        name: g.name || pathLabel(g.path).split(' / ').pop() || g.folderId,
        parentId: null,
        version: 0,
        createdAt: '',
        updatedAt: '',
      })),
    };
  }
  if (details.user.status === 'disabled') throw notFound();
  const l = await api<Listing>(`/folders/${seg(folderId)}`);
  const full = trail(l.path, l.folder);
  const granted = new Set(grants.map((g) => g.folderId));
  const cut = full.findIndex((p) => granted.has(p.id));
  if (cut < 0) throw notFound();
  return { listing: { ...l, path: full.slice(cut) } };
}

let apiView: boolean | undefined;

export function ViewAsPage({ userId, folderId }: { userId: string; folderId?: string }) {
  useLang();
  const u = useLoad(() => api<UserDetails>(`/webusers/${seg(userId)}`), [userId]);
  const v = useLoad(async () => {
    if (apiView !== false) {
      const fromApi = await viewFromApi(userId, apiView ? folderId : undefined);
      if (fromApi) {
        apiView = true;
        return folderId && !fromApi.listing ? await viewFromApi(userId, folderId) : fromApi;
      }
      apiView = false;
    }
    return viewFromGrants(await api<UserDetails>(`/webusers/${seg(userId)}`), folderId);
  }, [userId, folderId]);
  const user = u.data?.user;
  const base = `/admin/view-as/${seg(userId)}`;
  const href = (f: { id: string }) => `${base}/${seg(f.id)}`;
  const listing = folderId && v.data?.listing?.folder.id === folderId ? v.data.listing : undefined;

  return (
    <section class="page">
      <div class="preview-banner" role="note" data-testid="view-as-banner">
        <span>
          {user ? t('viewAs.banner', { name: user.name || user.email, email: user.email }) : t('viewAs.title')}
        </span>
        <A class="btn" href={`/admin/webusers/${seg(userId)}`}>
          {t('viewAs.exit')}
        </A>
      </div>
      <PageTitle title={t('viewAs.title')}>{listing ? listing.folder.name : t('portal.title')}</PageTitle>
      <ErrorMessage error={u.error} />
      <ErrorMessage error={v.error} />
      {v.loading && !v.data && <Loading />}
      {!folderId && v.data?.tops && (
        <Browse
          folders={v.data.tops}
          files={[]}
          folderHref={href}
          urlFor={() => Promise.reject(new Error('none'))}
          emptyText={t('portal.nothing')}
        />
      )}
      {listing && (
        <>
          <Breadcrumbs
            path={trail(listing.path as PathItem[], listing.folder)}
            hrefFor={href}
            rootLabel={t('nav.myFolders')}
            rootHref={base}
          />
          <Browse
            folders={listing.folders}
            files={listing.files}
            folderHref={href}
            urlFor={(f, d) => downloadUrl(`/files/${seg(f.id)}/download`, d)}
            emptyText={t('portal.folderEmpty')}
          />
        </>
      )}
    </section>
  );
}

/**
 * "View as client": a web user's view, read-only and clearly marked as a preview. GET
 * /webusers/{id}/view answers with the portal's own code path: without folderId the tops (as GET
 * /portal/folders), with it the listing (as GET /portal/folders/{id}); the browser decides nothing. Its
 * search box asks GET /webusers/{id}/view/search, the portal's search for that user.
 */
import * as api from '../api.ts';
import { Browse } from '../components/Browse.tsx';
import { SearchBox } from '../components/Search.tsx';
import { A, Breadcrumbs, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { useListing } from '../components/useListing.ts';
import { t } from '../i18n/index.ts';
import { trail } from '../paths.ts';
import { paths } from '../routes.ts';

export function ViewAsPage({ userId, folderId }: { userId: string; folderId?: string }) {
  useLang();
  const u = useLoad(() => api.getWebuser(userId), [userId]);
  const tops = useLoad(async () => (folderId ? undefined : api.viewAsTops(userId)), [userId, folderId]);
  const listing = useListing(
    async (p) => (folderId ? api.viewAsFolder(userId, folderId, p) : undefined),
    [userId, folderId],
  );
  const user = u.data?.user;
  const href = (f: { id: string }) => paths.viewAs(userId, f.id);
  const l = folderId && listing.data?.folder.id === folderId ? listing.data : undefined;
  const loading = folderId ? listing.loading && !l : tops.loading && !tops.data;

  return (
    <section class="page">
      <div class="preview-banner" role="note" data-testid="view-as-banner">
        <span>
          {user ? t('viewAs.banner', { name: user.name || user.email, email: user.email }) : t('viewAs.title')}
        </span>
        <A class="btn" href={paths.webuser(userId)}>
          {t('viewAs.exit')}
        </A>
      </div>
      <PageTitle title={t('viewAs.title')}>{l ? l.folder.name : t('portal.title')}</PageTitle>
      <SearchBox
        search={(q, cursor, signal) => api.viewAsSearch(userId, q, cursor, signal)}
        folderHref={(id) => href({ id })}
      />
      <ErrorMessage error={u.error} />
      <ErrorMessage error={folderId ? listing.error : tops.error} />
      {loading && <Loading />}
      {!folderId && tops.data && (
        <Browse
          folders={tops.data.folders}
          files={[]}
          folderHref={href}
          urlFor={(f, d) => api.staffDownload(f.id, d)}
          emptyText={t('portal.nothing')}
        />
      )}
      {l && (
        <>
          <Breadcrumbs
            path={trail(l.path, l.folder)}
            hrefFor={href}
            rootLabel={t('nav.myFolders')}
            rootHref={paths.viewAs(userId)}
          />
          <Browse
            folders={l.folders}
            files={l.files}
            folderHref={href}
            urlFor={(f, d) => api.staffDownload(f.id, d)}
            emptyText={t('portal.folderEmpty')}
            paged={listing}
          />
        </>
      )}
    </section>
  );
}

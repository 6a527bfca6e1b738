/** The client portal: a web user's granted folders, browse, preview, download. Read-only by design. */
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { setCompany, useCompany } from '../branding.ts';
import { Browse } from '../components/Browse.tsx';
import { SearchBox } from '../components/Search.tsx';
import { Shell } from '../components/Shell.tsx';
import { Breadcrumbs, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { useListing } from '../components/useListing.ts';
import { t } from '../i18n/index.ts';
import { trail } from '../paths.ts';
import { type PortalPage, paths } from '../routes.ts';
import type { Me } from '../types.ts';

export function PortalApp({ me, page, params }: { me: Me; page: PortalPage; params: Record<string, string> }) {
  useLang();
  const meQ = useLoad(async () => {
    const r = await api.portalMe();
    setCompany(r.company);
    return r;
  }, [me.id]);
  const email = meQ.data?.user.email ?? me.email;
  return (
    <Shell email={email} home={paths.portal()} nav={[{ href: paths.portal(), label: t('nav.myFolders') }]}>
      {page === 'portalFolder' ? (
        <PortalFolder id={params.id} />
      ) : (
        <PortalHome name={meQ.data?.user.name || me.name || email || ''} />
      )}
    </Shell>
  );
}

function PortalHome({ name }: { name: string }) {
  useLang();
  const company = useCompany();
  const q = useLoad(() => api.portalFolders(), []);
  const folders = q.data?.folders ?? [];
  return (
    <section class="page">
      <PageTitle title={t('portal.title')}>{t('portal.title')}</PageTitle>
      {folders.length > 0 && <p class="lead">{t('portal.welcome', { name, company: company.name })}</p>}
      {folders.length > 0 && <SearchBox search={api.portalSearch} folderHref={paths.portalFolder} />}
      <ErrorMessage error={q.error} onRetry={q.reload} />
      {q.loading && !q.data && <Loading />}
      {q.data && folders.length === 0 && (
        <div class="empty-state" data-testid="nothing-shared">
          <h2>{t('portal.nothing')}</h2>
          <p>{t('portal.nothingHint', { company: company.name })}</p>
        </div>
      )}
      {folders.length > 0 && (
        <Browse
          folders={folders}
          files={[]}
          folderHref={(f) => paths.portalFolder(f.id)}
          urlFor={(f, d) => api.portalDownload(f.id, d)}
          emptyText={t('portal.nothing')}
        />
      )}
    </section>
  );
}

function PortalFolder({ id }: { id: string }) {
  useLang();
  const q = useListing((p) => api.portalFolder(id, p), [id]);
  const l = q.data?.folder.id === id ? q.data : undefined;
  return (
    <section class="page">
      {l ? (
        <PageTitle title={l.folder.name}>{l.folder.name}</PageTitle>
      ) : (
        <PageTitle title={t('portal.title')}>{t('portal.title')}</PageTitle>
      )}
      {l && (
        <Breadcrumbs
          path={trail(l.path, l.folder)}
          hrefFor={(p) => paths.portalFolder(p.id)}
          rootLabel={t('nav.myFolders')}
          rootHref={paths.portal()}
        />
      )}
      <SearchBox search={api.portalSearch} folderHref={paths.portalFolder} />
      <ErrorMessage
        error={q.error}
        onRetry={q.error instanceof ApiError && q.error.status >= 500 ? q.reload : undefined}
      />
      {q.loading && !l && <Loading />}
      {l && (
        <Browse
          folders={l.folders}
          files={l.files}
          folderHref={(f) => paths.portalFolder(f.id)}
          urlFor={(f, d) => api.portalDownload(f.id, d)}
          emptyText={t('portal.folderEmpty')}
          paged={q}
          zip={{ name: `${l.folder.name}.zip`, fetch: (body) => api.portalFolderDownloads(id, body) }}
          acknowledge={(f) => api.portalAcknowledge(f.id)}
        />
      )}
    </section>
  );
}

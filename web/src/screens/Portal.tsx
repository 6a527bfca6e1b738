/** The client portal: a web user's granted folders, browse, preview, download. Read-only by design. */
import { ApiError, api, seg } from '../api.ts';
import { setCompany, useCompany } from '../branding.ts';
import { Browse } from '../components/Browse.tsx';
import { Shell } from '../components/Shell.tsx';
import { Breadcrumbs, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { downloadUrl } from '../download.ts';
import { t } from '../i18n.ts';
import { listOf, trail } from '../paths.ts';
import { type Loc, match } from '../router.ts';
import type { Company, Listing, Me } from '../types.ts';

interface PortalMe {
  user: { id: string; email: string; name: string; language?: string };
  company?: Company;
}

export function PortalApp({ me, loc }: { me: Me; loc: Loc }) {
  useLang();
  const meQ = useLoad(async () => {
    const r = await api<PortalMe>('/portal/me');
    if (r?.company) setCompany(r.company);
    return r;
  }, [me.id]);
  const folder = match('/portal/f/:id', loc.path) ?? match('/portal/folders/:id', loc.path);
  const email = meQ.data?.user.email ?? me.email;
  return (
    <Shell email={email} home="/portal" nav={[{ href: '/portal', label: t('nav.myFolders') }]}>
      {folder ? <PortalFolder id={folder.id} /> : <PortalHome name={meQ.data?.user.name || me.name || email || ''} />}
    </Shell>
  );
}

function PortalHome({ name }: { name: string }) {
  useLang();
  const company = useCompany();
  const q = useLoad(() => api<unknown>('/portal/folders'), []);
  const folders = listOf<Listing['folder'] & { path?: unknown }>(q.data, 'folders', 'grants');
  return (
    <section class="page">
      <PageTitle title={t('portal.title')}>{t('portal.title')}</PageTitle>
      {q.data !== undefined && folders.length > 0 && (
        <p class="lead">{t('portal.welcome', { name, company: company.name })}</p>
      )}
      <ErrorMessage error={q.error} notYet onRetry={q.reload} />
      {q.loading && q.data === undefined && <Loading />}
      {q.data !== undefined && folders.length === 0 && (
        <div class="empty-state" data-testid="nothing-shared">
          <h2>{t('portal.nothing')}</h2>
          <p>{t('portal.nothingHint', { company: company.name })}</p>
        </div>
      )}
      {folders.length > 0 && (
        <Browse
          folders={folders.map((f) => ({ ...f, id: f.id ?? (f as unknown as { folderId: string }).folderId }))}
          files={[]}
          folderHref={(f) => `/portal/f/${seg(f.id)}`}
          urlFor={() => Promise.reject(new Error('no files here'))}
          emptyText={t('portal.nothing')}
        />
      )}
    </section>
  );
}

function PortalFolder({ id }: { id: string }) {
  useLang();
  const q = useLoad(() => api<Listing>(`/portal/folders/${seg(id)}`), [id]);
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
          hrefFor={(p) => `/portal/f/${seg(p.id)}`}
          rootLabel={t('nav.myFolders')}
          rootHref="/portal"
        />
      )}
      <ErrorMessage
        error={q.error}
        onRetry={q.error instanceof ApiError && q.error.status >= 500 ? q.reload : undefined}
      />
      {q.loading && !l && <Loading />}
      {l && (
        <Browse
          folders={l.folders}
          files={l.files}
          folderHref={(f) => `/portal/f/${seg(f.id)}`}
          urlFor={(f, disposition) => downloadUrl(`/portal/files/${seg(f.id)}/download`, disposition)}
          emptyText={t('portal.folderEmpty')}
        />
      )}
    </section>
  );
}

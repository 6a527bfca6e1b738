/**
 * "Who can see what" (GET /reports/access): by folder (`?folderId=`, the
 * folder and what it inherits from its parents) or by web user
 * (`?userId=`). Grants to web users and links sent by email, live ones first;
 * expired, revoked, disabled and gone ones stay in the table, marked.
 */
import { api, seg } from '../api.ts';
import { A, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { t } from '../i18n.ts';
import { trail } from '../paths.ts';
import type { Listing, WebUser } from '../types.ts';
import { pathLabel } from './common.ts';
import { type AccessEntry, accessStatus, sortAccess, to } from './oversight.ts';
import { ROOT } from './tree.tsx';

interface Subject {
  title: string;
  back: { href: string; label: string };
}

async function subjectOf(folderId?: string, userId?: string): Promise<Subject> {
  if (folderId) {
    const l = await api<Listing>(`/folders/${seg(folderId)}`, { query: { limit: 1 } });
    const full = trail(l.path, l.folder).filter((p) => p.id !== ROOT);
    return {
      title: to('access.forFolder', { name: pathLabel(full) || l.folder.name }),
      back: { href: `/admin/folders/${seg(folderId)}`, label: l.folder.name },
    };
  }
  const r = await api<{ user: WebUser }>(`/webusers/${seg(userId!)}`);
  const who = r.user.name ? `${r.user.name} (${r.user.email})` : r.user.email;
  return {
    title: to('access.forUser', { name: who }),
    back: { href: `/admin/webusers/${seg(userId!)}`, label: r.user.name || r.user.email },
  };
}

export function AccessPage({ query }: { query: URLSearchParams }) {
  useLang();
  const folderId = query.get('folderId') || undefined;
  const userId = folderId ? undefined : query.get('userId') || undefined;
  const subject = useLoad(
    () => (folderId || userId ? subjectOf(folderId, userId) : Promise.resolve(undefined)),
    [folderId, userId],
  );
  const report = useLoad(
    () =>
      folderId || userId
        ? api<{ entries: AccessEntry[] }>('/reports/access', { query: { folderId, userId } }).then((r) =>
            sortAccess(r.entries ?? []),
          )
        : Promise.resolve([]),
    [folderId, userId],
  );
  const entries = report.data ?? [];
  const live = entries.filter((e) => accessStatus(e.status) === 'live').length;

  return (
    <section class="page">
      {subject.data && (
        <p>
          <A href={subject.data.back.href}>← {subject.data.back.label}</A>
        </p>
      )}
      <PageTitle title={to('access.title')}>{to('access.title')}</PageTitle>
      {subject.data && <p id="access-subject">{subject.data.title}</p>}
      <p class="lead">{to('access.intro')}</p>
      <ErrorMessage error={report.error} notYet />
      {report.loading && !report.data && <Loading />}
      {report.data && entries.length === 0 && <p class="empty">{to('access.empty')}</p>}
      {entries.length > 0 && (
        <>
          <p data-testid="access-summary">{to('access.summary', { live, other: entries.length - live })}</p>
          <div class="table-wrap">
            <table
              class="data"
              data-testid="access-report"
              aria-label={to('access.title')}
              aria-describedby={subject.data ? 'access-subject' : undefined}
            >
              <thead>
                <tr>
                  <th scope="col">{to('access.status')}</th>
                  <th scope="col">{to('access.kind')}</th>
                  <th scope="col">{to('access.who')}</th>
                  <th scope="col">{to('access.folder')}</th>
                  <th scope="col">{to('access.expires')}</th>
                  <th scope="col">{to('access.lastAccess')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e, i) => {
                  const status = accessStatus(e.status);
                  const who = e.name && e.email ? `${e.name} (${e.email})` : e.email || e.name || e.userId || '';
                  const where = pathLabel(e.path) || t('common.none');
                  return (
                    <tr
                      key={`${e.kind}-${e.userId ?? e.linkId ?? i}-${e.folderId}`}
                      data-testid="access-row"
                      data-status={status}
                      data-kind={e.kind}
                    >
                      <td>
                        <span class={status === 'live' ? 'badge' : 'badge badge-off'}>
                          {to(`access.status.${status}`)}
                        </span>
                      </td>
                      <td>{to(e.kind === 'link' ? 'access.kind.link' : 'access.kind.grant')}</td>
                      <td>
                        {e.kind === 'grant' && e.userId && !userId ? (
                          <A href={`/admin/webusers/${seg(e.userId)}`}>{who}</A>
                        ) : (
                          who
                        )}
                      </td>
                      <td>
                        {status === 'folder-gone' || folderId === e.folderId ? (
                          where
                        ) : (
                          <A href={`/admin/folders/${seg(e.folderId)}`}>{where}</A>
                        )}
                      </td>
                      <td>{e.expiresAt ? formatDate(e.expiresAt) : to('access.noExpiry')}</td>
                      <td>{e.lastAccessAt ? formatDate(e.lastAccessAt) : to('access.never')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

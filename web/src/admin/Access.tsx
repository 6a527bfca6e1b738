/**
 * "Who can see what" (GET /reports/access): by folder (`?folderId=`, the
 * folder and what it inherits from its parents) or by web user
 * (`?userId=`). Grants to web users and links sent by email, live ones first;
 * expired, revoked, disabled and gone ones stay in the table, marked.
 */
import * as api from '../api.ts';
import { A, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { type Key, t } from '../i18n/index.ts';
import { trail } from '../paths.ts';
import { paths } from '../routes.ts';
import type { AccessStatus } from '../types.ts';
import { pathLabel } from './common.ts';
import { sortAccess } from './oversight.ts';
import { ROOT } from './tree.tsx';

const STATUS: Record<AccessStatus, Key> = {
  live: 'access.status.live',
  expired: 'access.status.expired',
  revoked: 'access.status.revoked',
  disabled: 'access.status.disabled',
  'folder-gone': 'access.status.folder-gone',
};

interface Subject {
  title: string;
  back: { href: string; label: string };
}

async function subjectOf(folderId?: string, userId?: string): Promise<Subject> {
  if (folderId) {
    const l = await api.getFolder(folderId, { limit: 1 });
    const full = trail(l.path, l.folder).filter((p) => p.id !== ROOT);
    return {
      title: t('access.forFolder', { name: pathLabel(full) || l.folder.name }),
      back: { href: paths.folder(folderId), label: l.folder.name },
    };
  }
  const r = await api.getWebuser(userId!);
  const who = r.user.name ? `${r.user.name} (${r.user.email})` : r.user.email;
  return {
    title: t('access.forUser', { name: who }),
    back: { href: paths.webuser(userId!), label: r.user.name || r.user.email },
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
        ? api.accessReport(folderId ? { folderId } : { userId: userId! }).then((r) => sortAccess(r.entries))
        : Promise.resolve([]),
    [folderId, userId],
  );
  const entries = report.data ?? [];
  const live = entries.filter((e) => e.status === 'live').length;

  return (
    <section class="page">
      {subject.data && (
        <p>
          <A href={subject.data.back.href}>← {subject.data.back.label}</A>
        </p>
      )}
      <PageTitle title={t('access.title')}>{t('access.title')}</PageTitle>
      {subject.data && <p id="access-subject">{subject.data.title}</p>}
      <p class="lead">{t('access.intro')}</p>
      <ErrorMessage error={report.error} />
      {report.loading && !report.data && <Loading />}
      {report.data && entries.length === 0 && <p class="empty">{t('access.empty')}</p>}
      {entries.length > 0 && (
        <>
          <p data-testid="access-summary">{t('access.summary', { live, other: entries.length - live })}</p>
          <div class="table-wrap">
            <table
              class="data"
              data-testid="access-report"
              aria-label={t('access.title')}
              aria-describedby={subject.data ? 'access-subject' : undefined}
            >
              <thead>
                <tr>
                  <th scope="col">{t('access.status')}</th>
                  <th scope="col">{t('access.kind')}</th>
                  <th scope="col">{t('access.who')}</th>
                  <th scope="col">{t('access.folder')}</th>
                  <th scope="col">{t('access.expires')}</th>
                  <th scope="col">{t('access.lastAccess')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e, i) => {
                  const status = e.status;
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
                        <span class={status === 'live' ? 'badge' : 'badge badge-off'}>{t(STATUS[status])}</span>
                      </td>
                      <td>{t(e.kind === 'link' ? 'access.kind.link' : 'access.kind.grant')}</td>
                      <td>
                        {e.kind === 'grant' && e.userId && !userId ? <A href={paths.webuser(e.userId)}>{who}</A> : who}
                      </td>
                      <td>
                        {status === 'folder-gone' || folderId === e.folderId ? (
                          where
                        ) : (
                          <A href={paths.folder(e.folderId)}>{where}</A>
                        )}
                      </td>
                      <td>{e.expiresAt ? formatDate(e.expiresAt) : t('access.noExpiry')}</td>
                      <td>{e.lastAccessAt ? formatDate(e.lastAccessAt) : t('access.never')}</td>
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

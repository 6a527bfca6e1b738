/**
 * Who a folder is shared with, at a glance (GET /folders/{id}/sharing): web users and live email
 * links on this folder and on the folders above it (inherited, saying from which folder), each with
 * revoke (confirmed, then said); links say their protection (password, downloads) and expiry, and
 * this folder's expired links can be extended (a new link mailed); and a link to the full access
 * report (Access.tsx). The links come in the same answer as the grants, in the shape GET
 * /folders/{id}/links has, so no second request.
 */
import { useState } from 'preact/hooks';
import * as api from '../api.ts';
import { A, ErrorMessage, Notice, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { t } from '../i18n/index.ts';
import { paths } from '../routes.ts';
import type { PathItem, ShareLink } from '../types.ts';
import { ConfirmDialog } from './dialogs.tsx';

type Revoking =
  | { kind: 'grant'; userId: string; who: string; folder: PathItem }
  | { kind: 'link'; linkId: string; email: string };

export function SharedWith({ folderId, folderName }: { folderId: string; folderName: string }) {
  useLang();
  const q = useLoad(() => api.folderSharing(folderId), [folderId]);
  const [confirm, setConfirm] = useState<Revoking>();
  const [notice, setNotice] = useState<string>();

  const now = Date.now();
  const grants = (q.data?.grants ?? []).filter((g) => !g.expiresAt || Date.parse(g.expiresAt) > now);
  // Live links wherever they are; expired ones only on this folder, where they can be extended, and only
  // until they are (an extended link names the one mailed in its place, and cannot be extended again).
  const all = q.data?.links ?? [];
  const links = all.filter((l) => l.status === 'active' || (l.status === 'expired' && !l.via && !l.replacedBy));
  const [extending, setExtending] = useState<string>();
  const [extendError, setExtendError] = useState<unknown>();
  const extend = async (l: ShareLink) => {
    setExtending(l.id);
    setExtendError(undefined);
    try {
      const r = await api.extendLink(l.id);
      setNotice(t('links.extended', { email: r.link.email, date: formatDate(r.link.expiresAt, false) }));
      q.reload();
    } catch (err) {
      setExtendError(err);
    } finally {
      setExtending(undefined);
    }
  };
  const via = (v: PathItem | null) =>
    v ? (
      <span class="via" data-testid="via">
        {' · '}
        {t('folders.via', { name: v.name })}
      </span>
    ) : null;

  const revoke = async (r: Revoking) => {
    if (r.kind === 'grant') await api.deleteGrant(r.folder.id, r.userId);
    else await api.revokeLink(r.linkId);
    setConfirm(undefined);
    setNotice(
      r.kind === 'grant' ? t('folders.grantRevoked', { who: r.who }) : t('folders.linkRevoked', { email: r.email }),
    );
    q.reload();
  };

  return (
    <section class="shared" aria-labelledby="shared-title" data-testid="shared-with">
      <h2 id="shared-title">{t('folders.sharedWith')}</h2>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={q.error} onRetry={q.reload} />
      <ErrorMessage error={extendError} />
      {q.data && grants.length + links.length === 0 && <p class="empty">{t('folders.notShared')}</p>}
      <ul>
        {grants.map((g) => {
          const who = g.name ? `${g.name} (${g.email ?? ''})` : (g.email ?? g.userId);
          const on = g.via ?? { id: folderId, name: folderName };
          return (
            <li key={`g-${g.userId}-${on.id}`} data-testid="grant" data-inherited={g.via ? 'yes' : 'no'}>
              <span class="grow">
                <A href={paths.webuser(g.userId)}>{t('folders.grant', { who })}</A>
                {g.expiresAt ? ` · ${t('common.expires')} ${formatDate(g.expiresAt, false)}` : ''}
                {via(g.via)}
              </span>
              <button
                type="button"
                class="btn btn-small btn-danger"
                aria-label={
                  g.via
                    ? t('folders.revokeOn', { who: g.email ?? g.userId, folder: on.name })
                    : `${t('common.revoke')}: ${g.email ?? g.userId}`
                }
                onClick={() => setConfirm({ kind: 'grant', userId: g.userId, who, folder: on })}
              >
                {t('common.revoke')}
              </button>
            </li>
          );
        })}
        {links.map((l) => (
          <li key={`l-${l.id}`} data-testid="link" data-inherited={l.via ? 'yes' : 'no'} data-status={l.status}>
            <span class="grow">
              {t('folders.link', { email: l.email })}
              {linkOptions(l)}
              {' · '}
              {l.status === 'expired' ? (
                <span class="badge badge-off">{t('links.expiredOn', { date: formatDate(l.expiresAt, false) })}</span>
              ) : (
                `${t('common.expires')} ${formatDate(l.expiresAt, false)}`
              )}
              {via(l.via)}
            </span>
            {l.status === 'expired' ? (
              <button
                type="button"
                class="btn btn-small"
                disabled={extending === l.id}
                onClick={() => void extend(l)}
                aria-label={t('links.extendLabel', { email: l.email })}
              >
                {extending === l.id ? t('common.working') : t('links.extend')}
              </button>
            ) : (
              <button
                type="button"
                class="btn btn-small btn-danger"
                onClick={() => setConfirm({ kind: 'link', linkId: l.id, email: l.email })}
                aria-label={`${t('common.revoke')}: ${l.email}`}
              >
                {t('common.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <p>
        <A href={paths.access({ folderId })} data-testid="access-link">
          {t('access.full')}
        </A>
      </p>
      {confirm && (
        <ConfirmDialog
          title={confirm.kind === 'grant' ? t('folders.revokeGrantTitle') : t('links.revokeTitle')}
          text={
            confirm.kind === 'grant'
              ? t('folders.revokeGrantConfirm', { who: confirm.who, folder: confirm.folder.name })
              : t('links.revokeConfirm', { email: confirm.email })
          }
          confirmLabel={t('common.revoke')}
          danger
          onConfirm={() => revoke(confirm)}
          onClose={() => setConfirm(undefined)}
        />
      )}
    </section>
  );
}

/** " · con contraseña · 1 de 3 descargas": what protects a link, in words (the count used only when the API tells). */
function linkOptions(l: ShareLink): string {
  const parts: string[] = [];
  if (l.passwordProtected) parts.push(t('links.password'));
  if (l.maxDownloads)
    parts.push(
      typeof l.downloads === 'number'
        ? t('links.downloadsUsed', { used: l.downloads, max: l.maxDownloads })
        : t('links.downloadsMax', { max: l.maxDownloads }),
    );
  return parts.map((p) => ` · ${p}`).join('');
}

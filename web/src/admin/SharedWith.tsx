/**
 * Who a folder is shared with, at a glance: web users (grants) and live email
 * links, each with revoke; and a link to the full access report (Access.tsx).
 */
import { useState } from 'preact/hooks';
import { ApiError, api, seg } from '../api.ts';
import { A, ErrorMessage, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { t } from '../i18n.ts';
import { listOf } from '../paths.ts';
import type { Grant, ShareLink, WebUser } from '../types.ts';
import { accessHref, to } from './oversight.ts';

const notLanded = (e: unknown) => e instanceof ApiError && e.status === 404;

/** Names and emails of web users by id (GET /webusers/{id}), cached for the page's life. */
const people = new Map<string, Promise<WebUser | undefined>>();
function person(id: string): Promise<WebUser | undefined> {
  let p = people.get(id);
  if (!p) {
    p = api<{ user: WebUser }>(`/webusers/${seg(id)}`).then(
      (r) => r.user,
      () => undefined,
    );
    people.set(id, p);
  }
  return p;
}
export function forgetPerson(id: string): void {
  people.delete(id);
}

export function SharedWith({ folderId }: { folderId: string }) {
  useLang();
  const links = useLoad(
    () => api<unknown>(`/folders/${seg(folderId)}/links`).then((r) => listOf<ShareLink>(r, 'links')),
    [folderId],
  );
  const grants = useLoad(async () => {
    const list = listOf<Grant>(await api<unknown>(`/folders/${seg(folderId)}/grants`), 'grants');
    const users = await Promise.all(list.map((g) => (g.userId ? person(g.userId) : Promise.resolve(undefined))));
    return list.map((g, i) => ({ grant: g, user: users[i] }));
  }, [folderId]);
  const [error, setError] = useState<unknown>();

  const now = Date.now();
  const liveLinks = (links.data ?? []).filter((l) =>
    l.status ? l.status === 'active' : !l.revokedAt && Date.parse(l.expiresAt) > now,
  );
  const liveGrants = (grants.data ?? []).filter(({ grant: g }) => !g.expiresAt || Date.parse(g.expiresAt) > now);
  const unavailable = notLanded(links.error) && notLanded(grants.error);
  const loaded = (links.data || links.error) && (grants.data || grants.error);

  const revoke = async (fn: () => Promise<unknown>, reload: () => void) => {
    setError(undefined);
    try {
      await fn();
      reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="shared" aria-labelledby="shared-title" data-testid="shared-with">
      <h2 id="shared-title">{t('folders.sharedWith')}</h2>
      <ErrorMessage error={error} />
      {!unavailable && <ErrorMessage error={links.error} notYet />}
      {!unavailable && <ErrorMessage error={grants.error} notYet />}
      {unavailable && <p class="hint">{t('err.notYet')}</p>}
      {!unavailable && loaded && liveLinks.length + liveGrants.length === 0 && (
        <p class="empty">{t('folders.notShared')}</p>
      )}
      <ul>
        {liveGrants.map(({ grant: g, user }) => {
          const uid = g.userId ?? '';
          const label = t('folders.grant', { name: user?.name ?? '', email: user?.email ?? uid });
          return (
            <li key={`g-${uid}`} data-testid="grant">
              <span>
                {uid ? <A href={`/admin/webusers/${seg(uid)}`}>{label}</A> : label}
                {g.expiresAt ? ` · ${t('common.expires')} ${formatDate(g.expiresAt, false)}` : ''}
              </span>
              {uid && (
                <button
                  type="button"
                  class="btn btn-small btn-danger"
                  aria-label={`${t('common.revoke')}: ${user?.email ?? uid}`}
                  onClick={() =>
                    void revoke(
                      () => api(`/folders/${seg(folderId)}/grants/${seg(uid)}`, { method: 'DELETE' }),
                      grants.reload,
                    )
                  }
                >
                  {t('common.revoke')}
                </button>
              )}
            </li>
          );
        })}
        {liveLinks.map((l) => (
          <li key={`l-${l.id}`} data-testid="link">
            <span>
              {t('folders.link', { email: l.email })} · {t('common.expires')} {formatDate(l.expiresAt, false)}
            </span>
            <button
              type="button"
              class="btn btn-small btn-danger"
              onClick={() => void revoke(() => api(`/links/${seg(l.id)}`, { method: 'DELETE' }), links.reload)}
              aria-label={`${t('common.revoke')}: ${l.email}`}
            >
              {t('common.revoke')}
            </button>
          </li>
        ))}
      </ul>
      <p>
        <A href={accessHref({ folderId })} data-testid="access-link">
          {to('access.full')}
        </A>
      </p>
    </section>
  );
}

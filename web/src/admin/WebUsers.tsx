/**
 * Web users: list with search, create (with folders to grant), and one user's
 * page (grants, links, activity, actions, "who can see what", the GDPR export).
 */
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ListEnd } from '../components/ListEnd.tsx';
import { A, Dialog, ErrorMessage, Loading, Notice, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { saveBlob } from '../download.ts';
import { formatDate } from '../format.ts';
import { type Key, lang, t } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { paths } from '../routes.ts';
import type { LinkStatus, ShareLink, UserStatus, WebUser } from '../types.ts';
import { ActivityList } from './Activity.tsx';
import { pathLabel } from './common.ts';
import { ConfirmDialog } from './dialogs.tsx';
import { exportFileName } from './oversight.ts';
import { FolderPicker, ROOT, subfolders } from './tree.tsx';

export const USER_STATUS: Record<UserStatus, Key> = {
  active: 'users.status.active',
  invited: 'users.status.invited',
  disabled: 'users.status.disabled',
};

/** A badge, red when what it names no longer works. */
const badgeClass = (live: boolean) => (live ? 'badge' : 'badge badge-off');

export function StatusBadge({ status }: { status: UserStatus }) {
  return <span class={badgeClass(status !== 'disabled')}>{t(USER_STATUS[status])}</span>;
}

const LINK_STATUS: Record<LinkStatus, Key> = {
  active: 'links.status.active',
  expired: 'links.status.expired',
  revoked: 'links.status.revoked',
};

export function WebUsersPage({ query }: { query: URLSearchParams }) {
  useLang();
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [users, setUsers] = useState<WebUser[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [creating, setCreating] = useState(query.get('new') === '1');
  const [notice, setNotice] = useState<string>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setApplied(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  useEffect(() => {
    const ctl = new AbortController();
    setError(undefined);
    api.listWebusers(applied, { signal: ctl.signal }).then(
      (r) => {
        setUsers(r.users);
        setCursor(r.nextCursor);
      },
      (err) => !ctl.signal.aborted && setError(err),
    );
    return () => ctl.abort();
  }, [applied, tick]);

  const [loadingMore, setLoadingMore] = useState(false);
  const more = async () => {
    if (loadingMore) return;
    setLoadingMore(true);
    try {
      const r = await api.listWebusers(applied, { cursor });
      setUsers([...(users ?? []), ...r.users]);
      setCursor(r.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section class="page">
      <div class="page-head">
        <PageTitle title={t('users.title')}>{t('users.title')}</PageTitle>
        <div class="row">
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
            {t('users.new')}
          </button>
        </div>
      </div>
      <p class="lead">{t('users.intro')}</p>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <div class="field">
        <label for="users-q">{t('users.search')}</label>
        <input id="users-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      <ErrorMessage error={error} />
      {!users && !error && <Loading />}
      {users && users.length === 0 && <p class="empty">{applied ? t('users.noMatch') : t('users.empty')}</p>}
      {users && users.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="webusers">
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('common.email')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('users.lastSeen')}</th>
                <th scope="col">{t('users.grants')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <A href={paths.webuser(u.id)}>{u.name || u.email}</A>
                  </td>
                  <td class="wrap-anywhere">{u.email}</td>
                  <td>
                    <StatusBadge status={u.status} />
                  </td>
                  <td>{u.lastSeenAt ? formatDate(u.lastSeenAt) : t('users.neverSeen')}</td>
                  <td>{u.grantCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users && <ListEnd shown={users.length} hasMore={!!cursor} loading={loadingMore} onMore={() => void more()} />}
      {creating && (
        <CreateUserDialog
          initialFolderId={query.get('folderId') ?? undefined}
          onClose={() => setCreating(false)}
          onCreated={(u) => {
            setCreating(false);
            setNotice(t('users.created', { email: u.email }));
            setTick((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}

function CreateUserDialog({
  initialFolderId,
  onClose,
  onCreated,
}: {
  initialFolderId?: string;
  onClose: () => void;
  onCreated: (u: WebUser) => void;
}) {
  useLang();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [language, setLanguage] = useState(lang());
  const [folders, setFolders] = useState<Array<{ id: string; name: string }>>([]);
  const [picking, setPicking] = useState<{ id: string; name: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [rootName, setRootName] = useState(t('folders.root'));

  useEffect(() => {
    api.getFolder(ROOT, { limit: 1 }).then(
      (r) => setRootName(r.folder.name),
      () => undefined,
    );
    if (initialFolderId)
      api.getFolder(initialFolderId, { limit: 1 }).then(
        (r) => setFolders([{ id: r.folder.id, name: r.folder.name }]),
        () => undefined,
      );
    void subfolders(ROOT);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const u = await api.createWebuser({
        email: email.trim(),
        name: name.trim(),
        language,
        folderIds: folders.map((f) => f.id),
      });
      onCreated(u);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('users.createTitle')} onClose={onClose} wide>
      <form onSubmit={submit}>
        <p class="lead">{t('users.createIntro')}</p>
        <ErrorMessage error={error} />
        <div class="row">
          <div class="field grow">
            <label for="nu-email">{t('common.email')}</label>
            <input
              id="nu-email"
              type="email"
              required
              autoFocus
              autocomplete="off"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <div class="field grow">
            <label for="nu-name">{t('common.name')}</label>
            <input id="nu-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="nu-lang">{t('common.language')}</label>
            <select id="nu-lang" value={language} onChange={(e) => setLanguage(e.currentTarget.value as 'es' | 'en')}>
              <option value="es">{t('lang.es')}</option>
              <option value="en">{t('lang.en')}</option>
            </select>
          </div>
        </div>
        <p class="label">{t('users.folders')}</p>
        <ul class="chips" data-testid="chosen-folders">
          {folders.map((f) => (
            <li key={f.id}>
              {f.name}
              <button
                type="button"
                class="btn btn-quiet btn-small"
                aria-label={`${t('common.revoke')}: ${f.name}`}
                onClick={() => setFolders(folders.filter((x) => x.id !== f.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <FolderPicker rootName={rootName} selected={picking?.id} onSelect={setPicking} allowRoot={false} />
        <button
          type="button"
          class="btn"
          disabled={!picking || folders.some((f) => f.id === picking.id)}
          onClick={() => picking && setFolders([...folders, picking])}
        >
          {t('users.addFolder')}
        </button>
        <div class="row-actions">
          <button type="button" class="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy || !email.trim() || !name.trim()}>
            {busy ? t('common.working') : t('users.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type Confirm =
  | { kind: 'erase' }
  | { kind: 'grant'; folderId: string; name: string }
  | { kind: 'link'; link: ShareLink };

export function WebUserPage({ id }: { id: string }) {
  useLang();
  const q = useLoad(() => api.getWebuser(id), [id]);
  const activity = useLoad(() => api.listActivity({ actorId: id }, { limit: 50 }), [id]);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [confirm, setConfirm] = useState<Confirm>();
  const [adding, setAdding] = useState(false);
  const [exporting, setExporting] = useState(false);
  const d = q.data;
  const u = d?.user;

  /** GET /webusers/{id}/export with the token, saved as a JSON file. */
  const exportData = async () => {
    if (!u) return;
    setExporting(true);
    setError(undefined);
    try {
      saveBlob(await api.exportWebuser(id), exportFileName(id));
      setNotice(t('export.done', { email: u.email }));
    } catch (err) {
      setError(err);
    } finally {
      setExporting(false);
    }
  };

  const act = async (fn: () => Promise<unknown>, message: string) => {
    setError(undefined);
    try {
      await fn();
      setNotice(message);
      q.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="page">
      <p>
        <A href={paths.webusers()}>← {t('users.title')}</A>
      </p>
      <PageTitle title={u ? u.name || u.email : t('users.title')}>{u ? u.name || u.email : t('users.title')}</PageTitle>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={q.error} />
      <ErrorMessage error={error} />
      {!d && !q.error && <Loading />}
      {d && u && (
        <>
          <p class="wrap-anywhere">
            {u.email} · <StatusBadge status={u.status} /> · {t('users.lastSeen')}:{' '}
            {d.lastSeenAt ? formatDate(d.lastSeenAt) : t('users.neverSeen')}
          </p>
          <div class="toolbar">
            <A class="btn" href={paths.viewAs(u.id)}>
              {t('users.viewAs')}
            </A>
            <button type="button" class="btn" onClick={() => setAdding(true)}>
              {t('users.share')}
            </button>
            <A class="btn" href={paths.access({ userId: u.id })}>
              {t('access.link')}
            </A>
            <button
              type="button"
              class="btn"
              aria-describedby="export-explain"
              disabled={exporting}
              onClick={() => void exportData()}
            >
              {exporting ? t('common.working') : t('export.button')}
            </button>
            {u.status === 'invited' && (
              <button
                type="button"
                class="btn"
                onClick={() => void act(() => api.reinviteWebuser(id), t('users.resent', { email: u.email }))}
              >
                {t('users.resend')}
              </button>
            )}
            {u.status === 'disabled' ? (
              <button
                type="button"
                class="btn"
                onClick={() =>
                  void act(() => api.updateWebuser(id, { status: 'active' }), t('users.enabled', { email: u.email }))
                }
              >
                {t('users.enable')}
              </button>
            ) : (
              <button
                type="button"
                class="btn"
                onClick={() =>
                  void act(() => api.updateWebuser(id, { status: 'disabled' }), t('users.disabled', { email: u.email }))
                }
              >
                {t('users.disable')}
              </button>
            )}
            <button type="button" class="btn btn-danger" onClick={() => setConfirm({ kind: 'erase' })}>
              {t('users.erase')}
            </button>
          </div>
          <p class="hint" id="export-explain">
            {t('export.explain')}
          </p>

          <h2>{t('users.grantsTitle')}</h2>
          {d.grants.length === 0 ? (
            <p class="empty">{t('users.noGrants')}</p>
          ) : (
            <ul class="shared" data-testid="user-grants">
              {d.grants.map((g) => (
                <li key={g.folderId}>
                  <span class="grow">
                    <A href={paths.folder(g.folderId)}>{pathLabel(g.path) || g.name || g.folderId}</A>
                    {g.expiresAt ? ` · ${t('common.expires')} ${formatDate(g.expiresAt, false)}` : ''}
                  </span>
                  <button
                    type="button"
                    class="btn btn-small btn-danger"
                    aria-label={`${t('common.revoke')}: ${pathLabel(g.path) || g.folderId}`}
                    onClick={() => setConfirm({ kind: 'grant', folderId: g.folderId, name: g.name ?? g.folderId })}
                  >
                    {t('common.revoke')}
                  </button>
                </li>
              ))}
            </ul>
          )}

          <h2>{t('users.linksTitle')}</h2>
          {d.links.length === 0 ? (
            <p class="empty">{t('users.noLinks')}</p>
          ) : (
            <ul class="shared" data-testid="user-links">
              {d.links.map((l) => (
                <li key={l.id} data-testid="user-link" data-status={l.status}>
                  <span class="grow">
                    <span class={badgeClass(l.status === 'active')}>{t(LINK_STATUS[l.status])}</span> {l.email} ·{' '}
                    {l.status === 'revoked' && l.revokedAt
                      ? t('links.revokedOn', { date: formatDate(l.revokedAt) })
                      : `${t('common.expires')} ${formatDate(l.expiresAt, false)}`}
                  </span>
                  {l.status === 'active' && (
                    <button
                      type="button"
                      class="btn btn-small btn-danger"
                      aria-label={`${t('common.revoke')}: ${l.email}`}
                      onClick={() => setConfirm({ kind: 'link', link: l })}
                    >
                      {t('common.revoke')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}

          <h2>{t('users.activityTitle')}</h2>
          <ErrorMessage error={activity.error} />
          {activity.data && <ActivityList events={activity.data.events} people={activity.data.people} compact />}
        </>
      )}
      {confirm?.kind === 'erase' && u && (
        <ConfirmDialog
          title={t('users.erase')}
          text={t('users.eraseConfirm', { email: u.email })}
          confirmLabel={t('users.erase')}
          danger
          onConfirm={async () => {
            await api.eraseWebuser(id);
            navigate(paths.webusers());
          }}
          onClose={() => setConfirm(undefined)}
        />
      )}
      {confirm?.kind === 'grant' && u && (
        <ConfirmDialog
          title={t('folders.revokeGrantTitle')}
          text={t('folders.revokeGrantConfirm', { who: u.name || u.email, folder: confirm.name })}
          confirmLabel={t('common.revoke')}
          danger
          onConfirm={async () => {
            await api.deleteGrant(confirm.folderId, id);
            setConfirm(undefined);
            setNotice(t('folders.grantRevoked', { who: u.name || u.email }));
            q.reload();
          }}
          onClose={() => setConfirm(undefined)}
        />
      )}
      {confirm?.kind === 'link' && d && (
        <ConfirmDialog
          title={t('links.revokeTitle')}
          text={t('links.revokeConfirm', { email: confirm.link.email })}
          confirmLabel={t('common.revoke')}
          danger
          onConfirm={async () => {
            await api.revokeLink(confirm.link.id);
            // Shown as revoked at once; the reload confirms it from the server.
            const at = new Date().toISOString();
            q.set({
              ...d,
              links: d.links.map((l) =>
                l.id === confirm.link.id ? { ...l, status: 'revoked' as const, revokedAt: at } : l,
              ),
            });
            setConfirm(undefined);
            setNotice(t('folders.linkRevoked', { email: confirm.link.email }));
            q.reload();
          }}
          onClose={() => setConfirm(undefined)}
        />
      )}
      {adding && u && (
        <GrantDialog userId={u.id} onClose={() => setAdding(false)} onDone={() => (setAdding(false), q.reload())} />
      )}
    </section>
  );
}

function GrantDialog({ userId, onClose, onDone }: { userId: string; onClose: () => void; onDone: () => void }) {
  useLang();
  const [folder, setFolder] = useState<{ id: string; name: string }>();
  const [error, setError] = useState<unknown>();
  const [rootName, setRootName] = useState(t('folders.root'));
  useEffect(() => {
    api.getFolder(ROOT, { limit: 1 }).then(
      (r) => setRootName(r.folder.name),
      () => undefined,
    );
  }, []);
  return (
    <Dialog title={t('users.share')} onClose={onClose}>
      <ErrorMessage error={error} />
      <FolderPicker rootName={rootName} selected={folder?.id} onSelect={setFolder} allowRoot={false} />
      <div class="row-actions">
        <button type="button" class="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          disabled={!folder}
          onClick={() => folder && api.putGrant(folder.id, userId, { notify: true }).then(onDone, setError)}
        >
          {t('share.submit')}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * Web users: list with search, create (with folders to grant), and one user's
 * page (grants, links, activity, actions, "who can see what", the GDPR export).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, apiBlob, seg } from '../api.ts';
import { A, Dialog, ErrorMessage, Loading, Notice, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { lang, t } from '../i18n.ts';
import { cursorOf, listOf } from '../paths.ts';
import { navigate } from '../router.ts';
import type { ActivityEvent, Grant, ShareLink, WebUser } from '../types.ts';
import { activityTypeLabel } from './Activity.tsx';
import { pathLabel, targetLabel } from './common.ts';
import { ConfirmDialog } from './dialogs.tsx';
import { accessHref, exportFileName, saveBlob, to } from './oversight.ts';
import { FolderPicker, ROOT, subfolders } from './tree.tsx';

function statusBadge(u: WebUser) {
  const disabled = u.status === 'disabled';
  const key = disabled
    ? 'users.status.disabled'
    : u.status === 'invited' || u.status === 'pending'
      ? 'users.status.invited'
      : 'users.status.active';
  return <span class={disabled ? 'badge badge-off' : 'badge'}>{t(key)}</span>;
}

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
    api<unknown>('/webusers', { query: { q: applied || undefined }, signal: ctl.signal }).then(
      (r) => {
        setUsers(listOf<WebUser>(r, 'users', 'webusers'));
        setCursor(cursorOf(r));
      },
      (err) => !ctl.signal.aborted && setError(err),
    );
    return () => ctl.abort();
  }, [applied, tick]);

  const more = async () => {
    try {
      const r = await api<unknown>('/webusers', { query: { q: applied || undefined, cursor } });
      setUsers([...(users ?? []), ...listOf<WebUser>(r, 'users', 'webusers')]);
      setCursor(cursorOf(r));
    } catch (err) {
      setError(err);
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
      <ErrorMessage error={error} notYet={!users} />
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
                    <A href={`/admin/webusers/${seg(u.id)}`}>{u.name || u.email}</A>
                  </td>
                  <td>{u.email}</td>
                  <td>{statusBadge(u)}</td>
                  <td>{u.lastSeenAt ? formatDate(u.lastSeenAt) : t('users.neverSeen')}</td>
                  <td>{u.grantCount ?? u.grants ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="btn" onClick={() => void more()}>
          {t('common.loadMore')}
        </button>
      )}
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
    api<{ folder: { name: string } }>('/folders/root', { query: { limit: 1 } }).then(
      (r) => setRootName(r.folder.name),
      () => undefined,
    );
    if (initialFolderId)
      api<{ folder: { id: string; name: string } }>(`/folders/${seg(initialFolderId)}`, { query: { limit: 1 } }).then(
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
      const u = await api<WebUser>('/webusers', {
        method: 'POST',
        body: { email: email.trim(), name: name.trim(), language, folderIds: folders.map((f) => f.id) },
      });
      onCreated(u);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409 ? new ApiError(409, 'user_exists', t('users.exists')) : err,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('users.createTitle')} onClose={onClose} wide>
      <form onSubmit={submit}>
        <p class="lead">{t('users.createIntro')}</p>
        {error instanceof ApiError && error.code === 'user_exists' ? (
          <p class="alert alert-error" role="alert">
            {t('users.exists')}
          </p>
        ) : (
          <ErrorMessage error={error} notYet />
        )}
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

interface UserDetails {
  user: WebUser;
  grants: Grant[];
  links?: ShareLink[];
  lastSeenAt?: string | null;
}

export function WebUserPage({ id }: { id: string }) {
  useLang();
  const q = useLoad(() => api<UserDetails>(`/webusers/${seg(id)}`), [id]);
  const activity = useLoad(
    () =>
      api<unknown>('/activity', { query: { actorId: id, limit: 50 } }).then((r) => listOf<ActivityEvent>(r, 'events')),
    [id],
  );
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [confirmErase, setConfirmErase] = useState(false);
  const [adding, setAdding] = useState(false);
  const [exporting, setExporting] = useState(false);
  const u = q.data?.user;

  /** GET /webusers/{id}/export with the token, saved as a JSON file. */
  const exportData = async () => {
    if (!u) return;
    setExporting(true);
    setError(undefined);
    try {
      saveBlob(await apiBlob(`/webusers/${seg(id)}/export`), exportFileName(id));
      setNotice(to('export.done', { email: u.email }));
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
        <A href="/admin/webusers">← {t('users.title')}</A>
      </p>
      <PageTitle title={u ? u.name || u.email : t('users.title')}>{u ? u.name || u.email : t('users.title')}</PageTitle>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={q.error} notYet={!q.data} />
      <ErrorMessage error={error} />
      {!q.data && !q.error && <Loading />}
      {u && (
        <>
          <p>
            {u.email} · {statusBadge(u)} · {t('users.lastSeen')}:{' '}
            {q.data!.lastSeenAt || u.lastSeenAt ? formatDate(q.data!.lastSeenAt ?? u.lastSeenAt) : t('users.neverSeen')}
          </p>
          <div class="toolbar">
            <A class="btn" href={`/admin/view-as/${seg(u.id)}`}>
              {t('users.viewAs')}
            </A>
            <button type="button" class="btn" onClick={() => setAdding(true)}>
              {t('users.share')}
            </button>
            <A class="btn" href={accessHref({ userId: u.id })}>
              {to('access.link')}
            </A>
            <button
              type="button"
              class="btn"
              aria-describedby="export-explain"
              disabled={exporting}
              onClick={() => void exportData()}
            >
              {exporting ? t('common.working') : to('export.button')}
            </button>
            {u.status !== 'disabled' && (
              <button
                type="button"
                class="btn"
                onClick={() =>
                  void act(
                    () => api(`/webusers/${seg(id)}/invite`, { method: 'POST' }),
                    t('users.resent', { email: u.email }),
                  )
                }
              >
                {t('users.resend')}
              </button>
            )}
            {u.status === 'disabled' ? (
              <button
                type="button"
                class="btn"
                onClick={() =>
                  void act(
                    () => api(`/webusers/${seg(id)}`, { method: 'PATCH', body: { status: 'active' } }),
                    t('users.enabled', { email: u.email }),
                  )
                }
              >
                {t('users.enable')}
              </button>
            ) : (
              <button
                type="button"
                class="btn"
                onClick={() =>
                  void act(
                    () => api(`/webusers/${seg(id)}`, { method: 'PATCH', body: { status: 'disabled' } }),
                    t('users.disabled', { email: u.email }),
                  )
                }
              >
                {t('users.disable')}
              </button>
            )}
            <button type="button" class="btn btn-danger" onClick={() => setConfirmErase(true)}>
              {t('users.erase')}
            </button>
          </div>
          <p class="hint" id="export-explain">
            {to('export.explain')}
          </p>

          <h2>{t('users.grantsTitle')}</h2>
          {q.data!.grants.length === 0 ? (
            <p class="empty">{t('users.noGrants')}</p>
          ) : (
            <ul class="shared" data-testid="user-grants">
              {q.data!.grants.map((g) => (
                <li key={g.folderId}>
                  <span>
                    <A href={`/admin/folders/${seg(g.folderId)}`}>{pathLabel(g.path) || g.folderId}</A>
                    {g.expiresAt ? ` · ${t('common.expires')} ${formatDate(g.expiresAt, false)}` : ''}
                  </span>
                  <button
                    type="button"
                    class="btn btn-small btn-danger"
                    onClick={() =>
                      void act(
                        () => api(`/folders/${seg(g.folderId)}/grants/${seg(id)}`, { method: 'DELETE' }),
                        t('common.done'),
                      )
                    }
                  >
                    {t('common.revoke')}
                  </button>
                </li>
              ))}
            </ul>
          )}

          <h2>{t('users.linksTitle')}</h2>
          {(q.data!.links ?? []).length === 0 ? (
            <p class="empty">{t('users.noLinks')}</p>
          ) : (
            <ul class="shared">
              {(q.data!.links ?? []).map((l) => (
                <li key={l.id}>
                  <span>
                    {l.email} · {t('common.expires')} {formatDate(l.expiresAt, false)}
                  </span>
                  <button
                    type="button"
                    class="btn btn-small btn-danger"
                    onClick={() => void act(() => api(`/links/${seg(l.id)}`, { method: 'DELETE' }), t('common.done'))}
                  >
                    {t('common.revoke')}
                  </button>
                </li>
              ))}
            </ul>
          )}

          <h2>{t('users.activityTitle')}</h2>
          {activity.error ? (
            <ErrorMessage error={activity.error} notYet />
          ) : (
            <ul>
              {(activity.data ?? []).map((e) => (
                <li key={e.id}>
                  {formatDate(e.at)} · {activityTypeLabel(e.type)} · {targetLabel(e.target)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {confirmErase && u && (
        <ConfirmDialog
          title={t('users.erase')}
          text={t('users.eraseConfirm', { email: u.email })}
          confirmLabel={t('users.erase')}
          danger
          onConfirm={async () => {
            await api(`/webusers/${seg(id)}`, { method: 'DELETE' });
            navigate('/admin/webusers');
          }}
          onClose={() => setConfirmErase(false)}
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
    api<{ folder: { name: string } }>('/folders/root', { query: { limit: 1 } }).then(
      (r) => setRootName(r.folder.name),
      () => undefined,
    );
  }, []);
  return (
    <Dialog title={t('users.share')} onClose={onClose}>
      <ErrorMessage error={error} notYet />
      <FolderPicker rootName={rootName} selected={folder?.id} onSelect={setFolder} allowRoot={false} />
      <div class="row-actions">
        <button type="button" class="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          disabled={!folder}
          onClick={() =>
            folder &&
            api(`/folders/${seg(folder.id)}/grants/${seg(userId)}`, { method: 'PUT', body: { notify: true } }).then(
              onDone,
              setError,
            )
          }
        >
          {t('share.submit')}
        </button>
      </div>
    </Dialog>
  );
}

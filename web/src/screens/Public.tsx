/** Pages for visitors with no session: forgot password, invitation, share link, not found. */
import { useMemo, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { confirmForgotPassword, forgotPassword } from '../auth.ts';
import { setCompany, useCompany } from '../branding.ts';
import { Browse } from '../components/Browse.tsx';
import { SearchBox } from '../components/Search.tsx';
import { A, Breadcrumbs, ErrorMessage, errorText, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { useListing } from '../components/useListing.ts';
import { formatDate } from '../format.ts';
import { type Key, t } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { paths } from '../routes.ts';
import type { PathItem } from '../types.ts';
import { authErrorKey, PasswordFields, PublicFrame } from './SignIn.tsx';

export function ForgotPage() {
  useLang();
  const [step, setStep] = useState<'ask' | 'confirm' | 'done'>('ask');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<Key>();
  const [busy, setBusy] = useState(false);

  const run = async (e: Event, fn: () => Promise<void>, next: typeof step) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      setStep(next);
    } catch (err) {
      setError(authErrorKey(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicFrame>
      <div class="card auth-card">
        <PageTitle title={t('auth.forgot.title')}>{t('auth.forgot.title')}</PageTitle>
        {error && (
          <p class="alert alert-error" role="alert">
            {t(error)}
          </p>
        )}
        {step === 'ask' && (
          <form onSubmit={(e) => run(e, () => forgotPassword(email), 'confirm')} noValidate>
            <p class="lead">{t('auth.forgot.intro')}</p>
            <div class="field">
              <label for="forgot-email">{t('auth.email')}</label>
              <input
                id="forgot-email"
                type="email"
                autocomplete="username"
                required
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </div>
            <button type="submit" class="btn btn-primary btn-block" disabled={busy || !email.trim()}>
              {t('auth.forgot.send')}
            </button>
          </form>
        )}
        {step === 'confirm' && (
          <form
            onSubmit={(e) => {
              if (password !== confirm) {
                e.preventDefault();
                return setError('auth.err.mismatch');
              }
              return run(e, () => confirmForgotPassword(email, code, password), 'done');
            }}
            noValidate
          >
            <p class="lead" role="status">
              {t('auth.forgot.sent')}
            </p>
            <div class="field">
              <label for="forgot-code">{t('auth.forgot.code')}</label>
              <input
                id="forgot-code"
                autocomplete="one-time-code"
                inputMode="numeric"
                required
                value={code}
                onInput={(e) => setCode(e.currentTarget.value)}
              />
            </div>
            <PasswordFields password={password} confirm={confirm} setPassword={setPassword} setConfirm={setConfirm} />
            <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
              {t('auth.forgot.confirm')}
            </button>
          </form>
        )}
        {step === 'done' && (
          <p class="alert alert-ok" role="status">
            {t('auth.forgot.done')}
          </p>
        )}
        <p class="aside">
          <A href={paths.home()}>{t('auth.toSignIn')}</A>
        </p>
      </div>
    </PublicFrame>
  );
}

/** The API's password policy (it answers 400 otherwise): 12+ characters, upper, lower, digit, symbol. */
export function strongEnough(pw: string): boolean {
  return pw.length >= 12 && /[A-Z]/.test(pw) && /[a-z]/.test(pw) && /[0-9]/.test(pw) && /[^A-Za-z0-9]/.test(pw);
}

/** /invite#<token> (a client) and /join#<token> (staff): each kind's invitation is accepted by its own route. */
export function InvitePage({ token, kind }: { token: string | undefined; kind: 'webuser' | 'staff' }) {
  useLang();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ email?: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (password !== confirm) return setError(t('auth.err.mismatch'));
    if (!strongEnough(password)) return setError(t('auth.err.weakPassword'));
    setBusy(true);
    setError(undefined);
    try {
      const r = await (kind === 'staff' ? api.acceptStaffInvitation : api.acceptInvitation)(token ?? '', password);
      setDone({ email: r?.email });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setError(t('invite.gone'));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  // The sign-in that follows starts with the email filled in (carried in the page's history state, never in a URL).
  const toSignIn = (e: MouseEvent) => {
    e.preventDefault();
    navigate(paths.home(), { state: { email: done?.email } });
  };

  return (
    <PublicFrame>
      <div class="card auth-card">
        <PageTitle title={t('invite.title')}>{t('invite.title')}</PageTitle>
        {!token ? (
          <p class="alert alert-error" role="alert">
            {t('invite.missing')}
          </p>
        ) : done ? (
          <>
            <p class="alert alert-ok" role="status" data-testid="invite-done">
              {t('invite.done')}
            </p>
            <a href={paths.home()} class="btn btn-primary btn-block" onClick={toSignIn}>
              {t('auth.toSignIn')}
            </a>
          </>
        ) : (
          <form onSubmit={submit} noValidate data-testid="invite-form">
            <p class="lead">{t('invite.intro')}</p>
            {error && (
              <p class="alert alert-error" role="alert" id="invite-error">
                {error}
              </p>
            )}
            <PasswordFields
              password={password}
              confirm={confirm}
              setPassword={setPassword}
              setConfirm={setConfirm}
              describedBy={error ? 'invite-error' : undefined}
            />
            <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
              {busy ? t('common.working') : t('invite.submit')}
            </button>
          </form>
        )}
      </div>
    </PublicFrame>
  );
}

/** /s#<token> and /s/f/<folderId>#<token>: a share link opens its folder with no sign-in. */
export function SharePage({ token, folderId }: { token: string; folderId?: string }) {
  useLang();
  const company = useCompany();
  // The link's own folder, opened once per token: its first page in the default order is the root view's too.
  const first = useMemo(async () => {
    if (!token) throw new ApiError(404, 'not_found', 'no token');
    const r = await api.openShare(token);
    if (r.company) setCompany(r.company);
    return r;
  }, [token]);
  const top = useLoad(() => first, [first]);
  const sub = useListing(
    async (p) => {
      if (folderId) return api.openShareFolder(token, folderId, p);
      if (!p.cursor && p.sort === 'name' && p.order === 'asc') return first;
      return api.openShare(token, p);
    },
    [token, folderId],
  );

  const gone =
    (top.error instanceof ApiError && (top.error.status === 404 || top.error.status === 410)) ||
    (sub.error instanceof ApiError && sub.error.status === 404 && !top.data);
  if (gone) {
    return (
      <PublicFrame>
        <div class="card" data-testid="link-gone">
          <PageTitle title={t('link.gone.title')}>{t('link.gone.title')}</PageTitle>
          <p class="lead">{t('link.gone.text')}</p>
        </div>
      </PublicFrame>
    );
  }

  const view = sub.data;
  const error = sub.error ?? top.error;
  const root = top.data?.folder;
  // Breadcrumbs never go above the linked folder.
  let crumbs: PathItem[] = [];
  if (root) {
    crumbs = [{ id: root.id, name: root.name }];
    if (folderId && view?.path) {
      const i = view.path.findIndex((p) => p.id === root.id);
      const below = (i >= 0 ? view.path.slice(i + 1) : view.path.filter((p) => p.id !== root.id)).filter(
        (p) => p.id !== view.folder.id,
      );
      crumbs.push(...below, { id: view.folder.id, name: view.folder.name });
    } else if (folderId && view) crumbs.push({ id: view.folder.id, name: view.folder.name });
  }
  const hrefFor = (p: { id: string }) =>
    root && p.id === root.id ? paths.share(token) : paths.shareFolder(token, p.id);

  return (
    <PublicFrame>
      <div class="card card-wide">
        <PageTitle title={view?.folder.name ?? t('link.title')}>{view?.folder.name ?? t('link.title')}</PageTitle>
        <p class="lead">{t('link.intro', { company: company.name })}</p>
        {top.data?.expiresAt && (
          <p class="hint">{t('link.validUntil', { date: formatDate(top.data.expiresAt, false) })}</p>
        )}
        {crumbs.length > 1 && <Breadcrumbs path={crumbs} hrefFor={hrefFor} />}
        {token && (
          <SearchBox
            search={(q, cursor, signal) => api.shareSearch(token, q, cursor, signal)}
            folderHref={(id) => hrefFor({ id })}
          />
        )}
        <ErrorMessage error={error} />
        {!view && !error && <Loading />}
        {view && (
          <Browse
            folders={view.folders ?? []}
            files={view.files ?? []}
            folderHref={(f) => hrefFor(f)}
            urlFor={(f, disposition) => api.shareDownload(token, f.id, disposition)}
            emptyText={t('portal.folderEmpty')}
            paged={sub}
            zip={{
              name: `${view.folder.name}.zip`,
              fetch: (body) => api.shareFolderDownloads(token, view.folder.id, body),
            }}
          />
        )}
      </div>
    </PublicFrame>
  );
}

export function NotFoundPage() {
  useLang();
  return (
    <PublicFrame>
      <div class="card">
        <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
        <p class="lead">{t('notFound.text')}</p>
        <A href={paths.home()} class="btn btn-primary">
          {t('notFound.home')}
        </A>
      </div>
    </PublicFrame>
  );
}

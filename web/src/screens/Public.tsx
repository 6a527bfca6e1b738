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

/** Why a share call asked for the link's password: none typed yet, a wrong one, or too many wrong ones. */
type PasswordLock = 'required' | 'wrong' | 'blocked';

function passwordLock(err: unknown, typed: boolean): PasswordLock | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.status === 401 && err.code === 'password_required') return 'required';
  if (err.status === 401 && err.code === 'password_wrong') return 'wrong';
  // Wrong passwords count toward the brute-force limit like wrong tokens: past it, 429 until it cools down.
  if (err.status === 429 && typed) return 'blocked';
  return undefined;
}

/** /s#<token> and /s/f/<folderId>#<token>: a share link opens its folder with no sign-in. */
export function SharePage({ token, folderId }: { token: string; folderId?: string }) {
  useLang();
  const company = useCompany();
  // A protected link's password, as typed: in this page's memory only (never in the URL or in storage),
  // sent with every share call. `attempt` lets the same password be tried again.
  const [typed, setTyped] = useState<{ password: string; attempt: number }>();
  const key = useMemo<api.ShareKey>(
    () => ({ token, ...(typed ? { password: typed.password } : {}) }),
    [token, typed?.password, typed?.attempt],
  );
  // The link's own folder, opened once per token: its first page in the default order is the root view's too.
  const first = useMemo(async () => {
    if (!token) throw new ApiError(404, 'not_found', 'no token');
    const r = await api.openShare(key);
    if (r.company) setCompany(r.company);
    return r;
  }, [key]);
  const top = useLoad(() => first, [first]);
  const sub = useListing(
    async (p) => {
      if (folderId) {
        // With a password typed, the subfolder waits for the link to open: a wrong one is one guess, not two.
        if (key.password) await first;
        return api.openShareFolder(key, folderId, p);
      }
      if (!p.cursor && p.sort === 'name' && p.order === 'asc') return first;
      return api.openShare(key, p);
    },
    [token, folderId, typed?.attempt],
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
  const lock = passwordLock(top.error, !!typed) ?? (top.data ? undefined : passwordLock(sub.error, !!typed));
  // A typed password still being checked keeps the form on screen (busy) instead of flashing the folder view.
  const checking = !!typed && !top.data && !top.error;
  if (lock || checking) {
    return (
      <PasswordGate
        lock={lock}
        busy={checking}
        onSubmit={(password) => setTyped((prev) => ({ password, attempt: (prev?.attempt ?? 0) + 1 }))}
      />
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
            search={(q, cursor, signal) => api.shareSearch(key, q, cursor, signal)}
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
            urlFor={(f, disposition) => api.shareDownload(key, f.id, disposition)}
            emptyText={t('portal.folderEmpty')}
            paged={sub}
            zip={{
              name: `${view.folder.name}.zip`,
              fetch: (body) => api.shareFolderDownloads(key, view.folder.id, body),
            }}
            acknowledge={(f) => api.shareAcknowledge(key, f.id)}
          />
        )}
      </div>
    </PublicFrame>
  );
}

/**
 * A protected link asks for its password in the company's frame, like the rest of the share page.
 * A wrong one is said and asked again; too many wrong ones, the rate limit is said.
 */
function PasswordGate({
  lock,
  busy,
  onSubmit,
}: {
  lock: PasswordLock | undefined;
  busy: boolean;
  onSubmit: (password: string) => void;
}) {
  useLang();
  const company = useCompany();
  const [value, setValue] = useState('');
  const problem = lock === 'wrong' ? t('link.password.wrong') : lock === 'blocked' ? t('err.too_many_requests') : '';
  return (
    <PublicFrame>
      <div class="card auth-card" data-testid="link-password">
        <PageTitle title={t('link.password.title')}>{t('link.password.title')}</PageTitle>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!value) return;
            onSubmit(value);
            // The field starts empty for the next try, if there is one.
            setValue('');
          }}
          noValidate
        >
          <p class="lead">{t('link.password.intro', { company: company.name })}</p>
          {problem && !busy && (
            <p class="alert alert-error" role="alert" id="link-password-error">
              {problem}
            </p>
          )}
          <div class="field">
            <label for="link-password">{t('link.password.label')}</label>
            <input
              id="link-password"
              type="password"
              autocomplete="off"
              maxLength={128}
              required
              value={value}
              aria-describedby={problem && !busy ? 'link-password-error' : undefined}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="btn btn-primary btn-block" disabled={busy || !value}>
            {busy ? t('common.working') : t('link.password.submit')}
          </button>
        </form>
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

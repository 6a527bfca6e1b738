/** The landing page: sign in (and the first-login new-password step). */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { AuthError, completeNewPassword, signIn } from '../auth.ts';
import { t, type Key } from '../i18n.ts';
import { Brand } from '../components/Shell.tsx';
import { A, ApiStatus, LangSwitch, PageTitle, useLang } from '../components/ui.tsx';

/**
 * Cognito's error as a sentence for the user. At sign-in an "invalid
 * password" means a wrong one (cognito-local answers a wrong password that
 * way); when choosing a password it means a weak one.
 */
export function authErrorKey(err: unknown, step: 'signin' | 'choose' = 'choose'): Key {
  if (!(err instanceof AuthError)) return 'auth.err.unknown';
  switch (err.code) {
    case 'network':
      return 'auth.err.network';
    case 'NotAuthorizedException':
      return /disabled/i.test(err.message) ? 'auth.err.disabled' : 'auth.err.credentials';
    case 'UserNotFoundException':
      return 'auth.err.credentials';
    case 'PasswordResetRequiredException':
      return 'auth.err.resetRequired';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return 'auth.err.tooMany';
    case 'InvalidPasswordException':
    case 'InvalidParameterException':
      return step === 'signin' ? 'auth.err.credentials' : 'auth.err.weakPassword';
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      return 'auth.err.codeMismatch';
    default:
      return 'auth.err.unknown';
  }
}

/** A centred card for the pages a visitor sees before signing in. */
export function PublicFrame({ children }: { children: ComponentChildren }) {
  useLang();
  return (
    <div class="public">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="public-head">
        <Brand />
        <LangSwitch />
      </header>
      <main id="main" class="public-main" tabIndex={-1}>
        {children}
      </main>
      <footer class="footer">
        <ApiStatus />
      </footer>
    </div>
  );
}

export function SignInPage() {
  useLang();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Key>();
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<{ email: string; session: string }>();

  if (challenge) return <NewPasswordStep {...challenge} />;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email.trim() || !password) return setError('auth.err.missing');
    setBusy(true);
    setError(undefined);
    try {
      const r = await signIn(email, password);
      if (r.kind === 'newPassword') setChallenge({ email: r.email, session: r.session });
    } catch (err) {
      setError(authErrorKey(err, 'signin'));
      setBusy(false);
    }
  };

  return (
    <PublicFrame>
      <div class="card auth-card">
        <PageTitle title={t('auth.title')}>{t('auth.title')}</PageTitle>
        <p class="lead">{t('auth.intro')}</p>
        <form onSubmit={submit} noValidate data-testid="signin-form">
          {error && (
            <p class="alert alert-error" role="alert" id="signin-error">
              {t(error)}
            </p>
          )}
          <div class="field">
            <label for="signin-email">{t('auth.email')}</label>
            <input
              id="signin-email"
              name="email"
              type="email"
              autocomplete="username"
              inputMode="email"
              required
              value={email}
              aria-invalid={!!error}
              aria-describedby={error ? 'signin-error' : undefined}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="signin-password">{t('auth.password')}</label>
            <input
              id="signin-password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              aria-invalid={!!error}
              aria-describedby={error ? 'signin-error' : undefined}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.working') : t('auth.submit')}
          </button>
        </form>
        <p class="aside">
          <A href="/forgot">{t('auth.forgot')}</A>
        </p>
      </div>
    </PublicFrame>
  );
}

export function PasswordFields({ password, confirm, setPassword, setConfirm, describedBy }: { password: string; confirm: string; setPassword: (s: string) => void; setConfirm: (s: string) => void; describedBy?: string }) {
  return (
    <>
      <div class="field">
        <label for="new-password">{t('auth.newPassword')}</label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          required
          minLength={8}
          value={password}
          aria-describedby={['password-hint', describedBy].filter(Boolean).join(' ')}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <p class="hint" id="password-hint">
          {t('auth.passwordHint')}
        </p>
      </div>
      <div class="field">
        <label for="confirm-password">{t('auth.confirmPassword')}</label>
        <input id="confirm-password" type="password" autocomplete="new-password" required value={confirm} aria-describedby={describedBy} onInput={(e) => setConfirm(e.currentTarget.value)} />
      </div>
    </>
  );
}

function NewPasswordStep({ email, session }: { email: string; session: string }) {
  useLang();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<Key>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (password !== confirm) return setError('auth.err.mismatch');
    setBusy(true);
    setError(undefined);
    try {
      await completeNewPassword(email, session, password);
    } catch (err) {
      setError(authErrorKey(err));
      setBusy(false);
    }
  };
  return (
    <PublicFrame>
      <div class="card auth-card">
        <PageTitle title={t('auth.newPassword.title')}>{t('auth.newPassword.title')}</PageTitle>
        <p class="lead">{t('auth.newPassword.intro')}</p>
        <form onSubmit={submit} noValidate>
          {error && (
            <p class="alert alert-error" role="alert" id="np-error">
              {t(error)}
            </p>
          )}
          <PasswordFields password={password} confirm={confirm} setPassword={setPassword} setConfirm={setConfirm} describedBy={error ? 'np-error' : undefined} />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.working') : t('common.save')}
          </button>
        </form>
      </div>
    </PublicFrame>
  );
}

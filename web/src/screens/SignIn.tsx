/**
 * The landing page: sign in (the first-login new-password step here; the two-step verification code in Mfa.tsx, loaded
 * on demand).
 */
import type { ComponentChildren, ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import { AuthError, completeNewPassword, type SignInResult, signIn, takeSignInNotice } from '../auth.ts';
import { Brand } from '../components/Shell.tsx';
import { A, ApiStatus, LangSwitch, PageTitle, useLang } from '../components/ui.tsx';
import { type Key, t } from '../i18n/index.ts';
import { paths } from '../routes.ts';

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

/** The second sign-in step (screens/Mfa.tsx): `renew` starts the challenge again; `onBack` returns to this form. */
export interface MfaStepProps {
  email: string;
  session: string;
  renew: () => Promise<string | undefined>;
  onBack: (why?: Key) => void;
}

/** The email an earlier page handed over in the history entry's state (after accepting an invitation). */
function handedEmail(): string {
  const e = (history.state as { email?: unknown } | null)?.email;
  return typeof e === 'string' ? e : '';
}

export function SignInPage() {
  useLang();
  const [email, setEmail] = useState(handedEmail);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Key>();
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<{ email: string; session: string }>();
  const [mfa, setMfa] = useState<{ email: string; session: string; Step: ComponentType<MfaStepProps> }>();
  const [notice] = useState(takeSignInNotice);

  const back = (why?: Key) => {
    setMfa(undefined);
    setChallenge(undefined);
    setPassword('');
    setBusy(false);
    setError(why);
  };
  // The code step is staff-only (web users do not enrol), so it loads on demand like the staff site.
  const toMfa = async (r: Extract<SignInResult, { kind: 'mfa' }>) => {
    try {
      const { MfaStep } = await import('./Mfa.tsx');
      setMfa({ email: r.email, session: r.session, Step: MfaStep });
    } catch {
      back('auth.err.network');
    }
  };
  if (mfa)
    return (
      <mfa.Step
        email={mfa.email}
        session={mfa.session}
        // Cognito takes a challenge session once and for a few minutes: a new one from the password typed here.
        renew={async () => {
          const r = await signIn(email, password);
          return r.kind === 'mfa' ? r.session : undefined;
        }}
        onBack={back}
      />
    );
  if (challenge) return <NewPasswordStep {...challenge} onMfa={toMfa} />;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email.trim() || !password) return setError('auth.err.missing');
    setBusy(true);
    setError(undefined);
    try {
      const r = await signIn(email, password);
      if (r.kind === 'newPassword') setChallenge({ email: r.email, session: r.session });
      else if (r.kind === 'mfa') await toMfa(r);
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
        {notice && (
          <p class="alert alert-ok" role="status" data-testid="signin-notice">
            {t(notice === 'mfa-on' ? 'auth.notice.mfaOn' : 'auth.notice.signInAgain')}
          </p>
        )}
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
          <A href={paths.forgot()}>{t('auth.forgot')}</A>
        </p>
      </div>
    </PublicFrame>
  );
}

export function PasswordFields({
  password,
  confirm,
  setPassword,
  setConfirm,
  describedBy,
}: {
  password: string;
  confirm: string;
  setPassword: (s: string) => void;
  setConfirm: (s: string) => void;
  describedBy?: string;
}) {
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
        <input
          id="confirm-password"
          type="password"
          autocomplete="new-password"
          required
          value={confirm}
          aria-describedby={describedBy}
          onInput={(e) => setConfirm(e.currentTarget.value)}
        />
      </div>
    </>
  );
}

function NewPasswordStep({
  email,
  session,
  onMfa,
}: {
  email: string;
  session: string;
  onMfa: (r: Extract<SignInResult, { kind: 'mfa' }>) => Promise<void>;
}) {
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
      const r = await completeNewPassword(email, session, password);
      if (r.kind === 'mfa') await onMfa(r);
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
          <PasswordFields
            password={password}
            confirm={confirm}
            setPassword={setPassword}
            setConfirm={setConfirm}
            describedBy={error ? 'np-error' : undefined}
          />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.working') : t('common.save')}
          </button>
        </form>
      </div>
    </PublicFrame>
  );
}

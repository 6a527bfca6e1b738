/**
 * "Your account" (reached from the email in the header) with two-step
 * verification (TOTP): the enrolment steps (a code mailed to the account,
 * then a QR code, the otpauth:// link and the key), and the panel an admin
 * page shows when the API answers 403 mfa_required. Turning it on ends every
 * session of the account, so the last step sends the user to sign in again.
 * The calls are in mfa.ts.
 */

import { generate } from 'lean-qr/nano';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { signOut } from '../auth.ts';
import { ErrorMessage, Loading, PageTitle, useLang } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { CodeInput, mfaErrorText } from '../screens/Mfa.tsx';
import type { Me } from '../types.ts';
import {
  enrolmentCodeError,
  finishMfaEnrolment,
  groupSecret,
  mailEnrolmentCode,
  mfaEnabled,
  otpauthUri,
  qrPath,
  startMfaEnrolment,
} from './mfa.ts';

function QrCode({ text, label }: { text: string; label: string }) {
  const qr = useMemo(() => {
    try {
      const code = generate(text);
      return { view: code.size + 8, d: qrPath(code.size, code.get) };
    } catch {
      return undefined; // too long for a QR code: the link and the key still work
    }
  }, [text]);
  if (!qr) return null;
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${qr.view} ${qr.view}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      data-testid="totp-qr"
    >
      <rect width={qr.view} height={qr.view} fill="#fff" />
      <path d={qr.d} fill="#000" />
    </svg>
  );
}

type State =
  | { step: 'checking' }
  | { step: 'on' }
  | { step: 'off' }
  | { step: 'email'; resent?: boolean }
  | { step: 'enrolling'; secret: string; emailCode: string }
  | { step: 'done' };

const tooSoon = (err: unknown) => err instanceof ApiError && err.status === 429;

/** A refused code as a sentence, or undefined when it was not about a code. */
function codeErrorText(err: unknown): string | undefined {
  const which = enrolmentCodeError(err);
  if (which === 'email-wrong') return t('mfa.err.emailWrong');
  if (which === 'email-expired') return t('mfa.err.emailExpired');
  if (which === 'app-wrong') return t('mfa.err.code');
  return undefined;
}

/**
 * Turn on two-step verification. `knownOff`: the caller already knows it is
 * off (the API said mfa_required), so there is nothing to check first.
 */
export function MfaSetup({ email, knownOff, onDone }: { email: string; knownOff?: boolean; onDone?: () => void }) {
  useLang();
  const [state, setState] = useState<State>(knownOff ? { step: 'off' } : { step: 'checking' });
  const [error, setError] = useState<unknown>();
  const [codeError, setCodeError] = useState<{ err?: unknown; format?: boolean }>();
  const [code, setCode] = useState('');
  const [emailCode, setEmailCode] = useState('');
  const [emailError, setEmailError] = useState<string>();
  const emailInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (knownOff) return;
    let live = true;
    setError(undefined);
    mfaEnabled().then(
      (on) => live && setState({ step: on ? 'on' : 'off' }),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [tick]);

  /** Step 1: a code to the account's mailbox. */
  const start = async (again = false) => {
    setBusy(true);
    setError(undefined);
    setEmailError(undefined);
    try {
      await mailEnrolmentCode();
      setEmailCode('');
      setState({ step: 'email', resent: again });
    } catch (err) {
      if (tooSoon(err) && again) setEmailError(t('mfa.err.emailTooSoon'));
      else if (tooSoon(err)) setState({ step: 'email' });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const emailStep = state.step === 'email';
  useEffect(() => {
    if (emailStep) emailInput.current?.focus();
  }, [emailStep]);

  /** Step 2: the mailed code opens the authenticator's secret. */
  const proveEmail = async (e: Event) => {
    e.preventDefault();
    if (emailCode.length !== 6) {
      setEmailError(t('mfa.err.format'));
      emailInput.current?.focus();
      return;
    }
    setBusy(true);
    setEmailError(undefined);
    setError(undefined);
    try {
      const secret = await startMfaEnrolment(emailCode);
      setCode('');
      setCodeError(undefined);
      setState({ step: 'enrolling', secret, emailCode });
    } catch (err) {
      const text = codeErrorText(err);
      if (text) {
        setEmailError(text);
        emailInput.current?.focus();
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  // The steps appear below the button: take the reader there.
  const enrolling = state.step === 'enrolling';
  const steps = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (enrolling) steps.current?.focus();
  }, [enrolling]);

  /** Step 3: the app's code switches it on; every session ends, so on to the sign-in page. */
  const verify = async (e: Event) => {
    e.preventDefault();
    if (state.step !== 'enrolling') return;
    if (code.length !== 6) {
      setCodeError({ format: true });
      input.current?.focus();
      return;
    }
    setBusy(true);
    setCodeError(undefined);
    setError(undefined);
    try {
      await finishMfaEnrolment(state.emailCode, code, t('mfa.device'));
      setState({ step: 'done' });
      onDone?.();
      // Cognito has ended this session too: the sign-in page says why, and brings the user back here.
      signOut('mfa-on');
    } catch (err) {
      const which = enrolmentCodeError(err);
      if (which === 'app-wrong') {
        setCodeError({ err });
        input.current?.focus();
        input.current?.select();
      } else if (which) {
        // The mailed code no longer works (expired meanwhile): start again from a new one.
        setState({ step: 'off' });
        setError(err);
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (error && state.step === 'checking') return <ErrorMessage error={error} onRetry={() => setTick((n) => n + 1)} />;
  if (state.step === 'checking') return <Loading />;
  if (state.step === 'on')
    return (
      <p class="alert alert-ok" data-testid="mfa-status">
        {t('mfa.on')}
      </p>
    );
  if (state.step === 'done')
    return (
      <p class="alert alert-ok" role="status" data-testid="mfa-status">
        {t('mfa.done')}
      </p>
    );
  if (state.step === 'off')
    return (
      <div>
        {!knownOff && <p data-testid="mfa-status">{t('mfa.off')}</p>}
        <ErrorMessage error={error} />
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => start()}>
          {busy ? t('common.working') : t('mfa.start')}
        </button>
      </div>
    );
  if (state.step === 'email')
    return (
      <form onSubmit={proveEmail} noValidate data-testid="mfa-email-step">
        <ErrorMessage error={error} />
        <p role="status">{state.resent ? t('mfa.emailResent') : t('mfa.emailSent', { email })}</p>
        {emailError && (
          <p class="alert alert-error" role="alert" id="email-code-error">
            {emailError}
          </p>
        )}
        <div class="field">
          <label for="email-code">{t('mfa.emailCode')}</label>
          <CodeInput
            id="email-code"
            inputRef={emailInput}
            value={emailCode}
            onValue={setEmailCode}
            invalid={!!emailError}
            describedBy={emailError ? 'email-code-error' : undefined}
          />
        </div>
        <div class="row">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('common.working') : t('mfa.emailContinue')}
          </button>
          <button type="button" class="btn" disabled={busy} onClick={() => start(true)}>
            {t('mfa.emailResend')}
          </button>
          <button type="button" class="btn" disabled={busy} onClick={() => setState({ step: 'off' })}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    );

  const uri = otpauthUri(email, state.secret);
  return (
    <div data-testid="mfa-enrol">
      <ErrorMessage error={error} />
      <ol class="steps" ref={steps} tabIndex={-1}>
        <li>{t('mfa.step1')}</li>
        <li>
          <p>{t('mfa.step2')}</p>
          <div class="mfa-key">
            <QrCode text={uri} label={t('mfa.qr')} />
            <div>
              <p>
                <a class="btn" href={uri} data-testid="otpauth-link">
                  {t('mfa.openApp')}
                </a>
              </p>
              <p>{t('mfa.manual')}</p>
              <p>
                <span class="visually-hidden">{t('mfa.secret')}: </span>
                <code class="secret" data-testid="totp-secret" translate={false}>
                  {groupSecret(state.secret)}
                </code>
              </p>
            </div>
          </div>
        </li>
        <li>
          <form onSubmit={verify} noValidate>
            {codeError && (
              <p class="alert alert-error" role="alert" id="enrol-error">
                {codeError.format ? t('mfa.err.format') : (codeErrorText(codeError.err) ?? mfaErrorText(codeError.err))}
              </p>
            )}
            <div class="field">
              <label for="enrol-code">{t('mfa.step3')}</label>
              <CodeInput
                id="enrol-code"
                inputRef={input}
                value={code}
                onValue={setCode}
                invalid={!!codeError}
                describedBy={codeError ? 'enrol-error' : undefined}
              />
            </div>
            <div class="row">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('common.working') : t('mfa.verify')}
              </button>
              <button type="button" class="btn" disabled={busy} onClick={() => setState({ step: 'off' })}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

/** Shown instead of an admin page while the API answers mfa_required; `onDone` retries the page. */
export function MfaRequired({ email, onDone }: { email: string; onDone: () => void }) {
  useLang();
  return (
    <div class="card card-wide" data-testid="mfa-required">
      <h2>{t('mfa.required.title')}</h2>
      <p>{t('mfa.required.text')}</p>
      <p class="lead">{t('mfa.why')}</p>
      <MfaSetup email={email} knownOff onDone={onDone} />
    </div>
  );
}

export function AccountPage({ me }: { me: Me }) {
  useLang();
  const email = me.email ?? '';
  return (
    <section class="page">
      <PageTitle title={t('account.title')}>{t('account.title')}</PageTitle>
      <p>{t('auth.signedInAs', { email })}</p>
      <section class="card card-wide" aria-labelledby="mfa-heading">
        <h2 id="mfa-heading">{t('mfa.title')}</h2>
        <p class="lead">{t('mfa.why')}</p>
        <MfaSetup email={email} />
      </section>
    </section>
  );
}

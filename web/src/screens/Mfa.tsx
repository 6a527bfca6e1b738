/**
 * The sign-in's second step for staff with two-step verification (Cognito's
 * SOFTWARE_TOKEN_MFA challenge), and the 6-digit code field the enrolment in
 * the staff site uses too. Loaded on demand: web users never see it, so the
 * portal's first load does not carry it (nor its texts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { AuthError, answerMfa } from '../auth.ts';
import { PageTitle, useLang } from '../components/ui.tsx';
import { addTexts, t } from '../i18n/index.ts';
import { mfaEn } from '../i18n/mfa.en.ts';
import { mfaEs } from '../i18n/mfa.es.ts';
import { authErrorKey, type MfaStepProps, PublicFrame } from './SignIn.tsx';

addTexts({ es: mfaEs, en: mfaEn });

/** A challenge session Cognito no longer takes (used once, or older than its few minutes). */
export function isSessionGone(err: unknown): boolean {
  return (
    err instanceof AuthError &&
    (err.code === 'ExpiredSessionException' || (err.code === 'NotAuthorizedException' && /session/i.test(err.message)))
  );
}

/**
 * A wrong (or stale) code: RespondToAuthChallenge says CodeMismatch, VerifySoftwareToken in AWS says
 * EnableSoftwareTokenMFA.
 */
export function isWrongCode(err: unknown): boolean {
  return (
    err instanceof AuthError &&
    [
      'CodeMismatchException',
      'ExpiredCodeException',
      'EnableSoftwareTokenMFAException',
      'InvalidParameterException',
    ].includes(err.code)
  );
}

/** A failed code step as a sentence in the user's language. */
export function mfaErrorText(err: unknown): string {
  return isWrongCode(err) ? t('mfa.err.code') : t(authErrorKey(err, 'signin'));
}

/** Only digits, as people type codes with spaces or paste "123 456"; at most 6. */
export function cleanCode(raw: string): string {
  return raw.replace(/\D/g, '').slice(0, 6);
}

/**
 * A 6-digit code field: numeric keyboard on phones, one-time-code autofill,
 * spaces and other characters dropped as they are typed or pasted.
 */
export function CodeInput({
  id,
  value,
  onValue,
  describedBy,
  invalid,
  inputRef,
}: {
  id: string;
  value: string;
  onValue: (v: string) => void;
  describedBy?: string;
  invalid?: boolean;
  inputRef?: { current: HTMLInputElement | null };
}) {
  return (
    <input
      ref={inputRef}
      id={id}
      name="code"
      class="code-input"
      type="text"
      inputMode="numeric"
      pattern="[0-9]*"
      autocomplete="one-time-code"
      enterKeyHint="done"
      spellcheck={false}
      required
      value={value}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onInput={(e) => {
        const v = cleanCode(e.currentTarget.value);
        // Set the field too: when the cleaned value equals the state, no re-render would undo a typed letter.
        e.currentTarget.value = v;
        onValue(v);
      }}
    />
  );
}

/** Sign-in, second step: the code from the authenticator app. */
export function MfaStep({ email, session, renew, onBack }: MfaStepProps) {
  useLang();
  const [code, setCode] = useState('');
  // The failure itself, put into words at render time so that it follows the language switch.
  const [error, setError] = useState<{ err?: unknown; format?: boolean }>();
  const [busy, setBusy] = useState(false);
  const current = useRef(session);
  const input = useRef<HTMLInputElement>(null);
  // After the heading takes focus (PageTitle), put the cursor in the code field.
  useEffect(() => {
    const id = setTimeout(() => input.current?.focus());
    return () => clearTimeout(id);
  }, []);
  const retry = (e: { err?: unknown; format?: boolean }) => {
    setError(e);
    setBusy(false);
    input.current?.focus();
    input.current?.select();
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (code.length !== 6) return retry({ format: true });
    setBusy(true);
    setError(undefined);
    try {
      try {
        await answerMfa(email, current.current, code);
      } catch (err) {
        // Used once already (after a wrong code) or expired: start the challenge again, invisibly, and answer that one.
        if (!isSessionGone(err)) throw err;
        const fresh = await renew().catch(() => undefined);
        if (!fresh) throw err;
        current.current = fresh;
        await answerMfa(email, fresh, code);
      }
    } catch (err) {
      if (isSessionGone(err)) return onBack('auth.err.mfaSession');
      retry({ err });
    }
  };
  return (
    <PublicFrame>
      <div class="card auth-card">
        <PageTitle title={t('mfa.title')}>{t('mfa.title')}</PageTitle>
        <p class="lead" id="mfa-intro">
          {t('mfa.intro')}
        </p>
        <form onSubmit={submit} noValidate data-testid="mfa-form">
          {error && (
            <p class="alert alert-error" role="alert" id="mfa-error">
              {error.format ? t('mfa.err.format') : mfaErrorText(error.err)}
            </p>
          )}
          <div class="field">
            <label for="mfa-code">{t('mfa.code')}</label>
            <CodeInput
              id="mfa-code"
              inputRef={input}
              value={code}
              onValue={setCode}
              invalid={!!error}
              describedBy={error ? 'mfa-error mfa-intro' : 'mfa-intro'}
            />
          </div>
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.working') : t('mfa.submit')}
          </button>
        </form>
        <p class="aside">
          <button type="button" class="btn btn-quiet" onClick={() => onBack()}>
            {t('mfa.back')}
          </button>
        </p>
      </div>
    </PublicFrame>
  );
}

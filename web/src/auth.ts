/**
 * Sign-in with the Cognito user pool, straight from the browser with fetch
 * (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, the NEW_PASSWORD_REQUIRED and
 * SOFTWARE_TOKEN_MFA challenges, forgot password; enrolling an
 * authenticator app is in admin/mfa.ts). No SDK: each call is a small JSON
 * POST.
 *
 * The refresh token (and the email, to greet the user) is kept in
 * localStorage so a second tab or a reload stays signed in; the access token
 * lives only in memory and is minted again from the refresh token.
 */
import { getConfig } from './config.ts';

const STORE_KEY = 'carpeta.session';

export class AuthError extends Error {
  constructor(
    /** Cognito's exception name (NotAuthorizedException...) or 'network'. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Session {
  email: string;
  refreshToken: string;
  accessToken?: string;
  expiresAt?: number;
}

export type SignInResult =
  | { kind: 'ok' }
  | { kind: 'newPassword'; email: string; session: string }
  | { kind: 'mfa'; email: string; session: string };

let session: Session | undefined;
const listeners = new Set<() => void>();

function notify(): void {
  for (const fn of listeners) fn();
}

export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function persist(): void {
  try {
    if (session)
      localStorage.setItem(STORE_KEY, JSON.stringify({ email: session.email, refreshToken: session.refreshToken }));
    else localStorage.removeItem(STORE_KEY);
  } catch {
    /* private mode: the session lasts as long as the tab */
  }
}

function tokenExpiry(jwt: string): number {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return Date.now() + 5 * 60_000;
  }
}

/**
 * One Cognito user-pool call (JSON over fetch); its exception name becomes AuthError.code. `keepalive`:
 * the call completes even if the page goes away meanwhile (sign-out's revocation).
 */
export async function cognito<T>(target: string, body: Record<string, unknown>, keepalive = false): Promise<T> {
  const endpoint = getConfig().cognito.endpoint!.replace(/\/$/, '');
  let res: Response;
  try {
    res = await fetch(`${endpoint}/`, {
      method: 'POST',
      keepalive,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AuthError('network', 'network');
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const raw = String(data.__type ?? data.code ?? 'UnknownError');
    const code = raw.split('#').pop()!.split(':')[0];
    throw new AuthError(code, String(data.message ?? data.Message ?? raw));
  }
  return data as T;
}

interface AuthResponse {
  AuthenticationResult?: { AccessToken: string; IdToken: string; RefreshToken?: string; ExpiresIn?: number };
  ChallengeName?: string;
  Session?: string;
}

function accept(email: string, r: AuthResponse, previousRefresh?: string): SignInResult {
  if (r.AuthenticationResult) {
    const a = r.AuthenticationResult;
    session = {
      email,
      refreshToken: a.RefreshToken ?? previousRefresh ?? '',
      accessToken: a.AccessToken,
      expiresAt: tokenExpiry(a.AccessToken),
    };
    persist();
    notify();
    return { kind: 'ok' };
  }
  if (r.ChallengeName === 'NEW_PASSWORD_REQUIRED' && r.Session)
    return { kind: 'newPassword', email, session: r.Session };
  if (r.ChallengeName === 'SOFTWARE_TOKEN_MFA' && r.Session) return { kind: 'mfa', email, session: r.Session };
  throw new AuthError(r.ChallengeName ?? 'UnsupportedChallenge', `Unsupported sign-in step ${r.ChallengeName ?? ''}`);
}

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const clean = email.trim();
  const r = await cognito<AuthResponse>('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: getConfig().cognito.clientId,
    AuthParameters: { USERNAME: clean, PASSWORD: password },
  });
  return accept(clean, r);
}

export async function completeNewPassword(
  email: string,
  challengeSession: string,
  newPassword: string,
): Promise<SignInResult> {
  const r = await cognito<AuthResponse>('RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: getConfig().cognito.clientId,
    Session: challengeSession,
    ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
  });
  return accept(email, r);
}

/** The 6-digit code from the authenticator app, for the SOFTWARE_TOKEN_MFA challenge. */
export async function answerMfa(email: string, challengeSession: string, code: string): Promise<SignInResult> {
  const r = await cognito<AuthResponse>('RespondToAuthChallenge', {
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    ClientId: getConfig().cognito.clientId,
    Session: challengeSession,
    ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
  });
  return accept(email, r);
}

export async function forgotPassword(email: string): Promise<void> {
  await cognito('ForgotPassword', { ClientId: getConfig().cognito.clientId, Username: email.trim() });
}

export async function confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
  await cognito('ConfirmForgotPassword', {
    ClientId: getConfig().cognito.clientId,
    Username: email.trim(),
    ConfirmationCode: code.trim(),
    Password: password,
  });
}

let refreshing: Promise<boolean> | undefined;

/** Mint a new access token from the refresh token. false: the session is gone (signed out). */
export function refresh(): Promise<boolean> {
  if (!session?.refreshToken) return Promise.resolve(false);
  refreshing ??= (async () => {
    const s = session!;
    try {
      const r = await cognito<AuthResponse>('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: getConfig().cognito.clientId,
        AuthParameters: { REFRESH_TOKEN: s.refreshToken },
      });
      accept(s.email, r, s.refreshToken);
      return true;
    } catch (err) {
      if (err instanceof AuthError && err.code === 'network') throw err;
      // Cognito refused the refresh token (revoked, expired): nothing left to revoke.
      signOut(undefined, { revoke: false });
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/** A valid access token, refreshed when it is about to expire; undefined when signed out. */
export async function accessToken(): Promise<string | undefined> {
  if (!session) return undefined;
  if (!session.accessToken || (session.expiresAt ?? 0) - 60_000 < Date.now()) {
    if (!(await refresh())) return undefined;
  }
  return session?.accessToken;
}

export function signedInEmail(): string | undefined {
  return session?.email;
}

export function isSignedIn(): boolean {
  return !!session;
}

/** Restore the session kept by a previous visit (no network until a token is needed). */
export function restoreSession(): void {
  try {
    const raw = localStorage.getItem(STORE_KEY);
    if (!raw) return;
    const s = JSON.parse(raw) as Session;
    if (typeof s.email === 'string' && typeof s.refreshToken === 'string' && s.refreshToken)
      session = { email: s.email, refreshToken: s.refreshToken };
  } catch {
    /* ignore a damaged entry */
  }
}

const NOTICE_KEY = 'carpeta.signin-notice';

/** Why the sign-in page is shown again, said on it once: two-step verification was just turned on, or is needed. */
export type SignInNotice = 'mfa-on' | 'mfa-sign-in-again';

/**
 * Signs out here and at Cognito: the refresh token is revoked (RevokeToken), so a copy of it (another
 * tab's storage, a backup) mints nothing more. The revocation is sent even if the page is closing.
 */
export function signOut(notice?: SignInNotice, opts: { revoke?: boolean } = {}): void {
  if (!session) return;
  const refreshToken = opts.revoke === false ? undefined : session.refreshToken;
  session = undefined;
  persist();
  if (notice)
    try {
      sessionStorage.setItem(NOTICE_KEY, notice);
    } catch {
      /* private mode: no notice */
    }
  notify();
  if (refreshToken)
    void cognito('RevokeToken', { Token: refreshToken, ClientId: getConfig().cognito.clientId }, true).catch(
      // Already revoked (signed out everywhere) or offline: nothing more to do here.
      () => undefined,
    );
}

/** The notice for the sign-in page, once. */
export function takeSignInNotice(): SignInNotice | undefined {
  try {
    const n = sessionStorage.getItem(NOTICE_KEY);
    sessionStorage.removeItem(NOTICE_KEY);
    return n === 'mfa-on' || n === 'mfa-sign-in-again' ? n : undefined;
  } catch {
    return undefined;
  }
}

// Another tab signed out (or in): follow it.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key !== STORE_KEY) return;
    const had = !!session;
    session = undefined;
    restoreSession();
    if (had !== !!session) notify();
  });
}

/**
 * cognito-local, made to keep the session rules Amazon Cognito keeps. The
 * emulator trusts whatever access token it is handed (it only decodes it),
 * forgets the refresh token it issues after an MFA challenge, stamps
 * refreshed tokens with a new `auth_time`, accepts any challenge Session,
 * and has no global sign-out. Each of those would let the local stack pass
 * what AWS refuses (or refuse what AWS allows), so this layer sits between
 * the emulator's HTTP server and its targets:
 *
 *  - Every token it issues carries `origin_jti`, the id of the refresh token
 *    of its sign-in, as Cognito's do. An access token is good for Cognito's
 *    own API (GetUser, AssociateSoftwareToken, ChangePassword...) only while
 *    it is correctly signed, unexpired, and its refresh token is live: a
 *    revoked refresh token (RevokeToken, GlobalSignOut,
 *    AdminUserGlobalSignOut, AdminDisableUser) revokes the access tokens
 *    minted from it, answered "Access Token has been revoked".
 *  - A refresh keeps the session's original `auth_time` (Cognito's
 *    refreshed tokens say when the user signed in, not when they refreshed).
 *  - The refresh token issued after an MFA challenge is kept, so admins with
 *    two-step verification stay signed in across reloads and tabs.
 *  - A challenge answer must carry the Session its InitiateAuth returned, for
 *    the same user and app client, within three minutes (Cognito's default),
 *    so nobody answers a TOTP challenge without having given the password.
 *  - GlobalSignOut and AdminUserGlobalSignOut revoke every refresh token of
 *    the user.
 *
 * What is still looser than Cognito is listed in docs/ARCHITECTURE.md.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Ctx = { logger: unknown };
type Req = Record<string, any>;
type Handler = (ctx: Ctx, req: Req) => Promise<any>;
type Router = (target: string) => Handler;
interface User {
  Username: string;
  Attributes?: Array<{ Name: string; Value?: string }>;
  RefreshTokens?: string[];
  [k: string]: unknown;
}
interface UserPool {
  getUserByUsername(ctx: Ctx, username: string): Promise<User | null>;
  saveUser(ctx: Ctx, user: User): Promise<void>;
  storeRefreshToken(ctx: Ctx, token: string, user: User): Promise<void>;
}
interface Services {
  cognito: {
    getUserPoolForClientId(ctx: Ctx, clientId: string): Promise<UserPool>;
    getUserPool(ctx: Ctx, userPoolId: string): Promise<UserPool>;
  };
}

/** How long a challenge Session is good for (Cognito's default for user pool app clients). */
const SESSION_SECONDS = 180;

const lib = (p: string) => require(`cognito-local/lib/${p}`);

interface Keys {
  signing: KeyObject;
  checking: KeyObject;
}

function keys(): Keys {
  const priv = lib('keys/cognitoLocal.private.json') as { pem: string };
  const pub = lib('keys/cognitoLocal.public.json') as { pem: string };
  return { signing: createPrivateKey(priv.pem), checking: createPublicKey(pub.pem) };
}

const decode = (token: string): Record<string, any> | undefined => {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

/** The claims of a token the emulator signed that has not expired; undefined otherwise. */
function verified(k: Keys, token: unknown): Record<string, any> | undefined {
  if (typeof token !== 'string') return undefined;
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return undefined;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    if (header.alg !== 'RS256') return undefined;
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), k.checking, Buffer.from(s, 'base64url'))) return undefined;
    const claims = decode(token);
    if (!claims || typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/** The same token with some claims changed, signed again with the emulator's key (expiry and issuer kept). */
function resign(k: Keys, token: string, changes: Record<string, unknown>): string {
  const [h] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ ...decode(token), ...changes })).toString('base64url');
  const signature = sign('RSA-SHA256', Buffer.from(`${h}.${payload}`), k.signing).toString('base64url');
  return `${h}.${payload}.${signature}`;
}

export function faithfulCognito(router: Router, services: Services): Router {
  const k = keys();
  const errors = lib('errors.js');
  const revoked = () => new errors.NotAuthorizedError('Access Token has been revoked');
  /** Challenge sessions handed out: Session -> whose, for which app client, until when. */
  const sessions = new Map<string, { username: string; clientId: string; until: number }>();

  const liveRefreshIds = (user: User) => new Set((user.RefreshTokens ?? []).map((t) => decode(t)?.jti).filter(Boolean));

  /** The user behind an access token that Cognito's own API would accept; throws what Cognito answers. */
  async function ownerOf(ctx: Ctx, accessToken: unknown): Promise<{ pool: UserPool; user: User }> {
    const claims = verified(k, accessToken);
    if (!claims || claims.token_use !== 'access') throw new errors.NotAuthorizedError('Invalid Access Token');
    const pool = await services.cognito.getUserPoolForClientId(ctx, claims.client_id);
    const user = await pool.getUserByUsername(ctx, claims.sub);
    if (!user) throw new errors.NotAuthorizedError('User does not exist.');
    if (!claims.origin_jti || !liveRefreshIds(user).has(claims.origin_jti)) throw revoked();
    return { pool, user };
  }

  const signOutEverywhere = (ctx: Ctx, pool: UserPool, user: User) =>
    pool.saveUser(ctx, { ...user, RefreshTokens: [] });

  /** Tokens of a sign-in: the refresh token is kept and named in the other two as `origin_jti`. */
  async function issued(ctx: Ctx, req: Req, res: any, pool: UserPool | undefined, refreshing?: Record<string, any>) {
    const result = res?.AuthenticationResult;
    if (res?.Session && res.ChallengeName) {
      const username = res.ChallengeParameters?.USER_ID_FOR_SRP ?? req.AuthParameters?.USERNAME;
      sessions.set(res.Session, { username, clientId: req.ClientId, until: Date.now() + SESSION_SECONDS * 1000 });
    }
    if (!result?.AccessToken) return res;
    let origin: Record<string, unknown>;
    if (refreshing) {
      // Cognito's refreshed tokens keep the session: its sign-in time and its refresh token.
      origin = { origin_jti: refreshing.jti, auth_time: refreshing.iat };
    } else {
      const refresh = decode(result.RefreshToken ?? '');
      if (!refresh?.jti) return res;
      const user = pool && (await pool.getUserByUsername(ctx, decode(result.AccessToken)?.sub));
      if (pool && user && !(user.RefreshTokens ?? []).includes(result.RefreshToken))
        await pool.storeRefreshToken(ctx, result.RefreshToken, user);
      origin = { origin_jti: refresh.jti };
    }
    return {
      ...res,
      AuthenticationResult: {
        ...result,
        AccessToken: resign(k, result.AccessToken, origin),
        ...(result.IdToken ? { IdToken: resign(k, result.IdToken, origin) } : {}),
      },
    };
  }

  const isRefresh = (flow: unknown) => flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN';

  return route;
  function route(target: string): Handler {
    const base = router(target);
    switch (target) {
      case 'InitiateAuth':
      case 'AdminInitiateAuth':
        return async (ctx, req) => {
          const pool =
            target === 'InitiateAuth'
              ? await services.cognito.getUserPoolForClientId(ctx, req.ClientId)
              : await services.cognito.getUserPool(ctx, req.UserPoolId);
          if (isRefresh(req.AuthFlow)) {
            const refresh = verified(k, req.AuthParameters?.REFRESH_TOKEN);
            if (!refresh) throw new errors.NotAuthorizedError('Invalid Refresh Token');
            return issued(ctx, req, await base(ctx, req), pool, refresh);
          }
          return issued(ctx, req, await base(ctx, req), pool);
        };
      case 'RespondToAuthChallenge':
      case 'AdminRespondToAuthChallenge':
        return async (ctx, req) => {
          const session = sessions.get(req.Session);
          const pool =
            target === 'RespondToAuthChallenge'
              ? await services.cognito.getUserPoolForClientId(ctx, req.ClientId)
              : await services.cognito.getUserPool(ctx, req.UserPoolId);
          const user = await pool.getUserByUsername(ctx, req.ChallengeResponses?.USERNAME ?? '');
          if (!session || session.until < Date.now() || session.clientId !== req.ClientId || !user)
            throw new errors.NotAuthorizedError('Invalid session for the user, session is expired.');
          if (session.username !== user.Username) throw new errors.NotAuthorizedError('Invalid session for the user.');
          const res = await base(ctx, req);
          sessions.delete(req.Session);
          return issued(ctx, req, res, pool);
        };
      case 'GlobalSignOut':
        return async (ctx, req) => {
          const { pool, user } = await ownerOf(ctx, req.AccessToken);
          await signOutEverywhere(ctx, pool, user);
          return {};
        };
      case 'AdminUserGlobalSignOut':
      case 'AdminDisableUser':
        return async (ctx, req) => {
          const pool = await services.cognito.getUserPool(ctx, req.UserPoolId);
          const user = await pool.getUserByUsername(ctx, req.Username);
          if (!user) throw new errors.UserNotFoundError('User does not exist.');
          // AdminDisableUser "deactivates a user and revokes all access tokens for the user" (Cognito's API reference).
          const res = target === 'AdminDisableUser' ? await base(ctx, req) : {};
          const now = (await pool.getUserByUsername(ctx, req.Username)) ?? user;
          await signOutEverywhere(ctx, pool, now);
          return res;
        };
      default:
        // Every other target that takes a user's access token gets the check Cognito makes.
        return async (ctx, req) => {
          if (req && 'AccessToken' in req) await ownerOf(ctx, req.AccessToken);
          return base(ctx, req);
        };
    }
  }
}

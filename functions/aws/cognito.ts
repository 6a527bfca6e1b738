/**
 * Cognito admin calls behind a thin adapter. Users sign in with their email;
 * our user id is Cognito's `sub`.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Group } from '../domain/model.ts';
import { config } from '../lib/config.ts';
import { Conflict, Invalid, Unauthorized } from '../lib/errors.ts';
import { logger } from '../lib/logger.ts';
import { clientConfig, observeCalls } from './sdk.ts';

const idp = new CognitoIdentityProviderClient(
  // cognito-local answers 500 to calls it lacks; retrying those only slows the error (docs/ARCHITECTURE.md, emulator
  // gaps).
  clientConfig({ connectionTimeout: 1000, requestTimeout: 5000, maxAttempts: config.isLocal ? 1 : 3 }),
);
observeCalls(idp, 'cognito-idp');

const named = (e: unknown, name: string) => (e as { name?: string })?.name === name;

/** Creates a confirmed user with no Cognito-sent mail; returns the sub. */
export async function createCognitoUser(email: string, groups: Group[]): Promise<string> {
  let sub: string | undefined;
  try {
    const out = await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: config.userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    sub = out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
  } catch (e) {
    if (named(e, 'UsernameExistsException'))
      throw new Conflict('A user with this email already exists.', 'email_taken');
    throw e;
  }
  if (!sub) throw new Error('Cognito returned no sub');
  for (const g of groups) await addToGroup(sub, email, g);
  return sub;
}

async function addToGroup(_sub: string, email: string, group: Group): Promise<void> {
  await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: config.userPoolId, Username: email, GroupName: group }));
}

export async function findCognitoUser(email: string): Promise<{ sub: string; enabled: boolean } | undefined> {
  try {
    const out = await idp.send(new AdminGetUserCommand({ UserPoolId: config.userPoolId, Username: email }));
    const sub = out.UserAttributes?.find((a) => a.Name === 'sub')?.Value ?? out.Username!;
    return { sub, enabled: out.Enabled !== false };
  } catch (e) {
    if (named(e, 'UserNotFoundException')) return undefined;
    throw e;
  }
}

export async function ensureInGroups(email: string, groups: Group[]): Promise<void> {
  for (const g of groups) await addToGroup('', email, g);
}

/** Sets a permanent password; a password the pool's policy refuses is a 400 naming the policy. */
export async function setPassword(username: string, password: string): Promise<void> {
  try {
    await idp.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: config.userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
  } catch (e) {
    if (named(e, 'InvalidPasswordException'))
      throw new Invalid(`password: ${(e as Error).message}`, 'password', 'weak');
    throw e;
  }
}

export async function setEnabled(username: string, enabled: boolean): Promise<void> {
  const input = { UserPoolId: config.userPoolId, Username: username };
  await idp.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
  if (!enabled) {
    // Our own status check enforces it whatever happens here: if this call fails, the tokens already issued
    // stay valid until they expire, and every request they make is refused.
    await idp
      .send(new AdminUserGlobalSignOutCommand(input))
      .catch((err) => logger.warn('global sign-out failed: issued tokens live until they expire', { err }));
  }
}

export async function deleteCognitoUser(username: string): Promise<void> {
  try {
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: config.userPoolId, Username: username }));
  } catch (e) {
    if (!named(e, 'UserNotFoundException')) throw e;
  }
}

/** What Cognito answers for a token it revoked, or one that is no longer valid for its own API. */
const isDeadSession = (e: unknown) => named(e, 'NotAuthorizedException');

/**
 * The session behind a user's access token as Cognito sees it, with the user's own token (GetUser needs no
 * IAM permission): whether it is still live (a signed-out or revoked session answers NotAuthorized, which
 * becomes 401) and whether the user has TOTP switched on (then every sign-in asked for a code).
 */
export async function sessionTwoStep(accessToken: string): Promise<{ totp: boolean }> {
  try {
    const out = await idp.send(new GetUserCommand({ AccessToken: accessToken }));
    const totp =
      (out.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA') || out.PreferredMfaSetting === 'SOFTWARE_TOKEN_MFA';
    return { totp };
  } catch (e) {
    if (isDeadSession(e)) throw new Unauthorized('This session has ended. Sign in again.');
    throw e;
  }
}

/** A new authenticator secret for the token's user (it replaces any unconfirmed one). */
export async function associateTotp(accessToken: string): Promise<string> {
  try {
    const out = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    if (!out.SecretCode) throw new Error('Cognito returned no secret');
    return out.SecretCode;
  } catch (e) {
    if (isDeadSession(e)) throw new Unauthorized('This session has ended. Sign in again.');
    throw e;
  }
}

/**
 * The authenticator's current code proves it holds the secret; then TOTP becomes the user's preferred
 * (and so required) second step. False for a wrong code.
 */
export async function confirmTotp(accessToken: string, code: string, deviceName: string): Promise<boolean> {
  try {
    const out = await idp.send(
      new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code, FriendlyDeviceName: deviceName }),
    );
    if (out.Status !== 'SUCCESS') return false;
  } catch (e) {
    // A wrong code: CodeMismatch in cognito-local, EnableSoftwareTokenMFA in AWS.
    if (named(e, 'CodeMismatchException') || named(e, 'EnableSoftwareTokenMFAException')) return false;
    if (isDeadSession(e)) throw new Unauthorized('This session has ended. Sign in again.');
    throw e;
  }
  await idp.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  return true;
}

/** Revokes every refresh token of the user (and, for Cognito's own API, the access tokens minted from them). */
export async function signOutEverywhere(username: string): Promise<void> {
  await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: config.userPoolId, Username: username }));
}

export async function removeFromGroup(email: string, group: Group): Promise<void> {
  await idp.send(
    new AdminRemoveUserFromGroupCommand({ UserPoolId: config.userPoolId, Username: email, GroupName: group }),
  );
}

export async function addToGroups(email: string, groups: Group[]): Promise<void> {
  for (const g of groups) await addToGroup('', email, g);
}

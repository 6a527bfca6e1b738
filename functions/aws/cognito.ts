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
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
  UserNotFoundException,
  InvalidPasswordException,
} from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../lib/config.ts';
import { Conflict, Invalid } from '../lib/errors.ts';

const idp = new CognitoIdentityProviderClient({
  region: config.region,
  endpoint: config.endpoint('cognito'),
  // cognito-local answers 500 to calls it lacks; retrying those only slows the error.
  maxAttempts: config.isLocal ? 1 : 3,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 5000 },
});

export type Group = 'admin' | 'staff' | 'webusers';

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
    if (e instanceof UsernameExistsException) throw new Conflict('A user with this email already exists.', 'email_taken');
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
    if (e instanceof UserNotFoundException) return undefined;
    throw e;
  }
}

export async function ensureInGroups(email: string, groups: Group[]): Promise<void> {
  for (const g of groups) await addToGroup('', email, g);
}

/** Sets a permanent password; a password the pool's policy refuses is a 400 naming the policy. */
export async function setPassword(username: string, password: string): Promise<void> {
  try {
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: config.userPoolId, Username: username, Password: password, Permanent: true }));
  } catch (e) {
    if (e instanceof InvalidPasswordException) throw new Invalid(`password: ${e.message}`, 'password');
    throw e;
  }
}

export async function setEnabled(username: string, enabled: boolean): Promise<void> {
  await idp.send(enabled ? new AdminEnableUserCommand({ UserPoolId: config.userPoolId, Username: username }) : new AdminDisableUserCommand({ UserPoolId: config.userPoolId, Username: username }));
  if (!enabled) {
    // cognito-local has no global sign-out; our own status check is what enforces it there.
    await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: config.userPoolId, Username: username })).catch(() => undefined);
  }
}

export async function deleteCognitoUser(username: string): Promise<void> {
  try {
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: config.userPoolId, Username: username }));
  } catch (e) {
    if (!(e instanceof UserNotFoundException)) throw e;
  }
}

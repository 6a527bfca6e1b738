/**
 * Cognito: one user pool for staff and web users, the three groups the API
 * authorizes on, and one public app client for the browser (admin site and portal).
 *
 * The local stack creates its emulator pool, groups and client from these
 * resources in the synthesized template, so names here are a contract:
 * groups `admin`, `staff`, `webusers`; sign-in with USER_PASSWORD_AUTH.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** Group names as functions/lib/api.ts checks them in `cognito:groups`. */
export const GROUPS = {
  admin: 'Company administrators: manage staff accounts and company settings (always also in staff).',
  staff: 'Staff: folders, uploads, web users, grants, share links, activity.',
  webusers: 'Clients: read and download what a grant reaches.',
} as const;

export interface AuthProps {
  /**
   * Cognito threat protection (Plus feature plan, standard threat protection ENFORCED):
   * adaptive authentication and compromised-credential checks. Billed per monthly active user.
   * @default false (Essentials plan; cdk-nag COG8 acknowledged)
   */
  readonly threatProtection?: boolean;
  /**
   * Refresh token lifetime: how long a browser stays signed in without a password.
   * @default Duration.days(30)
   */
  readonly refreshTokenValidity?: Duration;
  /**
   * Access and ID token lifetime. Authorization is re-checked against current data on every
   * request, so this bounds only how long a stolen token is useful.
   * @default Duration.minutes(60)
   */
  readonly tokenValidity?: Duration;
  /**
   * @default RemovalPolicy.RETAIN (and deletion protection on): accounts outlive the stack.
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly groups: Record<keyof typeof GROUPS, cognito.UserPoolGroup>;

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);
    const plus = props.threatProtection ?? false;
    const retain = (props.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.RETAIN;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by staff (AdminCreateUser) and invited by email; nobody signs up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: retain,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    acknowledge(
      this.userPool,
      'COG2',
      "MFA is OPTIONAL with TOTP only (no SMS): the company's clients (web users) are occasional, " +
        'read-and-download-only users for whom mandatory MFA would block access; any user can enrol TOTP, and ' +
        'requiring it for admin/staff accounts belongs to the application (per group), which a pool-wide REQUIRED ' +
        'cannot express.',
    );
    if (!plus) {
      acknowledge(
        this.userPool,
        'COG8',
        'Plus feature plan (threat protection) is opt-in with -c threatProtection=true because it is billed per ' +
          'monthly active user; the strong password policy, no self sign-up, user-existence error masking and API ' +
          'throttling apply either way, and the local emulator has no equivalent.',
      );
    }

    this.groups = {} as Record<keyof typeof GROUPS, cognito.UserPoolGroup>;
    (Object.keys(GROUPS) as (keyof typeof GROUPS)[]).forEach((name, precedence) => {
      this.groups[name] = new cognito.UserPoolGroup(this, `Group-${name}`, {
        userPool: this.userPool,
        groupName: name,
        description: GROUPS[name],
        precedence,
      });
    });

    const readable = new cognito.ClientAttributes().withStandardAttributes({
      email: true,
      emailVerified: true,
      fullname: true,
      locale: true,
    });
    this.client = this.userPool.addClient('WebClient', {
      // A browser app cannot keep a secret.
      generateSecret: false,
      // USER_PASSWORD_AUTH is what the local emulator supports; TLS protects the password in transit.
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: props.tokenValidity ?? Duration.minutes(60),
      idTokenValidity: props.tokenValidity ?? Duration.minutes(60),
      refreshTokenValidity: props.refreshTokenValidity ?? Duration.days(30),
      readAttributes: readable,
      // Users cannot change their own email (their identity for invitations and audit) with the SDK.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true, locale: true }),
    });
  }

  /** The JWT issuer of this pool, as the HTTP API authorizer and the app expect it. */
  get issuer(): string {
    return `https://cognito-idp.${this.userPool.stack.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}

/**
 * What a request to each AWS service asks IAM for: the operation, and for
 * each resource it touches the action, the resource ARN and the context keys
 * AWS evaluates (`dynamodb:LeadingKeys` from every key in the request, index
 * ARNs for index queries, object ARNs and `s3:*` keys for S3, the user pool
 * for Cognito, the sending identity and configuration set for SES).
 */
import type { Deployment } from '../deployment.ts';
import type { Service } from './errors.ts';

export interface IamCheck {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

export interface Classified {
  service: Service;
  operation: string;
  checks: IamCheck[];
  /** S3 only: the bucket and key the request addresses. */
  bucket?: string;
  key?: string;
}

/** Refused before IAM is asked (e.g. SES's unverified sender), in the service's words. */
export class ServiceRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the services' wire JSON.
type Wire = any;

/** A key attribute's value in DynamoDB's wire format ({ S: '...' }, { N: '1' }, { B: '...' }). */
const keyValue = (attr: Wire): string | undefined => (attr ? String(attr.S ?? attr.N ?? attr.B ?? '') : undefined);

/** The partition-key value a KeyConditionExpression pins (`PK = :pk`, `#k = :v`). */
function queryPartitionValue(input: Wire, hashKey: string): string | undefined {
  const expr = String(input.KeyConditionExpression ?? '');
  for (const m of expr.matchAll(/([#\w.]+)\s*=\s*(:\w+)/g)) {
    const name = m[1].startsWith('#') ? input.ExpressionAttributeNames?.[m[1]] : m[1];
    if (name === hashKey) return keyValue(input.ExpressionAttributeValues?.[m[2]]);
  }
  return undefined;
}

const TLS = { 'aws:SecureTransport': 'true' } as const;

export function classifyDynamo(target: string, input: Wire, d: Deployment): Classified {
  const operation = target.replace(/^DynamoDB_\d+\./, '');
  const action = `dynamodb:${operation}`;
  const tableArn = (name: string) => `arn:aws:dynamodb:${d.region}:${d.account}:table/${name}`;
  const hashOf = (index?: string) => (index ? d.table.indexHashKeys[index] : d.table.hashKey) ?? d.table.hashKey;
  const check = (table: string, keys: Array<string | undefined>, index?: string): IamCheck => {
    const leading = keys.filter((k): k is string => k !== undefined);
    return {
      action,
      resource: index ? `${tableArn(table)}/index/${index}` : tableArn(table),
      context: { ...TLS, ...(leading.length ? { 'dynamodb:LeadingKeys': [...new Set(leading)] } : {}) },
    };
  };
  const h = d.table.hashKey;
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return { service: 'dynamodb', operation, checks: [check(input.TableName, [keyValue(input.Key?.[h])])] };
    case 'PutItem':
      return { service: 'dynamodb', operation, checks: [check(input.TableName, [keyValue(input.Item?.[h])])] };
    case 'Query':
      return {
        service: 'dynamodb',
        operation,
        checks: [check(input.TableName, [queryPartitionValue(input, hashOf(input.IndexName))], input.IndexName)],
      };
    case 'Scan':
      return { service: 'dynamodb', operation, checks: [check(input.TableName, [], input.IndexName)] };
    case 'BatchGetItem':
      return {
        service: 'dynamodb',
        operation,
        checks: Object.entries(input.RequestItems ?? {}).map(([t, r]: [string, Wire]) =>
          check(
            t,
            (r.Keys ?? []).map((k: Wire) => keyValue(k[h])),
          ),
        ),
      };
    case 'BatchWriteItem':
      return {
        service: 'dynamodb',
        operation,
        checks: Object.entries(input.RequestItems ?? {}).map(([t, rs]: [string, Wire]) =>
          check(
            t,
            (rs as Wire[]).map((r) => keyValue(r.PutRequest?.Item?.[h] ?? r.DeleteRequest?.Key?.[h])),
          ),
        ),
      };
    case 'TransactWriteItems':
    case 'TransactGetItems':
      // AWS authorizes each item by its own action (PutItem, UpdateItem, ...) on its table.
      return {
        service: 'dynamodb',
        operation,
        checks: (input.TransactItems ?? []).flatMap((item: Wire) =>
          Object.entries(item).map(([kind, op]: [string, Wire]) => ({
            ...check(op.TableName, [keyValue((op.Key ?? op.Item)?.[h])]),
            action: `dynamodb:${TRANSACT_ACTIONS[kind] ?? 'ConditionCheckItem'}`,
          })),
        ),
      };
    default:
      return {
        service: 'dynamodb',
        operation,
        checks: [{ action, resource: input.TableName ? tableArn(input.TableName) : '*', context: { ...TLS } }],
      };
  }
}

/** S3 in path style (what the local endpoint is addressed with): /<bucket>/<key>. */
export function parseS3Path(path: string): { bucket?: string; key?: string } {
  const [, bucket, ...rest] = path.split('/');
  const key = rest.length ? rest.map((s) => decodeURIComponent(s)).join('/') : undefined;
  return { bucket: bucket ? decodeURIComponent(bucket) : undefined, key: key || undefined };
}

export function classifyS3(
  method: string,
  path: string,
  query: Record<string, string | string[]>,
  headers: Record<string, string>,
  auth: { type: 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST'; signedAt?: Date; now: Date },
  postKey?: string,
): Classified {
  const { bucket, key: pathKey } = parseS3Path(path);
  const key = postKey ?? pathKey;
  const has = (k: string) => query[k] !== undefined;
  let operation: string;
  let action: string;
  if (auth.type === 'POST') [operation, action] = ['PostObject', 's3:PutObject'];
  else if (!key) {
    if (method === 'GET' && has('uploads'))
      [operation, action] = ['ListMultipartUploads', 's3:ListBucketMultipartUploads'];
    else if (method === 'GET' || method === 'HEAD')
      [operation, action] = [method === 'HEAD' ? 'HeadBucket' : 'ListObjects', 's3:ListBucket'];
    else if (method === 'POST' && has('delete')) [operation, action] = ['DeleteObjects', 's3:DeleteObject'];
    else [operation, action] = [`${method}Bucket`, `s3:${method === 'PUT' ? 'CreateBucket' : 'DeleteBucket'}`];
  } else if (method === 'GET' || method === 'HEAD') {
    if (has('uploadId')) [operation, action] = ['ListParts', 's3:ListMultipartUploadParts'];
    else if (has('tagging')) [operation, action] = ['GetObjectTagging', 's3:GetObjectTagging'];
    else [operation, action] = [method === 'HEAD' ? 'HeadObject' : 'GetObject', 's3:GetObject'];
  } else if (method === 'PUT') {
    if (has('partNumber') && has('uploadId')) [operation, action] = ['UploadPart', 's3:PutObject'];
    else if (has('tagging')) [operation, action] = ['PutObjectTagging', 's3:PutObjectTagging'];
    else if (headers['x-amz-copy-source']) [operation, action] = ['CopyObject', 's3:PutObject'];
    else [operation, action] = ['PutObject', 's3:PutObject'];
  } else if (method === 'POST') {
    if (has('uploads')) [operation, action] = ['CreateMultipartUpload', 's3:PutObject'];
    else if (has('uploadId')) [operation, action] = ['CompleteMultipartUpload', 's3:PutObject'];
    else [operation, action] = ['PostObject', 's3:PutObject'];
  } else if (method === 'DELETE') {
    if (has('uploadId')) [operation, action] = ['AbortMultipartUpload', 's3:AbortMultipartUpload'];
    else [operation, action] = ['DeleteObject', 's3:DeleteObject'];
  } else [operation, action] = [method, `s3:${method}`];
  const context: Record<string, string | string[]> = {
    ...TLS,
    // Locally there is no TLS at all; the stack's bucket policies ask for TLS 1.2+, which AWS guarantees.
    's3:TlsVersion': '1.3',
    's3:authType': auth.type,
    's3:signatureversion': 'AWS4-HMAC-SHA256',
    ...(auth.signedAt ? { 's3:signatureAge': String(Math.max(0, auth.now.getTime() - auth.signedAt.getTime())) } : {}),
    ...(typeof query.prefix === 'string' ? { 's3:prefix': query.prefix } : {}),
  };
  const resource = key ? `arn:aws:s3:::${bucket}/${key}` : `arn:aws:s3:::${bucket}`;
  const checks: IamCheck[] = [{ action, resource, context }];
  if (operation === 'CopyObject') {
    const source = decodeURIComponent(headers['x-amz-copy-source'].replace(/^\//, '').split('?')[0]);
    checks.push({ action: 's3:GetObject', resource: `arn:aws:s3:::${source}`, context });
  }
  return { service: 's3', operation, checks, bucket, key };
}

/** What each kind of transaction item is authorized as; anything else (ConditionCheck) as ConditionCheckItem. */
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Get: 'GetItem',
};

/**
 * Cognito's user-facing operations (a user's own tokens, a client id) are not IAM-authorized
 * in AWS either; everything else (Admin*, pool management) is.
 */
const COGNITO_PUBLIC = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'RevokeToken',
  'GlobalSignOut',
  'GetUser',
  'ChangePassword',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
  'UpdateUserAttributes',
  'DeleteUserAttributes',
  'GetUserAttributeVerificationCode',
  'VerifyUserAttribute',
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'DeleteUser',
  'ListDevices',
  'GetDevice',
  'ForgetDevice',
  'ConfirmDevice',
  'UpdateDeviceStatus',
  'GetUserAuthFactors',
  'GetTokensFromRefreshToken',
]);

export function classifyCognito(target: string, input: Wire, d: Deployment): Classified | 'public' {
  const operation = target.replace(/^AWSCognitoIdentityProviderService\./, '');
  if (COGNITO_PUBLIC.has(operation)) return 'public';
  const pool = input?.UserPoolId ? `arn:aws:cognito-idp:${d.region}:${d.account}:userpool/${input.UserPoolId}` : '*';
  return {
    service: 'cognito-idp',
    operation,
    checks: [{ action: `cognito-idp:${operation}`, resource: pool, context: { ...TLS } }],
  };
}

/** The address inside "Name <address>". */
const addressOf = (from: string) => (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

export function classifySes(method: string, path: string, input: Wire, d: Deployment): Classified {
  const arn = (rest: string) => `arn:aws:ses:${d.region}:${d.account}:${rest}`;
  if (method === 'POST' && (path === '/v2/email/outbound-emails' || path === '/v2/email/outbound-bulk-emails')) {
    const operation = path.endsWith('bulk-emails') ? 'SendBulkEmail' : 'SendEmail';
    const from = addressOf(String(input?.FromEmailAddress ?? ''));
    const domain = from.split('@')[1] ?? '';
    // SES authorizes the send against the identity that verifies the sender: the address, else its domain.
    const identity =
      d.ses.identities.find((i) => i === from) ??
      d.ses.identities.find((i) => !i.includes('@') && (domain === i || domain.endsWith(`.${i}`)));
    if (!identity) {
      throw new ServiceRefusal(
        'MessageRejected',
        `Email address is not verified. The following identities failed the check in region ` +
          `${d.region.toUpperCase()}: ${from}`,
        400,
      );
    }
    const checks: IamCheck[] = [
      {
        action: `ses:${operation}`,
        resource: arn(`identity/${identity}`),
        context: { ...TLS, 'ses:FromAddress': from },
      },
    ];
    if (input?.ConfigurationSetName) {
      checks.push({
        action: `ses:${operation}`,
        resource: arn(`configuration-set/${input.ConfigurationSetName}`),
        context: { ...TLS, 'ses:FromAddress': from },
      });
    }
    return { service: 'ses', operation, checks };
  }
  const operation = `${method} ${path}`;
  return { service: 'ses', operation, checks: [{ action: 'ses:GetAccount', resource: '*', context: { ...TLS } }] };
}

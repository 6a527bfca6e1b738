/**
 * Errors in each service's own shape, so the SDK in a function parses them as
 * it parses AWS's: DynamoDB's JSON 1.0 (`__type` with the coral namespace),
 * Cognito's JSON 1.1, SES v2's REST-JSON (`x-amzn-ErrorType`), S3's XML.
 */
import { randomUUID } from 'node:crypto';

export type Service = 'dynamodb' | 's3' | 'cognito-idp' | 'ses';

export interface AwsErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function awsError(
  service: Service | undefined,
  code: string,
  message: string,
  status: number,
  extra: Record<string, string> = {},
): AwsErrorReply {
  const requestId = randomUUID();
  if (service === 's3' || service === undefined) {
    const fields = Object.entries(extra)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join('');
    return {
      status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>` +
        `${fields}<RequestId>${requestId}</RequestId><HostId>carpeta-local</HostId></Error>`,
    };
  }
  if (service === 'dynamodb') {
    // DynamoDB names IAM/auth errors in the coral namespace, its own ones in the service's.
    const ns =
      /Exception$/.test(code) &&
      !/^(ProvisionedThroughputExceeded|ResourceNotFound|ConditionalCheckFailed|Throttling|RequestLimitExceeded)/.test(
        code,
      )
        ? 'com.amazon.coral.service'
        : 'com.amazonaws.dynamodb.v20120810';
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: `${ns}#${code}`, Message: message }),
    };
  }
  if (service === 'cognito-idp') {
    return {
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': code,
      },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': `${code}:` },
    body: JSON.stringify({ message }),
  };
}

/** A refused signature, as each service words it. */
export function signatureError(service: Service | undefined, failure: string, detail: string): AwsErrorReply {
  if (service === 's3' || service === undefined) {
    if (failure === 'unknown-key')
      return awsError(
        's3',
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        403,
      );
    if (failure === 'bad-token')
      return awsError('s3', 'InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
    if (failure === 'expired') return awsError('s3', 'AccessDenied', 'Request has expired', 403, { Details: detail });
    if (failure === 'skewed')
      return awsError(
        's3',
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        403,
      );
    if (failure === 'missing') return awsError('s3', 'AccessDenied', 'Access Denied', 403);
    if (failure === 'malformed') return awsError('s3', 'AuthorizationQueryParametersError', detail, 400);
    return awsError(
      's3',
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing ' +
        'method.',
      403,
    );
  }
  if (failure === 'unknown-key' || failure === 'bad-token') {
    return awsError(
      service,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      service === 'ses' ? 403 : 400,
    );
  }
  if (failure === 'missing')
    return awsError(
      service,
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
      service === 'ses' ? 403 : 400,
    );
  if (failure === 'skewed')
    return awsError(
      service,
      'InvalidSignatureException',
      'Signature expired: the request time is more than 15 minutes from the server time.',
      service === 'ses' ? 403 : 400,
    );
  return awsError(
    service,
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
      'Key and signing method. Consult the service documentation for details.',
    service === 'ses' ? 403 : 400,
  );
}

/** IAM said no: each service's AccessDenied. */
export function accessDenied(
  service: Service,
  principalArn: string,
  action: string,
  resource: string,
  why: string,
): AwsErrorReply {
  const message =
    `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ` + `because ${why}`;
  if (service === 's3') return awsError('s3', 'AccessDenied', 'Access Denied', 403);
  return awsError(service, 'AccessDeniedException', message, service === 'ses' ? 403 : 400);
}

/** A throttle, as each service answers it. */
export function throttled(service: Service): AwsErrorReply {
  if (service === 'dynamodb')
    return awsError(
      'dynamodb',
      'ProvisionedThroughputExceededException',
      'The level of configured provisioned throughput for the table was exceeded.',
      400,
    );
  if (service === 's3') return awsError('s3', 'SlowDown', 'Please reduce your request rate.', 503);
  if (service === 'cognito-idp') return awsError('cognito-idp', 'TooManyRequestsException', 'Too many requests', 400);
  return awsError('ses', 'TooManyRequestsException', 'Too Many Requests', 429);
}

/** The service cannot answer now. */
export function unavailable(service: Service): AwsErrorReply {
  if (service === 'dynamodb') return awsError('dynamodb', 'InternalServerError', 'Internal server error', 500);
  if (service === 's3') return awsError('s3', 'ServiceUnavailable', 'Service is unable to handle request.', 503);
  if (service === 'cognito-idp') return awsError('cognito-idp', 'InternalErrorException', 'Internal error', 500);
  return awsError('ses', 'InternalFailure', 'The request processing has failed because of an unknown error.', 500);
}

/**
 * Typed errors, mapped to HTTP in one place (toHttpError). Every error body
 * has the same shape: { error: { code, message, field?, rule? } }. A 400 names
 * the field and, where one applies, the rule it broke (`rule`, a stable word
 * such as `too_long` or `invisible`), so a client can explain it in its own
 * language instead of showing the English `message`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  constructor(
    message: string,
    field?: string,
    readonly rule?: string,
  ) {
    super(400, 'invalid', message, field);
  }
}
export class Unauthorized extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthorized', message);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super(403, 'forbidden', message);
  }
}
/** "Not yours" and "does not exist" are the same answer: always this message. */
export class NotFound extends AppError {
  constructor() {
    super(404, 'not_found', 'Not found.');
  }
}
export class Conflict extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}
export class TooLarge extends AppError {
  constructor(message: string, field?: string) {
    super(413, 'too_large', message, field);
  }
}
export class TooManyRequests extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, 'too_many_requests', 'Too many attempts. Try again later.', undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}
export class MailFailed extends AppError {
  constructor() {
    super(502, 'mail_failed', 'The email could not be sent. Nothing was changed; please try again.');
  }
}
export class Unavailable extends AppError {
  constructor() {
    super(503, 'unavailable', 'The service is temporarily unavailable. Please try again.');
  }
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; rule?: string };
}

/** SDK errors that mean "a dependency did not answer": the request may be retried. */
function isDependencyFailure(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: unknown; $fault?: string };
  if (!e || typeof e !== 'object') return false;
  if (e.$fault === 'server') return true;
  const names = [
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'NetworkingError',
    'ServiceUnavailable',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'ThrottlingException',
    'TooManyRequestsException',
    'SlowDown',
    'InternalServerError',
  ];
  return names.includes(e.name ?? '') || names.includes(e.code ?? '');
}

export function toHttpError(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof AppError) {
    const error: ErrorBody['error'] = { code: err.code, message: err.message };
    if (err.field !== undefined) error.field = err.field;
    if (err instanceof Invalid && err.rule) error.rule = err.rule;
    return { status: err.status, body: { error }, headers: err.headers };
  }
  if (isDependencyFailure(err)) {
    const u = new Unavailable();
    return { status: 503, body: { error: { code: u.code, message: u.message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'Something went wrong on our side.' } } };
}

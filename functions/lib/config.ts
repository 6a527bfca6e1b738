/**
 * Runtime configuration, read once from the environment the CDK stack (or the
 * local stack) sets. Endpoints are only set locally; in AWS the SDK's defaults apply.
 */
function env(name: string, fallback?: string): string {
  const v = process.env[name];
  if (v !== undefined && v !== '') return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`missing environment variable ${name}`);
}
function num(name: string, fallback: number): number {
  const v = process.env[name];
  return v ? Number(v) : fallback;
}

export const config = {
  get region() {
    return env('AWS_REGION', 'us-east-1');
  },
  get tableName() {
    return env('TABLE_NAME');
  },
  get bucketName() {
    return env('BUCKET_NAME');
  },
  get userPoolId() {
    return env('USER_POOL_ID', '');
  },
  get userPoolClientId() {
    return env('USER_POOL_CLIENT_ID', '');
  },
  get mailFrom() {
    return env('MAIL_FROM', 'no-reply@example.com');
  },
  get mailConfigurationSet() {
    return env('MAIL_CONFIGURATION_SET', '');
  },
  get siteUrl() {
    return env('SITE_URL', 'http://localhost:3000');
  },
  /** The API's own base URL, for links in mails that must outlive a presigned URL. */
  get apiUrl() {
    return env('API_URL', `${env('SITE_URL', 'http://localhost:3000')}/api`);
  },
  get companyName() {
    return env('COMPANY_NAME', 'Carpeta');
  },
  /**
   * Whether the SDK is pointed at a custom endpoint for this service (the SDK's own
   * AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL variables; only the local stack sets them).
   */
  hasEndpointOverride(serviceId: 'S3' | 'DYNAMODB' | 'COGNITO_IDENTITY_PROVIDER' | 'SESV2'): boolean {
    return !!(process.env[`AWS_ENDPOINT_URL_${serviceId}`] || process.env.AWS_ENDPOINT_URL);
  },
  get isLocal() {
    return !!process.env.CARPETA_LOCAL;
  },
  get multipartThreshold() {
    return num('MULTIPART_THRESHOLD', 100 * 1024 * 1024);
  },
  get multipartPartSize() {
    return num('MULTIPART_PART_SIZE', 16 * 1024 * 1024);
  },
  /**
   * S3's smallest part (all but the last). Only the local stack's tests lower it, together with its
   * gateway's check of the same rule, to upload thousands of parts of a few bytes.
   */
  get minPartSize() {
    return num('S3_MIN_PART_SIZE', 5 * 1024 * 1024);
  },
  get maxSinglePutSize() {
    return num('MAX_SINGLE_UPLOAD', 5 * 1024 ** 3);
  },
  get maxMultipartSize() {
    return num('MAX_MULTIPART_UPLOAD', 5 * 1024 ** 4);
  },
  /** Brute-force limit: failed share-token / invitation attempts per address within the window, then 429. */
  get rateLimitFailures() {
    return Math.max(1, num('RATE_LIMIT_FAILURES', 20));
  },
  get rateLimitWindowSeconds() {
    return Math.max(1, num('RATE_LIMIT_WINDOW_SECONDS', 300));
  },
  get downloadUrlSeconds() {
    return Math.min(num('DOWNLOAD_URL_SECONDS', 300), 300);
  },
  get uploadUrlSeconds() {
    return num('UPLOAD_URL_SECONDS', 3600);
  },
  /** How long the staff guard trusts a staff account's status it has read (disabling takes this long at most). */
  get staffStatusCacheSeconds() {
    return Number(process.env.STAFF_STATUS_CACHE_SECONDS ?? 15);
  },
};

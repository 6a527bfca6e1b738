/**
 * The static admin site and client portal (web/dist, built by Vite): a private
 * S3 bucket behind CloudFront (Origin Access Control), strict security headers,
 * SPA fallback, and a deploy-time /config.json that tells the browser where the
 * API and the user pool are.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { Auth } from './auth.ts';
import { acknowledge, acknowledgeDeploymentHandler, acknowledgeHipaa, nagRef } from './nag.ts';
import { physicalName } from './names.ts';

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

/** What the browser reads from /config.json (the local stack serves the same shape). */
export interface WebConfig {
  apiUrl: string;
  region: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string };
}

export interface SiteProps {
  /** The API base URL (config.json and CSP connect-src). */
  readonly apiUrl: string;
  readonly auth: Auth;
  /**
   * The documents bucket's name (CSP: presigned downloads, previews and uploads go straight to it). Not a
   * reference to the bucket, whose CORS names this site: `Documents.bucketNameLiteral`.
   */
  readonly documentsBucketName: string;
  /** Bucket for S3 server access logs (prefix `site/`) and CloudFront standard logs (prefix `cloudfront/`). */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * A custom domain for the site. Served by CloudFront only together with `certificateArn`.
   * @default - the distribution's *.cloudfront.net domain
   */
  readonly domain?: string;
  /**
   * ACM certificate (in us-east-1) for `domain`. With it CloudFront answers on the domain with TLS 1.2+.
   * @default - no custom domain on the distribution
   */
  readonly certificateArn?: string;
  /**
   * The built web app.
   * @default web/dist; when the folder is missing a placeholder index.html is deployed so synth still works
   */
  readonly webDist?: string;
  /**
   * CloudFront price class (edge locations used).
   * @default cloudfront.PriceClass.PRICE_CLASS_100 (North America and Europe)
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * Retention of the deployment helper function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

export class Site extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  /** `https://<domain>` or `https://<id>.cloudfront.net`, no trailing slash. */
  readonly url: string;
  /** The Content-Security-Policy header value. */
  readonly contentSecurityPolicy: string;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const region = stack.region;
    const cognitoEndpoint = `https://cognito-idp.${region}.amazonaws.com`;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // Versioned: a file a deploy overwrote or pruned can be restored (or a bad deploy rolled back
      // by hand) for 30 days; web/dist stays the source of truth.
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeHipaa(
      this.bucket,
      'S3DefaultEncryptionKMS',
      'The site bucket holds only the built web app (HTML, JS, CSS, config.json with public ids) that every ' +
        'visitor downloads; SSE-S3 (AES-256) encrypts it at rest. SSE-KMS would need a key policy for CloudFront ' +
        'OAC and a KMS call per cache miss while protecting nothing confidential.',
    );
    acknowledgeHipaa(
      this.bucket,
      'S3BucketReplicationEnabled',
      'The site bucket holds only the built web app, rebuilt from the repository and rewritten by every deploy, ' +
        'so a replica would have nothing to recover; it is versioned (30 days) to undo a bad deploy by hand.',
    );

    // Hosts the browser may reach besides the site itself. Presigned URLs from SDK v3 use the
    // regional virtual-hosted endpoint; us-east-1 may also use the legacy global one.
    const docs = props.documentsBucketName;
    const docHosts = [`https://${docs}.s3.${region}.amazonaws.com`];
    if (Token.isUnresolved(region) || region === 'us-east-1') docHosts.push(`https://${docs}.s3.amazonaws.com`);
    const d = docHosts.join(' ');
    this.contentSecurityPolicy = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src 'self' data: blob: ${d}`,
      "font-src 'self'",
      `connect-src 'self' ${props.apiUrl} ${cognitoEndpoint} ${d}`,
      // PDF and image preview of a presigned URL in an iframe/object.
      `frame-src 'self' blob: ${d}`,
      `object-src ${d}`,
      "media-src 'self' blob:",
      "worker-src 'self' blob:",
      "manifest-src 'self'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');

    // CloudFront policy and origin-access-control names are unique per account, whatever the region:
    // both carry the stack's name, region and id (infra/names.ts).
    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: physicalName(this, 'security-headers', { maxLength: 128 }),
      comment: 'Carpeta: strict CSP, HSTS, nosniff, no referrer, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: this.contentSecurityPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        // Share-link tokens live in URLs: never leak them in Referer.
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      originAccessControlName: physicalName(this, 'site', { maxLength: 64 }),
      description: 'Carpeta: CloudFront reads the site bucket with SigV4',
    });
    const withDomain = !!(props.domain && props.certificateArn);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Carpeta site',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessControl }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      // Client-side routing: unknown paths render the app, which shows its own "not found".
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
      ...(withDomain
        ? {
            domainNames: [props.domain!],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn!),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = props.domain ? `https://${props.domain}` : `https://${this.distribution.distributionDomainName}`;

    acknowledge(
      this.distribution,
      'CFR1',
      "No geo restriction: the company's clients download their documents from wherever they are; access is " +
        'decided per user and per grant.',
    );
    acknowledge(
      this.distribution,
      'CFR2',
      'No WAF web ACL by default (fixed monthly cost per ACL and rule, large for one small company): the ' +
        'distribution serves only static files; the API is throttled and authorizes every request.',
    );
    if (!withDomain) {
      acknowledge(
        this.distribution,
        'CFR4',
        'Without a custom domain and certificate CloudFront serves *.cloudfront.net with its default ' +
          'certificate, whose security policy cannot be raised; deploy with -c domain=... -c certificateArn=... to ' +
          'get TLSv1.2_2021.',
      );
    }

    // --- contents -------------------------------------------------------------------------
    const webDist = props.webDist ?? DEFAULT_WEB_DIST;
    const built = existsSync(`${webDist}/index.html`);
    const app = built
      ? s3deploy.Source.asset(webDist)
      : s3deploy.Source.data(
          'index.html',
          '<!doctype html><meta charset="utf-8"><title>Carpeta</title><p>The web app was not built. Run ' +
            '<code>npm run build:web</code> and deploy again.</p>\n',
        );
    const config: WebConfig = {
      apiUrl: props.apiUrl,
      region,
      cognito: {
        endpoint: cognitoEndpoint,
        userPoolId: props.auth.userPool.userPoolId,
        clientId: props.auth.client.userPoolClientId,
      },
    };
    const handlerLogs = new logs.LogGroup(this, 'DeployLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    acknowledgeHipaa(
      handlerLogs,
      'CloudWatchLogGroupEncrypted',
      'CloudWatch Logs encrypts every log group at rest by default; the rule asks for a customer-managed KMS key ' +
        "on top. This group holds only the deployment handler's output (file names of the web build, CloudFront " +
        'invalidation ids), no customer data.',
    );

    // 1. Hashed build assets: cached for a year, old ones pruned. index.html and config.json are
    //    excluded, so this sync neither uploads nor deletes them.
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      sources: [app],
      destinationBucket: this.bucket,
      exclude: ['index.html', 'config.json'],
      prune: true,
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
      logGroup: handlerLogs,
    });
    // 2. The entry points: revalidated on every load, and invalidated at the edge on each deploy.
    const entry = new s3deploy.BucketDeployment(this, 'DeployEntry', {
      sources: [app, s3deploy.Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString('no-cache')],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      logGroup: handlerLogs,
    });
    entry.node.addDependency(assets);
    this.acknowledgeDeploymentHandler();
  }

  /**
   * BucketDeployment runs a CDK-provided singleton Lambda (Custom::CDKBucketDeployment...) whose
   * role and runtime are not ours to shape. Each finding it raises is acknowledged on that
   * singleton only.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment handler not found');
    const qualifier =
      (stack.synthesizer instanceof DefaultStackSynthesizer ? stack.synthesizer.bootstrapQualifier : undefined) ??
      DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const assetsBucket = `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-${stack.region}`;
    const site = nagRef(this.bucket);
    const why = 'CDK BucketDeployment handler (aws-cdk-lib singleton, runs only during deployments): ';
    acknowledgeDeploymentHandler(handler, why, 'S3 and CloudFront (copying public web files)');
    const findings: Record<string, string> = {
      'IAM5[Action::s3:GetObject*]':
        'reads the web app asset zip from the CDK bootstrap assets bucket and syncs the site bucket.',
      'IAM5[Action::s3:GetBucket*]':
        'sync reads bucket metadata (location, versioning) of the assets bucket and the site bucket only.',
      'IAM5[Action::s3:List*]': 'sync lists the assets bucket and the site bucket to compute what to copy and prune.',
      'IAM5[Action::s3:DeleteObject*]':
        'prunes superseded hashed build files; the grant is on the site bucket only, never the documents bucket.',
      'IAM5[Action::s3:Abort*]': 'aborts its own multipart copies into the site bucket on failure.',
      [`IAM5[Resource::${assetsBucket}/*]`]:
        'asset object keys in the bootstrap bucket are content hashes unknown until synth.',
      [`IAM5[Resource::${site}/*]`]:
        'the site bucket is the deployment destination; every key in it is a built web file.',
      'IAM5[Resource::*]':
        'cloudfront:CreateInvalidation/GetInvalidation are granted by CDK on "*" to invalidate /index.html and ' +
        '/config.json of this distribution after each deploy.',
      L1:
        'the handler runtime (Python) is pinned by aws-cdk-lib for its bundled AWS CLI layer; it moves forward ' +
        'with aws-cdk-lib upgrades.',
    };
    for (const [finding, reason] of Object.entries(findings)) acknowledge(handler, finding, why + reason);
    acknowledgeHipaa(
      handler,
      'IAMNoInlinePolicy',
      `${why}aws-cdk-lib writes the handler's grants (assets bucket read, site bucket sync, CloudFront ` +
        'invalidation) as the inline default policy of its own service role; the policy lives and dies with that role.',
    );
  }
}

/**
 * The documents bucket: every uploaded file version (`files/<fileId>/<versionId>`)
 * and the company branding (`branding/...`). Browsers talk to it only through
 * presigned URLs minted by the API; nothing in it is public.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, acknowledgeHipaa, nagRef } from './nag.ts';
import { physicalName } from './names.ts';

/** Object key prefixes the application writes (see functions/store and functions/aws). */
export const OBJECT_PREFIXES = ['files/', 'branding/'] as const;
/** Server-written CSV exports of the activity log (staff only, expired after a day). */
export const EXPORTS_PREFIX = 'exports/';

/** The longest a presigned URL's signature is honoured, in milliseconds (matches DOWNLOAD_URL_SECONDS = 300). */
export const MAX_DOWNLOAD_SIGNATURE_AGE_MS = 300_000;

export interface DocumentsProps {
  /** Bucket that receives S3 server access logs (prefix `documents/`). */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Days a noncurrent S3 object version is kept. File versions are application items,
   * bucket versioning is only a safety net against accidental overwrite or deletion.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /**
   * @default RemovalPolicy.RETAIN: the company's documents outlive the stack.
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class Documents extends Construct {
  readonly bucket: s3.Bucket;
  /**
   * The bucket's name as CloudFormation will resolve it, written from the stack's own name and id
   * rather than as a reference to the bucket (`bucket.bucketName` is a Ref). The site's CSP uses it:
   * the bucket's CORS names the site's origin, i.e. the distribution, whose CSP names the bucket, and
   * with a Ref that would be a circular dependency.
   */
  readonly bucketNameLiteral: string;

  constructor(scope: Construct, id: string, props: DocumentsProps) {
    super(scope, id);
    // S3 names are global: the whole stack UUID (infra/names.ts), so a bucket retained by a destroyed
    // stack never blocks the next stack of the same name.
    this.bucketNameLiteral = physicalName(this, 'documents', { maxLength: 63, lowercase: true, globallyUnique: true });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: this.bucketNameLiteral,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Activity exports are handed out as 5-minute links; a day later nobody needs the object.
        { id: 'expire-activity-exports', prefix: `${EXPORTS_PREFIX}`, expiration: Duration.days(1) },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 90),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledgeHipaa(
      this.bucket,
      'S3DefaultEncryptionKMS',
      'Every object is encrypted at rest with SSE-S3 (AES-256). SSE-KMS would put kms:Decrypt/GenerateDataKey on ' +
        'every function that signs presigned URLs and a KMS request on each download and upload part, for a key ' +
        'whose only extra control is key-policy auditing; it is optional hardening an operator can enable ' +
        '(docs/DEPLOY.md "Stricter HIPAA setups").',
    );
    acknowledgeHipaa(
      this.bucket,
      'S3BucketReplicationEnabled',
      'Cross-region replication is a per-deployment decision, not a default: EU clinics must keep health data in ' +
        'their region (data residency), and a replica needs a destination bucket and region chosen by the company ' +
        '(docs/DEPLOY.md "Stricter HIPAA setups"). In-region, S3 stores objects across several AZs and versioning ' +
        'keeps overwritten or deleted versions 90 days.',
    );

    // A leaked download URL stops working 5 minutes after it was signed, whatever expiry its
    // signer asked for. Scoped to reads: staff multipart part URLs are used for longer than
    // 5 minutes on big uploads, and presigned POST uploads are authType POST, not query string.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyStalePresignedDownloads',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 's3:authType': 'REST-QUERY-STRING' },
          NumericGreaterThan: { 's3:signatureAge': MAX_DOWNLOAD_SIGNATURE_AGE_MS },
        },
      }),
    );
  }

  /**
   * Lets the site's scripts read S3's answers to the presigned POST / multipart PUT uploads (and the
   * multipart `ETag`) and downloads: the one CORS rule, for the site's own origin only. Presigned URLs
   * are bearer capabilities, so CORS adds no access control; it keeps every other page from reading them.
   */
  allowOrigin(origin: string): void {
    this.bucket.addCorsRule({
      allowedOrigins: [origin],
      allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD, s3.HttpMethods.POST, s3.HttpMethods.PUT],
      allowedHeaders: ['content-type', 'content-md5', 'content-disposition', 'x-amz-*'],
      exposedHeaders: ['ETag'],
      maxAge: 3600,
    });
  }

  private objectArns(): string[] {
    return OBJECT_PREFIXES.map((p) => this.bucket.arnForObjects(`${p}*`));
  }

  private acknowledgePrefixes(grantee: iam.IGrantable, reason: string): void {
    for (const p of OBJECT_PREFIXES) {
      acknowledge(
        grantee.grantPrincipal as unknown as IConstruct,
        `IAM5[Resource::${nagRef(this.bucket)}/${p}*]`,
        reason,
      );
    }
  }

  /**
   * Staff function: read, upload (single PUT, presigned POST, multipart: Create/UploadPart/Complete
   * all authorize as s3:PutObject), abort and list parts, under `files/` and `branding/` only.
   * HeadObject is authorized by s3:GetObject. s3:ListBucket (bucket only, no objects) lets
   * HeadObject on a key that was never uploaded answer 404 instead of 403, which is how the
   * upload-completion check tells "not uploaded" from "denied". No delete.
   */
  grantStaffObjects(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resourceArns: this.objectArns(),
    });
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resourceArns: [this.bucket.arnForObjects(`${EXPORTS_PREFIX}*`)],
    });
    acknowledge(
      grantee.grantPrincipal as unknown as IConstruct,
      `IAM5[Resource::${nagRef(this.bucket)}/${EXPORTS_PREFIX}*]`,
      'Activity exports are written by the staff API under server-made names (exports/activity-<ulid>.csv) and ' +
        'handed out as presigned GETs; the prefix expires after a day.',
    );
    this.acknowledgePrefixes(
      grantee,
      'Object keys are server-made ids (files/<fileId>/<versionId>, branding/<name>) unknown at deploy time; the ' +
        'grant is limited to these two prefixes and to object-level actions the staff API signs URLs for.',
    );
  }

  /** Client-facing functions: s3:GetObject (presigned downloads) under `files/` and `branding/` only. */
  grantClientDownload(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: this.objectArns() });
    this.acknowledgePrefixes(
      grantee,
      'Presigned GET for a file version the server authorized from current grant data; keys are server-made ids ' +
        'unknown at deploy time. Read-only, limited to the two application prefixes.',
    );
  }
}

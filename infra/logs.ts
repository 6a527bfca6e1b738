/**
 * The access-logs bucket: S3 server access logs of the documents and site buckets
 * and CloudFront standard logs. Private, TLS-only, expiring.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeHipaa } from './nag.ts';

export interface AccessLogsProps {
  /**
   * Days an access-log object is kept before S3 deletes it.
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * @default RemovalPolicy.RETAIN: logs are evidence; keep them when the stack goes.
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class AccessLogs extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with ACLs, so ACLs stay available to the bucket owner
      // (BUCKET_OWNER_PREFERRED); S3 server access logging uses the bucket policy.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      // Versioned: a log object overwritten or deleted by mistake (or on purpose) stays recoverable
      // for 90 days. With `expiration` in days S3 also removes the delete markers it leaves behind.
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(props.retentionDays ?? 365),
          noncurrentVersionExpiration: Duration.days(90),
        },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // No S1 / S3BucketLoggingEnabled finding: cdk-nag recognizes this bucket as the access-log
    // destination of the documents and site buckets (logging it into itself would loop).
    acknowledgeHipaa(
      this.bucket,
      'S3DefaultEncryptionKMS',
      'S3 server access logging can only deliver to a destination bucket whose default encryption is SSE-S3 ' +
        '(SSE-KMS is not supported for the target bucket), so this bucket stays SSE-S3 (AES-256, encrypted at ' +
        'rest). It holds request metadata, never document content.',
    );
    acknowledgeHipaa(
      this.bucket,
      'S3BucketReplicationEnabled',
      'Replicating access logs out of the region is the same data-residency decision as for the documents (the ' +
        'logs carry client IP addresses), left to each deployment (docs/DEPLOY.md "Stricter HIPAA setups"); the ' +
        'bucket is versioned, retained with the stack and stored across several AZs.',
    );
  }
}

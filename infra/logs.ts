/**
 * The access-logs bucket: S3 server access logs of the documents and site buckets
 * and CloudFront standard logs. Private, TLS-only, expiring.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

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
      lifecycleRules: [
        { id: 'expire-logs', expiration: Duration.days(props.retentionDays ?? 365) },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.bucket,
      'S1',
      'This bucket is the access-log destination for the documents bucket, the site bucket and CloudFront; logging it into itself would loop and logging it elsewhere only moves the problem.',
    );
  }
}

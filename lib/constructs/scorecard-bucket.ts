import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_PREFIX } from '../../lambdas/domain/layout.ts';

export interface ScorecardBucketProps {
  /**
   * What `cdk destroy` does to the bucket and its access-log bucket. With `DESTROY` their objects are emptied
   * first (by a custom resource), which only suits throw-away stacks.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Days an overwritten or deleted object version is kept before S3 deletes it for good. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Days the copies and reports under `rejected/` are kept. @default 90 */
  readonly rejectedRetentionDays?: number;
  /** Days server access logs are kept. @default 365 */
  readonly accessLogRetentionDays?: number;
}

/**
 * Stateful: the bucket exports are dropped into (`incoming/`) and the pipeline writes to (`accepted/`,
 * `rejected/`, `reports/`). Private, encrypted, TLS-only, versioned so an overwritten export can be recovered,
 * sending its object events to EventBridge too (the misplaced-upload rule), with its requests logged to a second bucket (the exports hold personal data: who read what is worth keeping).
 *
 * Lifecycle: raw exports, accepted records and reports are kept (they are the KPI history); a version that was
 * overwritten or deleted is kept `noncurrentVersionDays`; rejected copies expire after `rejectedRetentionDays`
 * (the raw file stays under `incoming/`); unfinished multipart uploads (an interrupted records file) after a day.
 */
export class ScorecardBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** Receives the server access logs of `bucket`. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ScorecardBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const destroy = removalPolicy === RemovalPolicy.DESTROY;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Server access logging delivers to SSE-S3 buckets only (not SSE-KMS).
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays ?? 365) }],
      removalPolicy,
      autoDeleteObjects: destroy,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      versioned: true,
      // Object events also go to EventBridge, where a rule can match every key under incoming/ (the bucket's own
      // notifications are taken per dataset prefix: one prefix cannot overlap another for the same event type).
      eventBridgeEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      lifecycleRules: [
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 90),
          // Once its last noncurrent version is gone, a deleted key's marker is removed too.
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'expire-rejected',
          prefix: BUCKET_PREFIX.rejected,
          expiration: Duration.days(props.rejectedRetentionDays ?? 90),
        },
      ],
      removalPolicy,
      autoDeleteObjects: destroy,
    });
  }
}

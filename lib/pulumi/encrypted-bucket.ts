import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { invalid, requireInt } from '../core/errors.js';

/** Object lifecycle of a bucket, derived from the data's retention. */
export interface BucketLifecycle {
  /** Delete current objects this many days after they were written (the longest retention tier). */
  readonly expirationDays: number;
  /** Keep overwritten or deleted objects this long (recovery window). @default 30 */
  readonly noncurrentVersionDays?: number;
  /** Move objects to STANDARD_IA after this many days (AWS minimum 30). @default - no transition */
  readonly infrequentAccessAfterDays?: number;
}

export interface EncryptedBucketArgs {
  /** Globally unique bucket name (the cdk8s charts refer to it). */
  readonly bucket: string;
  /** KMS key for default encryption (SSE-KMS with an S3 bucket key). */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly lifecycle: BucketLifecycle;
  readonly tags?: Record<string, string>;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * An S3 bucket as the platform stores data: SSE-KMS by default, versioned, every public access
 * path blocked, and a lifecycle that matches the data's retention (expiry, noncurrent versions,
 * aborted multipart uploads).
 */
export class EncryptedBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly versioning: aws.s3.BucketVersioning;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: EncryptedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-monitoring:storage:EncryptedBucket', name, {}, opts);
    if (!BUCKET.test(args.bucket ?? '')) throw invalid('bucket', args.bucket, 'an S3 bucket name of 3-63 lowercase letters, digits, "." and "-"');
    const expiration = requireInt('lifecycle.expirationDays', args.lifecycle.expirationDays, 1);
    const noncurrent = requireInt('lifecycle.noncurrentVersionDays', args.lifecycle.noncurrentVersionDays ?? 30, 1);
    const ia = args.lifecycle.infrequentAccessAfterDays;
    if (ia !== undefined && (requireInt('lifecycle.infrequentAccessAfterDays', ia, 30) >= expiration)) {
      throw invalid('lifecycle.infrequentAccessAfterDays', ia, `below expirationDays (${expiration})`);
    }
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(name, { bucket: args.bucket, tags: args.tags }, child);
    const bucket = this.bucket.id;
    new aws.s3.BucketPublicAccessBlock(name, {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(name, {
      bucket,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
    }, child);
    this.versioning = new aws.s3.BucketVersioning(name, { bucket, versioningConfiguration: { status: 'Enabled' } }, child);
    new aws.s3.BucketLifecycleConfiguration(name, {
      bucket,
      rules: [
        {
          id: 'retention',
          status: 'Enabled',
          filter: {},
          expiration: { days: expiration },
          noncurrentVersionExpiration: { noncurrentDays: noncurrent },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          ...(ia !== undefined ? { transitions: [{ days: ia, storageClass: 'STANDARD_IA' }] } : {}),
        },
        // Delete markers left once every version has expired.
        { id: 'expired-delete-markers', status: 'Enabled', filter: {}, expiration: { expiredObjectDeleteMarker: true } },
      ],
    }, { parent: this, dependsOn: [this.versioning] });

    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}

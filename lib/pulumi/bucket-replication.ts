import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { EncryptedBucket } from './encrypted-bucket.js';

export interface BucketReplicationArgs {
  readonly source: EncryptedBucket;
  readonly sourceKmsKeyArn: pulumi.Input<string>;
  readonly destination: EncryptedBucket;
  readonly destinationKmsKeyArn: pulumi.Input<string>;
  readonly tags?: Record<string, string>;
}

/**
 * Batch replication of historical data (seed 8.2): S3 replication of every object, delete
 * marker included, from a primary bucket to its backup bucket in the secondary region, with
 * the IAM role S3 assumes to do it. KMS-encrypted objects are re-encrypted with the
 * destination region's key. Create it with the source region's provider.
 */
export class BucketReplication extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly config: aws.s3.BucketReplicationConfig;

  constructor(name: string, args: BucketReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-monitoring:storage:BucketReplication', name, {}, opts);
    this.role = new aws.iam.Role(name, {
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags: args.tags,
    }, { parent: this });
    const policy = pulumi.all([args.source.arn, args.destination.arn, args.sourceKmsKeyArn, args.destinationKmsKeyArn])
      .apply(([src, dst, srcKey, dstKey]) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: [src] },
          { Effect: 'Allow', Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], Resource: [`${src}/*`] },
          { Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: [`${dst}/*`] },
          { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [srcKey] },
          { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: [dstKey] },
        ],
      }));
    const rolePolicy = new aws.iam.RolePolicy(name, { role: this.role.id, policy }, { parent: this });
    this.config = new aws.s3.BucketReplicationConfig(name, {
      bucket: args.source.bucket.id,
      role: this.role.arn,
      rules: [{
        id: 'backup',
        status: 'Enabled',
        filter: {},
        deleteMarkerReplication: { status: 'Enabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: {
          bucket: args.destination.arn,
          storageClass: 'STANDARD',
          encryptionConfiguration: { replicaKmsKeyId: args.destinationKmsKeyArn },
        },
      }],
    }, { parent: this, dependsOn: [args.source.versioning, args.destination.versioning, rolePolicy] });
    this.registerOutputs({ roleArn: this.role.arn });
  }
}

import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { invalid } from '../core/errors.js';

export interface IrsaRoleArgs {
  /** ARN of the cluster's IAM OIDC provider: `arn:aws:iam::<account>:oidc-provider/<issuer>`. */
  readonly oidcProviderArn: string;
  /** `namespace/name` of the ServiceAccounts that may assume the role (`*` allowed in the name). */
  readonly serviceAccounts: string[];
  /** Buckets the role reads and writes. */
  readonly bucketArns: pulumi.Input<string>[];
  /** KMS keys of those buckets. */
  readonly kmsKeyArns: pulumi.Input<string>[];
  readonly tags?: Record<string, string>;
}

const OIDC_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/;
const SA = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/;

/**
 * IAM role for Kubernetes ServiceAccounts (IRSA): trusted by the cluster's OIDC provider for
 * the listed ServiceAccounts only, allowed to list, read, write and delete objects of the given
 * buckets and to use their KMS keys. Thanos and Loki need exactly these actions.
 */
export class IrsaRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-monitoring:iam:IrsaRole', name, {}, opts);
    const m = OIDC_ARN.exec(args.oidcProviderArn ?? '');
    if (!m) throw invalid('oidcProviderArn', args.oidcProviderArn, 'an IAM OIDC provider ARN like arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE');
    const issuer = m[1];
    if (!args.serviceAccounts.length) throw invalid('serviceAccounts', args.serviceAccounts, 'at least one namespace/name');
    args.serviceAccounts.forEach((sa, i) => {
      if (!SA.test(sa)) throw invalid(`serviceAccounts[${i}]`, sa, 'namespace/name, for example monitoring/thanos-store');
    });
    const subjects = args.serviceAccounts.map((sa) => `system:serviceaccount:${sa.replace('/', ':')}`);
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: args.oidcProviderArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${issuer}:sub`]: subjects },
        },
      }],
    });
    this.role = new aws.iam.Role(name, { assumeRolePolicy: trust, tags: args.tags }, { parent: this });
    const policy = pulumi.all([pulumi.all(args.bucketArns), pulumi.all(args.kmsKeyArns)]).apply(([buckets, keys]) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: buckets },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: buckets.map((b) => `${b}/*`) },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: keys },
      ],
    }));
    new aws.iam.RolePolicy(name, { role: this.role.id, policy }, { parent: this });
    this.arn = this.role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}

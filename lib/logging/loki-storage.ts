import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { invalid } from '../core/errors.js';
import { validateDnsSubdomain } from '../core/names.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';

/** How Loki authenticates to S3. */
export class S3Credentials {
  /**
   * IAM Roles for Service Accounts: every Loki service account carries the
   * `eks.amazonaws.com/role-arn` annotation and the AWS SDK's default chain picks the web
   * identity token up. No secret exists anywhere.
   */
  static serviceAccountRole(roleArn: string): S3Credentials {
    if (typeof roleArn !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn)) {
      throw invalid('credentials.roleArn', roleArn, 'an IAM role ARN like arn:aws:iam::123456789012:role/loki');
    }
    return new S3Credentials(roleArn, undefined);
  }

  /** Static keys from a Kubernetes Secret, passed as environment variables through `secretKeyRef`. */
  static secret(props: { readonly secretName: string; readonly accessKeyIdKey?: string; readonly secretAccessKeyKey?: string }): S3Credentials {
    validateDnsSubdomain(props.secretName, 'credentials.secretName');
    return new S3Credentials(undefined, {
      secretName: props.secretName,
      accessKeyIdKey: props.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID',
      secretAccessKeyKey: props.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY',
    });
  }

  private constructor(
    readonly roleArn: string | undefined,
    readonly secretRef: { secretName: string; accessKeyIdKey: string; secretAccessKeyKey: string } | undefined,
  ) {}

  /** Service account annotations (IRSA). */
  get serviceAccountAnnotations(): Record<string, string> {
    return this.roleArn ? { 'eks.amazonaws.com/role-arn': this.roleArn } : {};
  }

  /** Container environment (Secret keys); the config references them with `-config.expand-env`. */
  get env(): IEnvVar[] {
    if (!this.secretRef) return [];
    const { secretName, accessKeyIdKey, secretAccessKeyKey } = this.secretRef;
    return [
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: secretName, key: accessKeyIdKey } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: secretName, key: secretAccessKeyKey } } },
    ];
  }
}

export interface S3StorageProps {
  /** Bucket of this region (one bucket per region: logs stay in their region). */
  readonly bucket: string;
  /** AWS region of the bucket. */
  readonly region: string;
  readonly credentials: S3Credentials;
  /** For S3-compatible stores (MinIO). @default - AWS S3 for `region` */
  readonly endpoint?: string;
  /** @default 'SSE-S3' */
  readonly encryption?: 'SSE-S3' | 'SSE-KMS';
  /** KMS key for SSE-KMS. */
  readonly kmsKeyId?: string;
}

/** Where Loki keeps chunks and the TSDB index. */
export class LokiStorage {
  /** S3 (required for the distributed mode and for more than one single-binary replica). */
  static s3(props: S3StorageProps): LokiStorage {
    if (typeof props.bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucket)) {
      throw invalid('storage.bucket', props.bucket, 'an S3 bucket name of 3-63 lowercase letters, digits, "." and "-"');
    }
    if (typeof props.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
      throw invalid('storage.region', props.region, 'an AWS region like eu-west-1');
    }
    if (props.endpoint !== undefined) requireUrlWithoutCredential('storage.endpoint', props.endpoint);
    if (props.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(props.endpoint)) {
      throw invalid('storage.endpoint', props.endpoint, 'an http(s) URL');
    }
    const encryption = props.encryption ?? 'SSE-S3';
    if (encryption === 'SSE-KMS' && !props.kmsKeyId) throw invalid('storage.kmsKeyId', props.kmsKeyId, 'a KMS key id when encryption is SSE-KMS');
    return new LokiStorage('s3', props, encryption);
  }

  /** A local volume: single-binary mode with one replica only (trials, small clusters). */
  static filesystem(): LokiStorage {
    return new LokiStorage('filesystem', undefined, undefined);
  }

  private constructor(
    readonly type: 's3' | 'filesystem',
    readonly s3?: S3StorageProps,
    readonly encryption?: 'SSE-S3' | 'SSE-KMS',
  ) {}

  /** True when Loki pods reach an object store over HTTPS. */
  get isObjectStore(): boolean {
    return this.type === 's3';
  }

  get credentials(): S3Credentials | undefined {
    return this.s3?.credentials;
  }
}

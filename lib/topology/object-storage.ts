import { Construct } from 'constructs';
import { toYaml } from '../core/yaml.js';
import { invalid } from '../core/errors.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateDnsLabel, validateDnsSubdomain } from '../core/names.js';

/** A Secret key that holds a Thanos objstore.yml. */
export interface ObjectStorageRef {
  readonly secretName: string;
  readonly key: string;
}

export interface S3BucketProps {
  readonly bucket: string;
  /** AWS region of the bucket. */
  readonly region: string;
  /** @default - `s3.<region>.amazonaws.com` */
  readonly endpoint?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Where Thanos keeps blocks. `s3()` writes an objstore.yml without credentials (the service
 * account's IAM role signs requests through the AWS SDK chain, `aws_sdk_auth`), so the Secret
 * holds only the bucket's address. `fromSecret()` uses a Secret managed elsewhere (for example by
 * External Secrets, when static keys are unavoidable).
 */
export class ObjectStorage {
  static s3(props: S3BucketProps): ObjectStorage {
    if (!BUCKET.test(props.bucket ?? '')) throw invalid('bucket', props.bucket, 'an S3 bucket name of 3-63 lowercase letters, digits, "." and "-"');
    if (props.endpoint !== undefined) {
      // Thanos' S3 client takes host[:port] without a scheme; the endpoint lands in the objstore Secret.
      requireUrlWithoutCredential('endpoint', props.endpoint);
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/.test(props.endpoint)) throw invalid('endpoint', props.endpoint, 'an S3 host[:port] without a scheme, like s3.us-east-1.amazonaws.com');
    }
    validateDnsLabel(props.region, 'region');
    // Keys from the Thanos objstore S3 client configuration (docs/storage.md#s3).
    const config = {
      type: 'S3',
      config: {
        bucket: props.bucket,
        endpoint: props.endpoint ?? `s3.${props.region}.amazonaws.com`,
        region: props.region,
        aws_sdk_auth: true,
      },
    };
    return new ObjectStorage(props.bucket, toYaml(config));
  }

  static fromSecret(secretName: string, key = 'objstore.yml'): ObjectStorage {
    validateDnsSubdomain(secretName, 'secretName');
    return new ObjectStorage(undefined, undefined, { secretName, key });
  }

  private constructor(
    /** The bucket name, when known. */
    readonly bucket: string | undefined,
    private readonly config: string | undefined,
    private readonly existing?: ObjectStorageRef,
  ) {}

  /** The Secret to reference from `namespace`, created there on first use when the library writes it. */
  bind(scope: Construct, id: string, namespace: string, name: string): ObjectStorageRef {
    if (this.existing) return this.existing;
    const ref = { secretName: name, key: 'objstore.yml' };
    const found = scope.node.tryFindChild(id);
    if (!found) {
      new K8sObject(scope, id, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace },
        type: 'Opaque',
        stringData: { [ref.key]: this.config! },
      });
    }
    return ref;
  }
}

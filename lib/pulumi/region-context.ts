// Plain values of a region's cloud resources, computed from configuration alone (no Pulumi
// import), so `npm run synth` and the Pulumi program synthesize the same chart, and the
// Pulumi program synthesizes it outside any `apply`: known at `pulumi preview`.
import { invalid } from '../core/errors.js';
import { validateDnsLabel } from '../core/names.js';
import { IRSA_ANNOTATION } from '../topology/long-term-storage.js';
import type { RegionRole } from '../topology/topology.js';
import type { RegionContext } from './monitoring-region.js';

const OIDC_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):oidc-provider\/(.+)$/;

/** Partition, account and issuer of an IAM OIDC provider ARN. */
export function parseOidcProviderArn(arn: string): { partition: string; accountId: string; issuer: string } {
  const m = OIDC_ARN.exec(arn ?? '');
  if (!m) throw invalid('oidcProviderArn', arn, 'an IAM OIDC provider ARN like arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE');
  return { partition: m[1], accountId: m[2], issuer: m[3] };
}

export interface RegionContextInput {
  /** Pulumi name of the region's component: the IAM roles are named `<name>-thanos` and `<name>-loki`. */
  readonly name: string;
  /** AWS region, for example `us-east-1`. */
  readonly region: string;
  /** A secondary also gets the backup (`-replica`) buckets. */
  readonly role: RegionRole;
  /** Account of the roles is the OIDC provider's. */
  readonly oidcProviderArn: string;
  /** @default 'ai-monitoring' */
  readonly bucketPrefix?: string;
}

/**
 * Bucket names `<prefix>-<kind>-<region>` and role ARNs `arn:<partition>:iam::<account>:role/<name>-<kind>`:
 * an IAM role's ARN is known before it exists when its name is fixed, as MonitoringRegion fixes it.
 */
export function regionContext(input: RegionContextInput): RegionContext {
  const region = validateDnsLabel(input.region, 'region');
  const prefix = validateDnsLabel(input.bucketPrefix ?? 'ai-monitoring', 'bucketPrefix');
  const { partition, accountId } = parseOidcProviderArn(input.oidcProviderArn);
  const bucket = (kind: string) => `${prefix}-${kind}-${region}`;
  const roleArn = (kind: string) => `arn:${partition}:iam::${accountId}:role/${input.name}-${kind}`;
  const secondary = input.role === 'secondary';
  return {
    region,
    role: input.role,
    metricsBucket: bucket('metrics'),
    logsBucket: bucket('logs'),
    ...(secondary ? { metricsReplicaBucket: bucket('metrics-replica'), logsReplicaBucket: bucket('logs-replica') } : {}),
    thanosRoleArn: roleArn('thanos'),
    lokiRoleArn: roleArn('loki'),
  };
}

/** `namespace/name` of the synthesized ServiceAccounts annotated with the IRSA role `roleArn`. */
export function serviceAccountsOfRole(objects: ReadonlyArray<Record<string, any>>, roleArn: string): string[] {
  return objects
    .filter((o) => o.kind === 'ServiceAccount' && o.metadata?.annotations?.[IRSA_ANNOTATION] === roleArn)
    .map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`)
    .sort();
}

import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { invalid, requireInt } from '../core/errors.js';
import { validateDnsLabel } from '../core/names.js';
import { RetentionTiers } from '../topology/retention-tiers.js';
import { RegionRole } from '../topology/topology.js';
import { ClusterPrerequisites, Prerequisite } from './cluster-prerequisites.js';
import { EncryptedBucket } from './encrypted-bucket.js';
import { IrsaRole } from './irsa-role.js';
import { regionContext, serviceAccountsOfRole } from './region-context.js';

/** What a region's manifests are built from: the cloud resources made for that region. */
export interface RegionContext {
  readonly region: string;
  readonly role: RegionRole;
  readonly metricsBucket: string;
  readonly logsBucket: string;
  /** Secondary only: the backup buckets the primary replicates into. */
  readonly metricsReplicaBucket?: string;
  readonly logsReplicaBucket?: string;
  /** IRSA role of the Thanos and Prometheus ServiceAccounts. */
  readonly thanosRoleArn: string;
  /** IRSA role of the Loki ServiceAccounts. */
  readonly lokiRoleArn: string;
}

/** The objects a cdk8s chart synthesized (`chart.toJson()`) and the URLs it knows. */
export interface SynthesizedRegion {
  readonly objects: ReadonlyArray<Record<string, unknown>>;
  readonly dashboardUrl?: string;
}

/**
 * The region's Kubernetes objects: already synthesized, or a function that synthesizes them
 * from the region's plain bucket names and role ARNs ({@link regionContext}, computed from
 * configuration, so it runs outside any `apply` and the objects are known at preview).
 */
export type RegionManifests =
  | ReadonlyArray<Record<string, unknown>>
  | SynthesizedRegion
  | ((ctx: RegionContext) => ReadonlyArray<Record<string, unknown>> | SynthesizedRegion);

export interface MonitoringRegionArgs {
  /** AWS region, for example `us-east-1`. */
  readonly region: string;
  readonly role: RegionRole;
  /** Kubeconfig of the region's cluster (a stack secret). */
  readonly kubeconfig: pulumi.Input<string> | undefined;
  readonly manifests: RegionManifests;
  /** IAM OIDC provider ARN of the region's EKS cluster, for IRSA. */
  readonly oidcProviderArn: string;
  /** Bucket names are `<prefix>-<kind>-<region>`. @default 'ai-monitoring' */
  readonly bucketPrefix?: string;
  /** Metrics bucket lifecycle follows the longest tier. @default RetentionTiers.seed() */
  readonly tiers?: RetentionTiers;
  /** Loki retention in days (seed 3.1: 30d). @default 30 */
  readonly logsRetentionDays?: number;
  /** Recovery window for overwritten and deleted objects. @default 30 */
  readonly noncurrentVersionDays?: number;
  /** `namespace/name` of the ServiceAccounts that use the metrics buckets. @default - the synthesized ServiceAccounts annotated with the Thanos role */
  readonly thanosServiceAccounts?: string[];
  /** `namespace/name` (wildcards allowed) of Loki's ServiceAccounts. @default - the synthesized ServiceAccounts annotated with the Loki role */
  readonly lokiServiceAccounts?: string[];
  /** Operators to install first; `[]` when the cluster already has them. @default PREREQUISITES */
  readonly prerequisites?: readonly Prerequisite[];
  /** Overrides the dashboard URL the manifests report. */
  readonly dashboardUrl?: pulumi.Input<string>;
  readonly tags?: Record<string, string>;
}

/**
 * One region of the platform in the cloud: its AWS and Kubernetes providers, a KMS key, the
 * metrics and logs buckets (plus, in a secondary, the backup buckets the primary replicates
 * into), IRSA roles for Thanos and Loki, the cluster's operators, and the objects synthesized
 * by the cdk8s constructs, applied unchanged with a ConfigGroup.
 */
export class MonitoringRegion extends pulumi.ComponentResource {
  readonly region: string;
  readonly role: RegionRole;
  readonly awsProvider: aws.Provider;
  readonly k8sProvider: k8s.Provider;
  readonly kmsKey: aws.kms.Key;
  readonly metricsBucket: EncryptedBucket;
  readonly logsBucket: EncryptedBucket;
  readonly metricsReplicaBucket?: EncryptedBucket;
  readonly logsReplicaBucket?: EncryptedBucket;
  readonly thanosRole: IrsaRole;
  readonly lokiRole: IrsaRole;
  readonly manifests: k8s.yaml.v2.ConfigGroup;
  readonly dashboardUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: MonitoringRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-monitoring:topology:MonitoringRegion', name, {}, opts);
    this.region = validateDnsLabel(args.region, 'region');
    if (args.role !== 'primary' && args.role !== 'secondary') throw invalid('role', args.role, "'primary' or 'secondary'");
    this.role = args.role;
    if (args.kubeconfig === undefined || args.kubeconfig === null || args.kubeconfig === '') {
      throw invalid('kubeconfig', args.kubeconfig, `the kubeconfig of the ${this.region} cluster (stack secret 'kubeconfig-${this.region}')`);
    }
    // Names and ARNs from configuration: the chart is synthesized now, from plain values.
    const ctx = regionContext({ name, region: this.region, role: this.role, oidcProviderArn: args.oidcProviderArn, bucketPrefix: args.bucketPrefix });
    const rendered = render(args.manifests, ctx);
    const tiers = args.tiers ?? RetentionTiers.seed();
    const logsDays = requireInt('logsRetentionDays', args.logsRetentionDays ?? 30, 1);
    const tags = { 'app.kubernetes.io/part-of': 'ai-monitoring', region: this.region, ...(args.tags ?? {}) };

    this.awsProvider = new aws.Provider(`${name}-aws`, { region: this.region as aws.Region }, { parent: this });
    this.k8sProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: args.kubeconfig }, { parent: this });
    const inAws = { parent: this, provider: this.awsProvider };
    const awsChildren = { parent: this, providers: [this.awsProvider] };

    this.kmsKey = new aws.kms.Key(`${name}-kms`, {
      description: `ai-monitoring data in ${this.region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags,
    }, inAws);
    const bucket = (kind: string, expirationDays: number) => new EncryptedBucket(`${name}-${kind}`, {
      bucket: `${args.bucketPrefix ?? 'ai-monitoring'}-${kind}-${this.region}`, // = regionContext's names
      kmsKeyArn: this.kmsKey.arn,
      lifecycle: { expirationDays, noncurrentVersionDays: args.noncurrentVersionDays },
      tags,
    }, awsChildren);
    // Object age never exceeds data age, so expiring at the longest tier never removes data in retention.
    this.metricsBucket = bucket('metrics', tiers.longestDays);
    this.logsBucket = bucket('logs', logsDays);
    if (this.role === 'secondary') {
      this.metricsReplicaBucket = bucket('metrics-replica', tiers.longestDays);
      this.logsReplicaBucket = bucket('logs-replica', logsDays);
    }

    // Trust exactly the ServiceAccounts the chart annotates with each role.
    const subjects = (roleArn: string) => serviceAccountsOfRole(rendered.objects, roleArn);
    this.thanosRole = new IrsaRole(`${name}-thanos`, {
      roleName: `${name}-thanos`,
      oidcProviderArn: args.oidcProviderArn,
      serviceAccounts: [...(args.thanosServiceAccounts ?? subjects(ctx.thanosRoleArn))],
      bucketArns: [this.metricsBucket.arn, ...(this.metricsReplicaBucket ? [this.metricsReplicaBucket.arn] : [])],
      kmsKeyArns: [this.kmsKey.arn],
      tags,
    }, awsChildren);
    this.lokiRole = new IrsaRole(`${name}-loki`, {
      roleName: `${name}-loki`,
      oidcProviderArn: args.oidcProviderArn,
      serviceAccounts: [...(args.lokiServiceAccounts ?? subjects(ctx.lokiRoleArn))],
      bucketArns: [this.logsBucket.arn],
      kmsKeyArns: [this.kmsKey.arn],
      tags,
    }, awsChildren);

    const inCluster = { parent: this, providers: [this.k8sProvider] };
    const prerequisites = new ClusterPrerequisites(`${name}-prerequisites`, { prerequisites: args.prerequisites }, inCluster);

    // One source of truth: the cdk8s objects, applied as they are (CRDs and operators first).
    this.manifests = new k8s.yaml.v2.ConfigGroup(`${name}-platform`, {
      objs: rendered.objects as any[],
    }, { parent: this, provider: this.k8sProvider, dependsOn: [prerequisites] });
    this.dashboardUrl = args.dashboardUrl !== undefined ? pulumi.output(args.dashboardUrl) : pulumi.output(rendered.dashboardUrl);

    this.registerOutputs({
      metricsBucket: this.metricsBucket.name,
      logsBucket: this.logsBucket.name,
      metricsReplicaBucket: this.metricsReplicaBucket?.name,
      logsReplicaBucket: this.logsReplicaBucket?.name,
      thanosRoleArn: this.thanosRole.arn,
      lokiRoleArn: this.lokiRole.arn,
      dashboardUrl: this.dashboardUrl,
    });
  }
}

function render(source: RegionManifests, ctx: RegionContext): SynthesizedRegion {
  const out = typeof source === 'function' ? source(ctx) : source;
  const region = Array.isArray(out) ? { objects: out as ReadonlyArray<Record<string, unknown>> } : (out as SynthesizedRegion);
  if (!Array.isArray(region.objects) || region.objects.length === 0) {
    throw invalid('manifests', region.objects, `the synthesized objects of ${ctx.region} (chart.toJson()), not empty`);
  }
  return region;
}

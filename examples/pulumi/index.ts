// The Pulumi program of the seed platform: both regions of seed 8.2 (us-east-1 primary,
// eu-west-1 secondary), their buckets, IAM roles, operators, and the cdk8s charts applied as
// synthesized. Stack configuration: docs/topology.md; values for the `seed` stack:
// examples/pulumi/Pulumi.seed.yaml. Run from the repository root: `pulumi up --stack seed`.
import * as pulumi from '@pulumi/pulumi';
import { SEED_REGIONS, SeedRegion } from '../../lib/index.js';
import { PLATFORM_NAME, synthesizeSeedRegion } from '../seed-platform/region.js';
import { GlobalMonitoring, RegionContext, SynthesizedRegion } from '../../lib/pulumi/index.js';
import { RegionRole, Topology } from '../../lib/topology/index.js';

/** One entry of the `regions` stack setting. */
interface RegionConfig {
  readonly region: SeedRegion;
  readonly role: RegionRole;
  /** IAM OIDC provider of the region's EKS cluster (IRSA). */
  readonly oidcProviderArn: string;
  /** VPC CIDR of the region (cross-region NetworkPolicies). */
  readonly cidr: string;
  /** This region's Thanos Query gRPC address as the other region reaches it. */
  readonly queryEndpoint: string;
  /** This region's Thanos Receive remote-write URL as the other region reaches it. */
  readonly receiveUrl: string;
}

const config = new pulumi.Config();
const regions = config.requireObject<RegionConfig[]>('regions');
for (const r of regions) {
  if (!SEED_REGIONS.includes(r.region)) throw new Error(`'regions[].region' must be one of ${SEED_REGIONS.join(', ')}, got '${r.region}'`);
}
const topology = new Topology({ regions });

/** Synthesizes one region's chart from its configured names and ARNs: the same code as `npm run synth`. */
const synthesize = (ctx: RegionContext): SynthesizedRegion => synthesizeSeedRegion(ctx, topology, config.getNumber('monthlyBudget'));

const platform = new GlobalMonitoring(PLATFORM_NAME, {
  regions: regions.map((r) => ({
    region: r.region,
    role: r.role,
    kubeconfig: config.getSecret(`kubeconfig-${r.region}`),
    oidcProviderArn: r.oidcProviderArn,
    bucketPrefix: config.get('bucketPrefix'),
    prerequisites: config.getBoolean('installOperators') === false ? [] : undefined,
    manifests: synthesize,
  })),
});

export const buckets = platform.buckets;
export const dashboardUrls = platform.dashboardUrls;

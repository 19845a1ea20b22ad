import { invalid, requireUnique, ValidationError } from '../core/errors.js';
import { requireHostPort } from '../core/credentials.js';
import { requireCidr } from '../core/network.js';
import { requireSafeUrl } from '../core/url.js';
import { validateDnsLabel } from '../core/names.js';

/**
 * Role of a region (seed 8.2). The primary runs core monitoring, primary storage, alert
 * management and the global query view; a secondary runs a monitoring replica, backup storage
 * (the primary's buckets replicated into it) and takes over on failover.
 */
export type RegionRole = 'primary' | 'secondary';

/** The addresses one region offers to the others. */
export interface RegionSpec {
  /** Cloud region, for example `us-east-1`. */
  readonly region: string;
  readonly role: RegionRole;
  /**
   * gRPC address (`host:port`) of this region's Thanos Query (StoreAPI), reachable from the
   * other regions, for example an internal load balancer over VPC peering.
   */
  readonly queryEndpoint: string;
  /** Remote-write URL of this region's Thanos Receive, reachable from the other regions. */
  readonly receiveUrl: string;
  /** Address range the region's traffic comes from and goes to (VPC CIDR), for NetworkPolicies. */
  readonly cidr: string;
}

export interface TopologyProps {
  readonly regions: RegionSpec[];
}

/** Upper bound of the regions of one topology. */
export const MAX_REGIONS = 10;

/** An IPv4 or IPv6 CIDR such as `10.0.0.0/16` (the shared NetworkPolicy check). */
export function validateCidr(value: string, prop = 'cidr'): string {
  return requireCidr(prop, value);
}

/** Exactly one primary, every region once: shared by the cdk8s and Pulumi sides. */
export function validateRegionRoles(regions: ReadonlyArray<{ readonly region: string; readonly role: string }>, prop = 'regions'): void {
  if (!Array.isArray(regions) || regions.length === 0) throw invalid(prop, regions, 'a non-empty list of regions');
  // Every region remote-writes to every other one: the objects grow with the square of the count.
  if (regions.length > MAX_REGIONS) throw invalid(prop, `${regions.length} regions`, `at most ${MAX_REGIONS} regions`);
  const seen: string[] = [];
  regions.forEach((r, i) => {
    validateDnsLabel(r.region, `${prop}[${i}].region`);
    requireUnique(`${prop}.region`, r.region, seen);
    seen.push(r.region);
    if (r.role !== 'primary' && r.role !== 'secondary') {
      throw invalid(`${prop}[${i}].role`, r.role, "'primary' or 'secondary'");
    }
  });
  const primaries = regions.filter((r) => r.role === 'primary').map((r) => r.region);
  if (primaries.length !== 1) {
    const secondaries = regions.filter((r) => r.role === 'secondary').map((r) => r.region);
    const why = primaries.length === 0 ? ` (secondary ${secondaries.join(', ')} has no primary to replicate)` : '';
    throw new ValidationError(`'${prop}' must have exactly one region with role 'primary'${why}, got ${primaries.length}${primaries.length ? `: ${primaries.join(', ')}` : ''}`);
  }
}

/** The regions of the platform and their roles, validated once; each region's chart reads it. */
export class Topology {
  readonly regions: readonly RegionSpec[];
  readonly primary: RegionSpec;

  constructor(props: TopologyProps) {
    validateRegionRoles(props.regions);
    props.regions.forEach((r, i) => {
      // Both end up in manifests (query endpoints, remote-write URLs): never accept or echo a credential.
      requireHostPort(`regions[${i}].queryEndpoint`, r.queryEndpoint, 'a host:port gRPC address like thanos-query.eu-west-1.example.internal:10901');
      requireSafeUrl(`regions[${i}].receiveUrl`, r.receiveUrl, { expected: 'an http(s) URL like https://thanos-receive.eu-west-1.example.internal:19291/api/v1/receive' });
      validateCidr(r.cidr, `regions[${i}].cidr`);
    });
    this.regions = props.regions;
    this.primary = props.regions.find((r) => r.role === 'primary')!;
  }

  /** The spec of one region; throws when the region is not part of the topology. */
  get(region: string): RegionSpec {
    const spec = this.regions.find((r) => r.region === region);
    if (!spec) throw invalid('region', region, `one of ${this.regions.map((r) => r.region).join(', ')}`);
    return spec;
  }

  /** Every region but this one. */
  others(region: string): RegionSpec[] {
    this.get(region);
    return this.regions.filter((r) => r.region !== region);
  }
}

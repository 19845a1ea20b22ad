// One region of the seed platform: its model-serving workload and the monitoring platform.
// Shared by `npm run synth` (main.ts), the Pulumi program and the tests.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { GeoIpDatabase, MonitoringPlatform, SeedOptions, SeedRegion, seedPlatform, Topology } from '../../lib/index.js';
import type { RegionContext } from '../../lib/pulumi/index.js';
import { modelServingWorkload } from './model-serving.js';

/**
 * The GeoIP database the seed's log enrichment reads (a prerequisite, README): by default the
 * file GeoLite2-Country.mmdb in a directory every node provides (GEOIP_HOST_PATH).
 */
export function seedGeoIpDatabase(): GeoIpDatabase {
  return GeoIpDatabase.fromVolume({
    volume: { name: 'geoip', hostPath: { path: process.env.GEOIP_HOST_PATH ?? '/var/lib/geoip', type: 'Directory' } },
    file: 'GeoLite2-Country.mmdb',
    type: 'country',
  });
}

export function seedRegion(scope: Construct, region: SeedRegion, options: Omit<SeedOptions, 'modelServing'> = {}): MonitoringPlatform {
  const modelServing = modelServingWorkload(scope);
  return new MonitoringPlatform(scope, 'Platform', seedPlatform(region, { geoipDatabase: seedGeoIpDatabase(), ...options, modelServing }));
}

/** The seed options that come from the Pulumi program: the region's buckets and IRSA roles. */
export function seedOptionsFromPulumi(ctx: RegionContext, topology: Topology): Omit<SeedOptions, 'modelServing'> {
  return {
    topology,
    metricsBucket: ctx.metricsBucket,
    metricsReplicaBucket: ctx.metricsReplicaBucket,
    logsBucket: ctx.logsBucket,
    thanosRoleArn: ctx.thanosRoleArn,
    lokiRoleArn: ctx.lokiRoleArn,
  };
}

/** Name of the Pulumi program's GlobalMonitoring: region components are `<name>-<region>`. */
export const PLATFORM_NAME = 'ai-monitoring';

/**
 * One region's chart from its plain context (bucket names, role ARNs: `regionContext`): the code
 * path of both `npm run synth` and the Pulumi program.
 */
export function synthesizeSeedRegion(ctx: RegionContext, topology: Topology, monthlyBudget?: number, app: App = new App()): { objects: Record<string, unknown>[]; dashboardUrl?: string } {
  const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
  const platform = seedRegion(chart, ctx.region as SeedRegion, { ...seedOptionsFromPulumi(ctx, topology), monthlyBudget });
  // Rendered when read: `npm run synth` only calls `app.synth()`, which renders (and validates)
  // every object itself, so rendering here too would do the work twice.
  return { get objects() { return chart.toJson(); }, dashboardUrl: platform.grafana?.rootUrl };
}

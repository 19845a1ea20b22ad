import * as pulumi from '@pulumi/pulumi';
import { validateRegionRoles } from '../topology/topology.js';
import { BucketReplication } from './bucket-replication.js';
import { MonitoringRegion, MonitoringRegionArgs } from './monitoring-region.js';

export interface GlobalMonitoringArgs {
  /** Every region; exactly one primary (seed 8.2: us-east-1 primary, eu-west-1 secondary). */
  readonly regions: MonitoringRegionArgs[];
}

/**
 * The whole platform across regions: one `MonitoringRegion` per region, and the batch
 * replication of historical data (seed 8.2) from the primary's metrics and logs buckets into
 * each secondary's backup buckets.
 */
export class GlobalMonitoring extends pulumi.ComponentResource {
  readonly regions: Record<string, MonitoringRegion> = {};
  readonly primary: MonitoringRegion;
  readonly replications: BucketReplication[] = [];
  /** Bucket names per region, for the stack outputs. */
  readonly buckets: pulumi.Output<Record<string, Record<string, string | undefined>>>;
  readonly dashboardUrls: pulumi.Output<Record<string, string | undefined>>;

  constructor(name: string, args: GlobalMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ai-monitoring:topology:GlobalMonitoring', name, {}, opts);
    validateRegionRoles(args.regions);
    for (const r of args.regions) {
      this.regions[r.region] = new MonitoringRegion(`${name}-${r.region}`, r, { parent: this });
    }
    this.primary = Object.values(this.regions).find((r) => r.role === 'primary')!;
    const p = this.primary;
    for (const s of Object.values(this.regions).filter((r) => r.role === 'secondary')) {
      for (const [kind, source, destination] of [
        ['metrics', p.metricsBucket, s.metricsReplicaBucket!],
        ['logs', p.logsBucket, s.logsReplicaBucket!],
      ] as const) {
        this.replications.push(new BucketReplication(`${name}-${kind}-to-${s.region}`, {
          source,
          sourceKmsKeyArn: p.kmsKey.arn,
          destination,
          destinationKmsKeyArn: s.kmsKey.arn,
        }, { parent: this, providers: [p.awsProvider] }));
      }
    }
    const regions = Object.values(this.regions);
    this.buckets = pulumi.all(regions.map((r) => pulumi.all({
      metrics: r.metricsBucket.name,
      logs: r.logsBucket.name,
      metricsReplica: r.metricsReplicaBucket?.name,
      logsReplica: r.logsReplicaBucket?.name,
    }))).apply((list) => Object.fromEntries(list.map((b, i) => [regions[i].region, b])));
    this.dashboardUrls = pulumi.all(regions.map((r) => r.dashboardUrl))
      .apply((urls) => Object.fromEntries(urls.map((u, i) => [regions[i].region, u])));
    this.registerOutputs({ buckets: this.buckets, dashboardUrls: this.dashboardUrls });
  }
}

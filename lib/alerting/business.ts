import { Construct } from 'constructs';
import { invalid, requireArray } from '../core/errors.js';
import { validateMetricName, validatePromLabelName } from '../core/names.js';
import { RuleSet } from '../core/rules.js';
import { Duration } from '../core/units.js';

export interface BusinessMetricsProps {
  /** Name of the PrometheusRule. */
  readonly name: string;
  readonly namespace: string;
  /** Counter of API requests ("API request volume"). @default 'model_requests_total' (seed 1.1) */
  readonly requestsMetric?: string;
  /** Labels the request volume is broken down by. @default ['model'] */
  readonly requestsBy?: string[];
  /**
   * Gauge of active users, exported by the API gateway or the application. The seed names
   * none, so this is the library's contract with the application.
   * @default 'api_active_users'
   */
  readonly activeUsersMetric?: string;
  /** Labels resource consumption is broken down by ("service"). @default ['namespace'] */
  readonly resourcesBy?: string[];
  /** Collection: interval of the fine-grained records. @default '5m' (seed 4.1) */
  readonly collectionInterval?: Duration | string;
  /** Aggregation: interval and window of the coarse records. @default '1h' (seed 4.1) */
  readonly aggregationInterval?: Duration | string;
  /**
   * How long the aggregates must be kept. Recording rules cannot set retention: the series
   * live in Prometheus for its retention, then in the long-term store at its 1h resolution.
   * Check the store with `assertRetainedBy`.
   * @default '90d' (seed 4.1)
   */
  readonly retention?: Duration | string;
}

/**
 * Business metrics (seed 4.1 `system_usage`): API request volume, active users and resource
 * consumption per service, recorded every `collectionInterval` and aggregated every
 * `aggregationInterval` into `business:*:*1h` series meant for 90-day reports.
 */
export class BusinessMetrics extends Construct {
  readonly collectionInterval: Duration;
  readonly aggregationInterval: Duration;
  readonly retention: Duration;
  readonly rules: RuleSet;

  constructor(scope: Construct, id: string, props: BusinessMetricsProps) {
    super(scope, id);
    this.collectionInterval = Duration.of(props.collectionInterval ?? '5m', 'collectionInterval');
    this.aggregationInterval = Duration.of(props.aggregationInterval ?? '1h', 'aggregationInterval');
    this.retention = Duration.of(props.retention ?? '90d', 'retention');
    if (this.collectionInterval.milliseconds === 0) throw invalid('collectionInterval', props.collectionInterval, 'a duration above 0s');
    if (!this.aggregationInterval.isLongerThan(this.collectionInterval)) {
      throw invalid('aggregationInterval', this.aggregationInterval.toPrometheus(), `longer than the collection interval (${this.collectionInterval})`);
    }
    const requests = validateMetricName(props.requestsMetric ?? 'model_requests_total', 'requestsMetric');
    const users = validateMetricName(props.activeUsersMetric ?? 'api_active_users', 'activeUsersMetric');
    const reqBy = by(props.requestsBy ?? ['model'], 'requestsBy');
    const resBy = by(props.resourcesBy ?? ['namespace'], 'resourcesBy');
    const c = this.collectionInterval.toPrometheus();
    const a = this.aggregationInterval.toPrometheus();
    const fine = `${props.name}-${c}`;
    const coarse = `${props.name}-${a}`;

    this.rules = new RuleSet(this, 'Resource', { name: props.name, namespace: props.namespace });
    this.rules.addGroup(fine, this.collectionInterval).addGroup(coarse, this.aggregationInterval);
    const rec = (group: string, record: string, expr: string) => this.rules.addRecord(group, { record, expr });

    rec(fine, `business:api_requests:rate${c}`, `sum${reqBy}(rate(${requests}[${c}]))`);
    rec(fine, 'business:active_users:max', `max(${users})`);
    rec(fine, `business:cpu_cores:rate${c}`, `sum${resBy}(rate(container_cpu_usage_seconds_total{container!=""}[${c}]))`);
    rec(fine, 'business:memory_working_set_bytes:sum', `sum${resBy}(container_memory_working_set_bytes{container!=""})`);

    rec(coarse, `business:api_requests:increase${a}`, `sum${reqBy}(increase(${requests}[${a}]))`);
    rec(coarse, `business:active_users:max${a}`, `max_over_time(business:active_users:max[${a}])`);
    rec(coarse, `business:active_users:avg${a}`, `avg_over_time(business:active_users:max[${a}])`);
    rec(coarse, `business:cpu_cores:avg${a}`, `avg_over_time(business:cpu_cores:rate${c}[${a}])`);
    rec(coarse, `business:memory_working_set_bytes:avg${a}`, `avg_over_time(business:memory_working_set_bytes:sum[${a}])`);
  }

  /**
   * Throws unless a store keeping the aggregation's resolution for `storeRetention` covers
   * `retention` (for example Thanos' 1h-resolution retention).
   */
  assertRetainedBy(storeRetention: Duration | string, prop = 'storeRetention'): void {
    const kept = Duration.of(storeRetention, prop);
    if (kept.isShorterThan(this.retention)) {
      throw invalid(prop, kept.toPrometheus(), `at least the business metrics retention (${this.retention})`);
    }
  }
}

function by(labels: string[], prop: string): string {
  requireArray(prop, labels, 'a list of label names').forEach((l, i) => validatePromLabelName(l, `${prop}[${i}]`));
  return labels.length ? ` by (${labels.join(', ')})` : '';
}

import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { RuleSet } from '../core/rules.js';
import { Duration } from '../core/units.js';
import type { AnomalySignal } from './anomaly.js';

export interface PerformanceAnalysisProps {
  /** Name of the PrometheusRule. */
  readonly name: string;
  readonly namespace: string;
  /** Collection: interval and rate window of the fine records. @default '1m' (seed 6.1) */
  readonly collectionInterval?: Duration | string;
  /** Aggregation: interval and window of the averages, peaks and bottlenecks. @default '5m' (seed 6.1) */
  readonly aggregationInterval?: Duration | string;
  /** Window of the utilisation trend (`deriv`). @default '1h' */
  readonly trendWindow?: Duration | string;
  /** Record the seed's model-serving metrics (requests, errors, p95 latency by model). @default true */
  readonly models?: boolean;
}

/**
 * Performance analysis rules (seed 6.1 `metrics_processing` and `analysis.patterns`): node and
 * container utilisation and saturation every `collectionInterval`; every `aggregationInterval`
 * their average and peak, a per-node `perf:node_bottleneck:avg<agg>` naming the most used
 * resource in its `resource` label, and utilisation trends. `anomalySignals()` feeds the 6.1
 * anomaly detection.
 */
export class PerformanceAnalysis extends Construct {
  readonly collectionInterval: Duration;
  readonly aggregationInterval: Duration;
  readonly rules: RuleSet;
  private readonly fineRecords: string[] = [];

  constructor(scope: Construct, id: string, props: PerformanceAnalysisProps) {
    super(scope, id);
    this.collectionInterval = Duration.of(props.collectionInterval ?? '1m', 'collectionInterval');
    this.aggregationInterval = Duration.of(props.aggregationInterval ?? '5m', 'aggregationInterval');
    const trend = Duration.of(props.trendWindow ?? '1h', 'trendWindow');
    if (this.collectionInterval.isShorterThan(Duration.seconds(30))) {
      // A rate needs two samples; at the seed's 15s scrape interval 30s is the floor.
      throw invalid('collectionInterval', this.collectionInterval.toPrometheus(), 'at least 30s (two scrapes at 15s)');
    }
    if (!this.aggregationInterval.isLongerThan(this.collectionInterval)) {
      throw invalid('aggregationInterval', this.aggregationInterval.toPrometheus(), `longer than the collection interval (${this.collectionInterval})`);
    }
    if (!trend.isLongerThan(this.aggregationInterval)) {
      throw invalid('trendWindow', trend.toPrometheus(), `longer than the aggregation interval (${this.aggregationInterval})`);
    }
    const c = this.collectionInterval.toPrometheus();
    const a = this.aggregationInterval.toPrometheus();
    const fine = `${props.name}-${c}`;
    const coarse = `${props.name}-${a}`;
    this.rules = new RuleSet(this, 'Resource', { name: props.name, namespace: props.namespace });
    this.rules.addGroup(fine, this.collectionInterval).addGroup(coarse, this.aggregationInterval);

    const record = (name: string, expr: string) => {
      this.rules.addRecord(fine, { record: `perf:${name}`, expr });
      this.fineRecords.push(name);
    };
    // Utilisation (how busy) and saturation (how much waits) per node: the USE method.
    record(`node_cpu_utilisation:ratio_rate${c}`, `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[${c}]))`);
    // node_load1 carries job/pod labels the count drops: without `by (instance)` on both sides
    // the division matches nothing and the record stays empty.
    record('node_cpu_saturation:load1_per_cpu', 'max by (instance) (node_load1) / count by (instance) (node_cpu_seconds_total{mode="idle"})');
    record('node_memory_utilisation:ratio', '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes');
    record(`node_disk_io_utilisation:ratio_rate${c}`, `max by (instance) (rate(node_disk_io_time_seconds_total[${c}]))`);
    record(`node_network_bytes:rate${c}`, `sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[${c}]) + rate(node_network_transmit_bytes_total{device!="lo"}[${c}]))`);
    // Containers held back by their CPU limit: a bottleneck invisible in node utilisation.
    record(`container_cpu_throttled:ratio_rate${c}`,
      `sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{container!=""}[${c}])) / sum by (namespace, pod) (rate(container_cpu_cfs_periods_total{container!=""}[${c}]))`);
    if (props.models ?? true) {
      record(`model_requests:rate${c}`, `sum by (model) (rate(model_requests_total[${c}]))`);
      record(`model_errors:ratio_rate${c}`, `sum by (model) (rate(model_request_errors_total[${c}])) / sum by (model) (rate(model_requests_total[${c}]))`);
      record(`model_inference_latency_seconds:p95_rate${c}`,
        `histogram_quantile(0.95, sum by (model, le) (rate(model_inference_latency_seconds_bucket[${c}])))`);
    }

    for (const name of this.fineRecords) {
      const [metric] = name.split(':');
      this.rules.addRecord(coarse, { record: `perf:${metric}:avg${a}`, expr: `avg_over_time(perf:${name}[${a}])` });
      this.rules.addRecord(coarse, { record: `perf:${metric}:max${a}`, expr: `max_over_time(perf:${name}[${a}])` });
    }
    const tag = (metric: string, resource: string) => `label_replace(perf:${metric}:avg${a}, "resource", "${resource}", "", "")`;
    this.rules.addRecord(coarse, {
      record: `perf:node_bottleneck:avg${a}`,
      expr: `topk by (instance) (1, ${tag('node_cpu_utilisation', 'cpu')} or ${tag('node_memory_utilisation', 'memory')} or ${tag('node_disk_io_utilisation', 'disk')})`,
    });
    for (const metric of ['node_cpu_utilisation', 'node_memory_utilisation']) {
      this.rules.addRecord(coarse, { record: `perf:${metric}:deriv${trend.toPrometheus()}`, expr: `deriv(perf:${metric}:avg${a}[${trend.toPrometheus()}])` });
    }
  }

  /** Signals for `AnomalyDetection` (seed 6.1: statistical, 7d training), read from the aggregates. */
  anomalySignals(): AnomalySignal[] {
    const a = this.aggregationInterval.toPrometheus();
    const has = (m: string) => this.fineRecords.some((r) => r.startsWith(`${m}:`));
    return [
      { name: 'node_cpu_utilisation', expr: `perf:node_cpu_utilisation:avg${a}`, direction: 'up' as const, description: 'node CPU utilisation' },
      { name: 'node_memory_utilisation', expr: `perf:node_memory_utilisation:avg${a}`, direction: 'up' as const, description: 'node memory utilisation' },
      ...(has('model_requests') ? [
        { name: 'model_requests', expr: `perf:model_requests:avg${a}`, description: 'model request rate' },
        { name: 'model_inference_latency_p95', expr: `perf:model_inference_latency_seconds:avg${a}`, direction: 'up' as const, description: 'model p95 inference latency' },
      ] : []),
    ];
  }
}

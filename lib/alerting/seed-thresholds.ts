import { MODEL_RECORDS, MODEL_SERVER_LABEL } from '../ai/model-serving-rules.js';
import { invalid } from '../core/errors.js';
import { Duration } from '../core/units.js';
import type { ThresholdAlert } from './alert-rules.js';

export interface SeedThresholdOptions {
  /** Window of the `rate()` in the CPU, latency and error-rate queries. @default '5m' */
  readonly rateWindow?: Duration | string;
  /**
   * Replaces every alert's `for` (the seed's durations otherwise: 5m, 5m, 1m, 5m). Meant for
   * end-to-end tests that cannot wait minutes.
   * @default - the seed's durations
   */
  readonly for?: Duration | string;
  /**
   * Reads HighInferenceLatency and HighErrorRate from the `model:*` recording rules of a
   * seed-profile ModelServingMonitor (`model:latency_seconds_bucket:rate5m`,
   * `model:request_errors:rate5m`, `model:requests:rate5m`, `model_server="seed"`) instead of
   * the raw per-pod series, which at thousands of serving pods are the most expensive reads of
   * the rule set. Same values (the records are the same rates, summed by more labels first);
   * those rules live in another group, so an alert reads a record up to one evaluation interval
   * old. Needs that monitor's rules in the same Prometheus: without them the two alerts never
   * fire. Applies only with the default 5m `rateWindow` (the records' window).
   * @default false
   */
  readonly modelRecords?: boolean;
}

/**
 * The seed's threshold alerts (section 1.2) with the names and queries of the public contract
 * in DESIGN.md. The seed gives inference latency in milliseconds; the metric is in seconds, so
 * the levels are 0.1 s and 0.2 s and the annotation shows them as 100ms / 200ms. Each query is
 * recorded once in the `thresholds` group and compared by both levels (README, "Performance").
 */
export function seedThresholdAlerts(options: SeedThresholdOptions = {}): ThresholdAlert[] {
  const w = Duration.of(options.rateWindow ?? '5m', 'rateWindow').toPrometheus();
  const override = options.for === undefined ? undefined : Duration.of(options.for, 'for');
  const dur = (d: string) => override ?? d;
  if (options.modelRecords !== undefined && typeof options.modelRecords !== 'boolean') throw invalid('modelRecords', options.modelRecords, 'a boolean');
  // The model-serving records' labels and window (model-serving-rules.ts).
  const records = options.modelRecords === true && w === '5m';
  const seed = `{${MODEL_SERVER_LABEL}="seed"}`;
  return [
    {
      name: 'HighCpuUsage',
      summary: 'CPU usage',
      query: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[${w}])))`,
      record: `instance:node_cpu_busy:percent_rate${w}`,
      warning: 70,
      critical: 85,
      for: dur('5m'),
      unit: 'percent',
      category: 'resource',
    },
    {
      name: 'HighMemoryUsage',
      summary: 'Memory usage',
      query: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
      record: 'instance:node_memory_used:percent',
      warning: 75,
      critical: 90,
      for: dur('5m'),
      unit: 'percent',
      category: 'resource',
    },
    {
      name: 'HighInferenceLatency',
      summary: 'p95 inference latency',
      query: records
        ? `histogram_quantile(0.95, sum by (model, le) (${MODEL_RECORDS.latencyBuckets}${seed}))`
        : `histogram_quantile(0.95, sum by (model, le) (rate(model_inference_latency_seconds_bucket[${w}])))`,
      record: `model:inference_latency_seconds:p95_rate${w}`,
      warning: 0.1,
      critical: 0.2,
      for: dur('1m'),
      unit: 'seconds',
      category: 'performance',
      target: 'model {{ $labels.model }}',
    },
    {
      name: 'HighErrorRate',
      summary: 'Error rate',
      query: records
        ? `sum by (model) (${MODEL_RECORDS.requestErrors}${seed}) / sum by (model) (${MODEL_RECORDS.requests}${seed})`
        : `sum by (model) (rate(model_request_errors_total[${w}])) / sum by (model) (rate(model_requests_total[${w}]))`,
      record: `model:inference_error_ratio:rate${w}`,
      warning: 0.01,
      critical: 0.05,
      for: dur('5m'),
      unit: 'ratio',
      category: 'performance',
      target: 'model {{ $labels.model }}',
    },
  ];
}

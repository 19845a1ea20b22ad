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
}

/**
 * The seed's threshold alerts (section 1.2) with the names and queries of the public contract
 * in DESIGN.md. The seed gives inference latency in milliseconds; the metric is in seconds, so
 * the levels are 0.1 s and 0.2 s and the annotation shows them as 100ms / 200ms.
 */
export function seedThresholdAlerts(options: SeedThresholdOptions = {}): ThresholdAlert[] {
  const w = Duration.of(options.rateWindow ?? '5m', 'rateWindow').toPrometheus();
  const override = options.for === undefined ? undefined : Duration.of(options.for, 'for');
  const dur = (d: string) => override ?? d;
  return [
    {
      name: 'HighCpuUsage',
      summary: 'CPU usage',
      query: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[${w}])))`,
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
      warning: 75,
      critical: 90,
      for: dur('5m'),
      unit: 'percent',
      category: 'resource',
    },
    {
      name: 'HighInferenceLatency',
      summary: 'p95 inference latency',
      query: `histogram_quantile(0.95, sum by (model, le) (rate(model_inference_latency_seconds_bucket[${w}])))`,
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
      query: `sum by (model) (rate(model_request_errors_total[${w}])) / sum by (model) (rate(model_requests_total[${w}]))`,
      warning: 0.01,
      critical: 0.05,
      for: dur('5m'),
      unit: 'ratio',
      category: 'performance',
      target: 'model {{ $labels.model }}',
    },
  ];
}

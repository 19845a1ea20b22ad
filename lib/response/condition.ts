import { invalid, requireNumber } from '../core/errors.js';
import { validatePromQL } from '../core/promql.js';
import { Duration } from '../core/units.js';
import { WorkloadTarget } from './target.js';

/** What a condition reads, resolved against the rule's target workload. */
export interface ResolvedCondition {
  /** PromQL returning one value for the target (a ratio, seconds...). */
  readonly query: string;
  /** The value above which the condition holds, in the query's unit. */
  readonly threshold: number;
  /** How long the value must stay above the threshold. */
  readonly for: Duration;
  /** Human summary for alert annotations, for example `memory pressure above 85%`. */
  readonly summary: string;
}

export interface MemoryPressureOptions {
  /** Working set over the memory limit, as a percentage like `85%`. */
  readonly threshold: string;
  /** @default '5m' */
  readonly for?: Duration | string;
}

export interface LatencyOptions {
  /** Like `200ms` or `1s`. */
  readonly threshold: Duration | string;
  /** @default '3m' */
  readonly for?: Duration | string;
  /** @default 0.95 */
  readonly quantile?: number;
  /** Histogram read. @default 'model_inference_latency_seconds' (seed 1.1 custom exporter) */
  readonly histogram?: string;
}

export interface PromQLConditionOptions {
  /** PromQL returning one value; `$TARGET` is replaced by the target's pod matchers. */
  readonly query: string;
  readonly threshold: number;
  readonly for: Duration | string;
  readonly summary: string;
}

function percent(value: string, prop: string): number {
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(value) : null;
  if (!m || Number(m[1]) <= 0 || Number(m[1]) > 100) throw invalid(prop, value, 'a percentage above 0% and at most 100%, like 85%');
  return Number(m[1]) / 100;
}

function duration(value: Duration | string | undefined, fallback: string, prop: string): Duration {
  const d = Duration.of(value ?? fallback, prop);
  if (d.milliseconds === 0) throw invalid(prop, value, 'a duration above 0s');
  return d;
}

/**
 * The condition of an automation rule (seed 5.1 `conditions`): a value read for the target
 * workload, a threshold and a duration. The same query drives the alert that starts remediation,
 * the KEDA trigger that scales out and the impact check that compares before and after a step.
 */
export class Condition {
  /**
   * Memory pressure: the target's container working set over its memory limits. Reads cAdvisor
   * (`container_memory_working_set_bytes`, kubelet) and kube-state-metrics
   * (`kube_pod_container_resource_limits{resource="memory"}`), both scraped by MetricsStack.
   */
  static memoryPressure(options: MemoryPressureOptions): Condition {
    const threshold = percent(options.threshold, 'condition.threshold');
    const forDuration = duration(options.for, '5m', 'condition.for');
    return new Condition('memory-pressure', (t) => ({
      query: `sum(container_memory_working_set_bytes{${t.podMatchers}, container!=""}) / sum(kube_pod_container_resource_limits{${t.podMatchers}, resource="memory"})`,
      threshold,
      for: forDuration,
      summary: `memory pressure of ${t.ref} above ${options.threshold} of its limit for ${forDuration}`,
    }));
  }

  /** High latency: a quantile of the target's latency histogram (seconds). */
  static latency(options: LatencyOptions): Condition {
    const threshold = Duration.of(options.threshold, 'condition.threshold');
    if (threshold.milliseconds === 0) throw invalid('condition.threshold', options.threshold, 'a latency above 0ms');
    const q = requireNumber('condition.quantile', options.quantile ?? 0.95, 0, 1);
    const histogram = options.histogram ?? 'model_inference_latency_seconds';
    const forDuration = duration(options.for, '3m', 'condition.for');
    return new Condition('high-latency', (t) => ({
      query: `histogram_quantile(${q}, sum by (le) (rate(${histogram}_bucket{${t.podMatchers}}[5m])))`,
      threshold: threshold.milliseconds / 1000,
      for: forDuration,
      summary: `p${Math.round(q * 100)} latency of ${t.ref} above ${threshold.milliseconds}ms for ${forDuration}`,
    }));
  }

  /** Any single-valued PromQL query; `$TARGET` expands to the target's `namespace` and `pod` matchers. */
  static promql(options: PromQLConditionOptions): Condition {
    const threshold = requireNumber('condition.threshold', options.threshold);
    const forDuration = duration(options.for, '0s', 'condition.for');
    validatePromQL(options.query.replace(/\$TARGET/g, 'namespace="x"'), 'condition.query');
    return new Condition('custom', (t) => ({
      query: options.query.replace(/\$TARGET/g, t.podMatchers),
      threshold,
      for: forDuration,
      summary: options.summary,
    }));
  }

  private constructor(
    /** Kind of condition, for names: `memory-pressure`, `high-latency`, `custom`. */
    readonly kind: string,
    private readonly render: (target: WorkloadTarget) => ResolvedCondition,
  ) {}

  /** The condition's query, threshold and duration for one workload (queries are syntax-checked). */
  resolve(target: WorkloadTarget): ResolvedCondition {
    const r = this.render(target);
    validatePromQL(r.query, 'condition.query');
    return r;
  }
}

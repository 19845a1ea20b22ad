import { invalid, requireNumber } from '../core/errors.js';
import { validateDnsLabel, validateMetricName, validatePromLabelName } from '../core/names.js';
import { validatePromQL } from '../core/promql.js';
import { checkOptions, resolveThresholds, requireAscending, Threshold, validatePort } from './common.js';

/** A counter or gauge, optionally narrowed by label matchers (`finished_reason="error"`). */
export interface SeriesRef {
  readonly metric: string;
  readonly match?: string;
}

/** Where a latency comes from: a histogram in seconds, or a pair of counters (sum and count). */
export type LatencySource =
  | { readonly histogram: string }
  | { readonly sum: SeriesRef; readonly count: SeriesRef; readonly secondsPerUnit: number };

/** Alert thresholds of a model-serving profile. */
export interface ModelServingThresholds {
  /** Error spike: the 5m error ratio above this many times its 1h ratio. @default 3 */
  readonly errorSpikeFactor: number;
  /** Error spike: ignore ratios below this floor. @default 0.01 */
  readonly errorRatioFloor: number;
  /** Degradation: 5m average latency above this many times its 1h average. @default 2 */
  readonly latencyDegradationFactor: number;
  /** Degradation: ignore models below this many requests per second. @default 0.1 */
  readonly minRequestRate: number;
  /** Container memory working set over its limit. @default { warning: 0.85, critical: 0.95 } */
  readonly memoryLimitRatio: Threshold;
  /** KV-cache usage (vLLM). @default { warning: 0.9, critical: 0.98 } */
  readonly cacheUsageRatio: Threshold;
}

export const DEFAULT_MODEL_SERVING_THRESHOLDS: ModelServingThresholds = {
  errorSpikeFactor: 3,
  errorRatioFloor: 0.01,
  latencyDegradationFactor: 2,
  minRequestRate: 0.1,
  memoryLimitRatio: { warning: 0.85, critical: 0.95 },
  cacheUsageRatio: { warning: 0.9, critical: 0.98 },
};

/** Options every preset takes. */
export interface ModelServerOptions {
  /**
   * Name of this profile, written as the `model_server` label on every scraped series and
   * naming its shared rule set. Monitors with the same profile share rules.
   * @default - the preset name (`seed`, `vllm`, `triton`, `kserve`)
   */
  readonly profile?: string;
  /** Container port (name or number) serving metrics. @default - the server's default */
  readonly port?: string | number;
  /** @default - the server's default (`/metrics`) */
  readonly path?: string;
  readonly thresholds?: Partial<ModelServingThresholds>;
}

const OPTION_KEYS = ['profile', 'port', 'path', 'thresholds'];

/** Any model server, described by the metric names and labels it exports. */
export interface CustomModelServerOptions extends Omit<ModelServerOptions, 'profile' | 'port'> {
  /** Name of the profile (the `model_server` label and the shared rule set's name). */
  readonly profile: string;
  /** Container port (name or number) serving metrics. */
  readonly port: string | number;
  /** Label naming the model in the server's metrics (normalised to `model` by the rules). */
  readonly modelLabel: string;
  /** Counters whose rates add up to the request rate. */
  readonly requests: SeriesRef | SeriesRef[];
  /** Request latency: a histogram in seconds, or a sum and a count counter. */
  readonly latency: LatencySource;
  /** Failed requests. @default - no error rules and no `ModelErrorSpike` */
  readonly errors?: SeriesRef;
  /** Time spent queued. @default - none */
  readonly queue?: LatencySource;
  /** Batch processing time. @default - none */
  readonly batch?: LatencySource;
  /** Memory the server reports, in bytes. @default - none */
  readonly memoryBytes?: SeriesRef;
  /** Cache usage as a 0..1 ratio (compared with `thresholds.cacheUsageRatio`). @default - none */
  readonly cacheUsage?: SeriesRef;
  /** Counter whose rate is the throughput. @default - the first of `requests` */
  readonly throughput?: SeriesRef;
  /** Unit of the throughput counter, for panels (`tokens`, `images`). @default 'requests' */
  readonly throughputUnit?: string;
}

const CUSTOM_KEYS = ['profile', 'port', 'path', 'thresholds', 'modelLabel', 'requests', 'latency', 'errors', 'queue', 'batch',
  'memoryBytes', 'cacheUsage', 'throughput', 'throughputUnit'];

/** A series reference is spliced into rule expressions as `metric{match}`: check it parses. */
function checkSeries(prop: string, ref: SeriesRef | undefined): void {
  if (ref === undefined) return;
  if (typeof ref !== 'object' || ref === null) throw invalid(prop, ref, "a series like { metric: 'my_requests_total' }");
  validateMetricName(ref.metric, `${prop}.metric`);
  if (ref.match !== undefined) {
    if (typeof ref.match !== 'string' || /[{}]/.test(ref.match)) throw invalid(`${prop}.match`, ref.match, 'label matchers like code="500"');
    validatePromQL(`${ref.metric}{${ref.match}}`, `${prop}.match`);
  }
}

function checkLatency(prop: string, l: LatencySource | undefined): void {
  if (l === undefined) return;
  if (typeof l !== 'object' || l === null) throw invalid(prop, l, "{ histogram: 'name' } or { sum, count, secondsPerUnit }");
  if ('histogram' in l) { validateMetricName(l.histogram, `${prop}.histogram`); return; }
  checkSeries(`${prop}.sum`, l.sum);
  checkSeries(`${prop}.count`, l.count);
  if (!l.sum || !l.count) throw invalid(prop, l, "{ histogram: 'name' } or { sum, count, secondsPerUnit }");
  requireNumber(`${prop}.secondsPerUnit`, l.secondsPerUnit, Number.MIN_VALUE);
}

interface Spec {
  readonly preset: string;
  readonly port: string | number;
  /** Label naming the model in the server's own metrics. */
  readonly modelLabel: string;
  /** Counters whose rates add up to the request rate (Triton splits success and failure). */
  readonly requests: SeriesRef[];
  readonly errors?: SeriesRef;
  readonly latency: LatencySource;
  readonly queue?: LatencySource;
  readonly batch?: LatencySource;
  readonly memoryBytes?: SeriesRef;
  readonly cacheUsage?: SeriesRef;
  readonly throughput: SeriesRef;
  readonly throughputUnit: string;
}

/**
 * A model server whose metrics a {@link ModelServingMonitor} reads: the seed's own exporter or
 * a preset for vLLM, NVIDIA Triton or KServe, each with its real metric names and labels
 * (see docs/ai.md for the table). Every preset is normalised to the same recording rules
 * (`model:*`), labelled `model` and `model_server`, so dashboards and alerts work for any.
 */
export class ModelServer {
  /** The seed's custom exporter (section 1.1): `model_*` metrics labelled `model`. */
  static seed(options: ModelServerOptions = {}): ModelServer {
    return new ModelServer('seed', options, {
      port: 'metrics',
      modelLabel: 'model',
      requests: [{ metric: 'model_requests_total' }],
      errors: { metric: 'model_request_errors_total' },
      latency: { histogram: 'model_inference_latency_seconds' },
      batch: { histogram: 'model_batch_processing_seconds' },
      memoryBytes: { metric: 'model_memory_consumption_bytes' },
      throughput: { metric: 'model_requests_total' },
      throughputUnit: 'requests',
    });
  }

  /**
   * vLLM's OpenAI-compatible server (`/metrics` on its HTTP port 8000), labelled `model_name`.
   * KV-cache usage is `vllm:kv_cache_usage_perc` (V1 engine); releases before it exported
   * `vllm:gpu_cache_usage_perc`, which `legacyCacheMetric` selects. Errors are requests that
   * finished with `finished_reason="error"` (V1 engine).
   */
  static vllm(options: ModelServerOptions & { readonly legacyCacheMetric?: boolean } = {}): ModelServer {
    checkOptions('vllm', options, [...OPTION_KEYS, 'legacyCacheMetric']);
    const { legacyCacheMetric, ...rest } = options;
    return new ModelServer('vllm', rest, {
      port: 8000,
      modelLabel: 'model_name',
      requests: [{ metric: 'vllm:request_success_total' }],
      errors: { metric: 'vllm:request_success_total', match: 'finished_reason="error"' },
      latency: { histogram: 'vllm:e2e_request_latency_seconds' },
      queue: { histogram: 'vllm:request_queue_time_seconds' },
      cacheUsage: { metric: legacyCacheMetric ? 'vllm:gpu_cache_usage_perc' : 'vllm:kv_cache_usage_perc' },
      throughput: { metric: 'vllm:generation_tokens_total' },
      throughputUnit: 'tokens',
    });
  }

  /**
   * NVIDIA Triton Inference Server (`/metrics` on port 8002), labelled `model` and `version`.
   * Triton's default latency metrics are cumulative microsecond counters, not histograms, so
   * this preset records average latencies only (no p50/p95/p99).
   */
  static triton(options: ModelServerOptions = {}): ModelServer {
    const requestCount: SeriesRef = { metric: 'nv_inference_request_success' };
    return new ModelServer('triton', options, {
      port: 8002,
      modelLabel: 'model',
      requests: [requestCount, { metric: 'nv_inference_request_failure' }],
      errors: { metric: 'nv_inference_request_failure' },
      latency: { sum: { metric: 'nv_inference_request_duration_us' }, count: requestCount, secondsPerUnit: 1e-6 },
      queue: { sum: { metric: 'nv_inference_queue_duration_us' }, count: requestCount, secondsPerUnit: 1e-6 },
      batch: { sum: { metric: 'nv_inference_compute_infer_duration_us' }, count: { metric: 'nv_inference_exec_count' }, secondsPerUnit: 1e-6 },
      throughput: { metric: 'nv_inference_count' },
      throughputUnit: 'inferences',
    });
  }

  /**
   * KServe's Python model server (sklearn, xgboost, lightgbm, huggingface and custom Python
   * runtimes), labelled `model_name`: the `request_predict_seconds` histogram. It exports no
   * error counter, so no error rules are generated; KServe runtimes that wrap vLLM or Triton
   * export those servers' metrics: use their presets.
   */
  static kserve(options: ModelServerOptions = {}): ModelServer {
    return new ModelServer('kserve', options, {
      port: 8080,
      modelLabel: 'model_name',
      requests: [{ metric: 'request_predict_seconds_count' }],
      latency: { histogram: 'request_predict_seconds' },
      throughput: { metric: 'request_predict_seconds_count' },
      throughputUnit: 'predictions',
    });
  }

  /**
   * Any other model server, described by its metric names and labels; it gets the same
   * normalised `model:*` rules, alerts and dashboard panels as the presets.
   */
  static custom(options: CustomModelServerOptions): ModelServer {
    const p = 'custom';
    if (typeof options !== 'object' || options === null) throw invalid(p, options, 'custom model server options');
    checkOptions(p, options, CUSTOM_KEYS);
    if (options.profile === undefined) throw invalid(`${p}.profile`, undefined, 'a profile name (a DNS label)');
    if (options.port === undefined) throw invalid(`${p}.port`, undefined, 'a port number or name');
    const requests = Array.isArray(options.requests) ? options.requests : options.requests === undefined ? [] : [options.requests];
    if (requests.length === 0) throw invalid(`${p}.requests`, options.requests, 'one or more request counters');
    requests.forEach((r, i) => checkSeries(`${p}.requests[${i}]`, r));
    if (options.latency === undefined) throw invalid(`${p}.latency`, undefined, "{ histogram: 'name' } or { sum, count, secondsPerUnit }");
    for (const key of ['latency', 'queue', 'batch'] as const) checkLatency(`${p}.${key}`, options[key]);
    for (const key of ['errors', 'memoryBytes', 'cacheUsage', 'throughput'] as const) checkSeries(`${p}.${key}`, options[key]);
    const unit = options.throughputUnit ?? 'requests';
    if (typeof unit !== 'string' || !/^[a-z][a-z ]*$/.test(unit)) throw invalid(`${p}.throughputUnit`, unit, 'a plural noun like tokens');
    const { modelLabel, latency, errors, queue, batch, memoryBytes, cacheUsage, throughput, profile, port, path, thresholds } = options;
    return new ModelServer(p, { profile, port, path, thresholds }, {
      port, modelLabel, requests, latency, errors, queue, batch, memoryBytes, cacheUsage,
      throughput: throughput ?? requests[0], throughputUnit: unit,
    });
  }

  readonly preset: string;
  readonly profile: string;
  readonly port: string | number;
  readonly path: string;
  readonly thresholds: ModelServingThresholds;
  /** @internal */
  readonly spec: Spec;

  private constructor(preset: string, options: ModelServerOptions, spec: Omit<Spec, 'preset'>) {
    checkOptions(preset, options, OPTION_KEYS);
    this.preset = preset;
    this.profile = validateDnsLabel(options.profile ?? preset, `${preset}.profile`);
    this.port = validatePort(`${preset}.port`, options.port ?? spec.port);
    this.path = options.path ?? '/metrics';
    if (!this.path.startsWith('/')) throw invalid(`${preset}.path`, this.path, 'an absolute URL path like /metrics');
    this.thresholds = resolveThresholds(`${preset}.thresholds`, DEFAULT_MODEL_SERVING_THRESHOLDS, options.thresholds);
    requireAscending(`${preset}.thresholds.memoryLimitRatio`, this.thresholds.memoryLimitRatio);
    requireAscending(`${preset}.thresholds.cacheUsageRatio`, this.thresholds.cacheUsageRatio);
    validatePromLabelName(spec.modelLabel, `${preset}.modelLabel`);
    this.spec = { preset, ...spec };
  }

  /** Every metric name the preset reads (for the README table and tests). */
  get metricNames(): string[] {
    const s = this.spec;
    const refs: SeriesRef[] = [...s.requests, s.throughput, ...[s.errors, s.memoryBytes, s.cacheUsage].filter((r): r is SeriesRef => !!r)];
    const names = new Set<string>();
    for (const r of refs) names.add(r.metric);
    for (const l of [s.latency, s.queue, s.batch]) {
      if (!l) continue;
      if ('histogram' in l) names.add(l.histogram);
      else { names.add(l.sum.metric); names.add(l.count.metric); }
    }
    [...names].forEach((n) => validateMetricName(n, `${this.preset}.metric`));
    return [...names].sort();
  }

  /** Identity of the profile's settings: two monitors may share rules only when it matches. */
  get fingerprint(): string {
    return JSON.stringify([this.spec, this.thresholds]);
  }
}

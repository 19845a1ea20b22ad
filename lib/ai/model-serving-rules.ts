import { Construct } from 'constructs';
import { RuleSet } from '../core/rules.js';
import { LatencySource, ModelServer, SeriesRef } from './model-server.js';

/** Label every scraped series of a model server carries: the profile name (see docs/ai.md). */
export const MODEL_SERVER_LABEL = 'model_server';

/**
 * Names of the recording rules every model-serving profile writes, for dashboards and users'
 * rules (which profiles record which: docs/ai.md). `model:*` series are labelled `namespace, job,
 * model, model_server`; `modelPod*` (`model_pod:*`) series `namespace, pod, model, model_server`.
 */
export const MODEL_RECORDS = {
  /** Requests per second (every preset). */
  requests: 'model:requests:rate5m',
  /** Work per second in the unit of the `throughput_unit` label: requests, tokens, inferences, predictions (every preset). */
  throughput: 'model:throughput:rate5m',
  /** Failed requests per second (presets with an error counter: not KServe). */
  requestErrors: 'model:request_errors:rate5m',
  /** Failed share of requests over `window` (as request errors). */
  requestErrorRatio: (window: '5m' | '1h') => `model:request_error_ratio:rate${window}`,
  /** Per-bucket rate of the latency histogram over 5m, recorded once for the three quantiles (presets with a latency histogram). */
  latencyBuckets: 'model:latency_seconds_bucket:rate5m',
  /** Latency quantile over 5m (presets with a latency histogram: not Triton). */
  latencyQuantile: (quantile: 'p50' | 'p95' | 'p99') => `model:latency_seconds:${quantile}_5m`,
  /** Average latency over `window` (every preset). */
  latencyAverage: (window: '5m' | '1h') => `model:latency_seconds:avg${window}`,
  /** Average queue time (vLLM, Triton). */
  queueAverage: 'model:queue_seconds:avg5m',
  /** p95 batch processing time (the seed exporter's histogram). */
  batchP95: 'model:batch_seconds:p95_5m',
  /** Average batch processing time (seed exporter, Triton). */
  batchAverage: 'model:batch_seconds:avg5m',
  /** Memory of the largest pod (the seed exporter). */
  memoryBytes: 'model:memory_bytes:max',
  /** KV-cache usage ratio (vLLM). */
  cacheUsage: 'model:cache_usage:ratio',
  modelPodRequests: 'model_pod:requests:rate5m',
  modelPodRequestErrors: 'model_pod:request_errors:rate5m',
  modelPodLatencyAverage: 'model_pod:latency_seconds:avg5m',
  /** Container memory working set over its limit, per model-server pod (every preset). */
  modelPodMemoryLimitUsage: 'model_pod:memory_limit_usage:ratio',
} as const;

const BY_JOB = 'namespace, job, model, model_server';
const BY_POD = 'namespace, pod, model, model_server';

/**
 * PromQL for one profile: selectors narrowed to the profile's `model_server` label and the
 * server's model label copied into `model`, so every preset yields the same series.
 */
class Queries {
  constructor(private readonly server: ModelServer) {}

  selector(ref: SeriesRef, suffix = ''): string {
    const matchers = [`${MODEL_SERVER_LABEL}="${this.server.profile}"`, ...(ref.match ? [ref.match] : [])].join(', ');
    return `${ref.metric}${suffix}{${matchers}}`;
  }

  /** The model label renamed to `model` (no-op for servers that already call it `model`). */
  private normalise(expr: string): string {
    const label = this.server.spec.modelLabel;
    return label === 'model' ? expr : `label_replace(${expr}, "model", "$1", "${label}", "(.*)")`;
  }

  rate(ref: SeriesRef, window: string, by: string, suffix = ''): string {
    return `sum by (${by}) (${this.normalise(`rate(${this.selector(ref, suffix)}[${window}])`)})`;
  }

  /** The sum of several counters' rates (one-to-one on the aggregation labels). */
  rates(refs: SeriesRef[], window: string, by: string): string {
    const parts = refs.map((r) => this.rate(r, window, by));
    return parts.length === 1 ? parts[0] : `(${parts.join(' + ')})`;
  }

  gauge(ref: SeriesRef, by: string): string {
    return `max by (${by}) (${this.normalise(this.selector(ref))})`;
  }

  quantile(q: number, histogram: string, window: string, by: string): string {
    return `histogram_quantile(${q}, ${this.rate({ metric: histogram }, window, `${by}, le`, '_bucket')})`;
  }

  average(source: LatencySource, window: string, by: string): string {
    if ('histogram' in source) {
      return `${this.rate({ metric: source.histogram }, window, by, '_sum')} / ${this.rate({ metric: source.histogram }, window, by, '_count')}`;
    }
    // Divide by units per second (an exact integer such as 1000000) to keep results exact.
    const unitsPerSecond = Math.round(1 / source.secondsPerUnit);
    return `${this.rate(source.sum, window, by)} / ${unitsPerSecond} / ${this.rate(source.count, window, by)}`;
  }
}

/**
 * The shared recording rules and alerts of one model-serving profile. Recording rules give
 * per-model (`namespace, job, model, model_server`) and per-pod (`namespace, pod, model,
 * model_server`) series; alerts read only those, so they are cheap to evaluate for any number
 * of monitored servers.
 */
export function modelServingRules(scope: Construct, id: string, server: ModelServer, namespace: string, runbookBaseUrl?: string): RuleSet {
  const s = server.spec;
  const t = server.thresholds;
  const q = new Queries(server);
  const p = `${MODEL_SERVER_LABEL}="${server.profile}"`;
  const rules = new RuleSet(scope, id, { name: `ai-model-serving-${server.profile}`, namespace, runbookBaseUrl });
  const rec = `ai.model-serving.${server.profile}.records`;
  const pod = `ai.model-serving.${server.profile}.pods`;
  const alerts = `ai.model-serving.${server.profile}.alerts`;

  // Record once, reuse: rules of a group run in order at one timestamp, so a later rule reads
  // an earlier record's fresh sample. At 1,000 services x 3 pods the raw per-pod series (12
  // latency buckets each) dominate the cost, so each is rate()d once (README, "Performance").
  rules.addRecord(rec, { record: MODEL_RECORDS.requests, expr: q.rates(s.requests, '5m', BY_JOB) });
  const sameAsRequests = s.requests.length === 1 && s.requests[0].metric === s.throughput.metric && s.requests[0].match === s.throughput.match;
  rules.addRecord(rec, { record: MODEL_RECORDS.throughput, expr: sameAsRequests ? `${MODEL_RECORDS.requests}{${p}}` : q.rate(s.throughput, '5m', BY_JOB), labels: { throughput_unit: s.throughputUnit } });
  if (s.errors) {
    rules.addRecord(rec, { record: MODEL_RECORDS.requestErrors, expr: q.rate(s.errors, '5m', BY_JOB) });
    rules.addRecord(rec, { record: MODEL_RECORDS.requestErrorRatio('5m'), expr: `${MODEL_RECORDS.requestErrors}{${p}} / ${MODEL_RECORDS.requests}{${p}}` });
    rules.addRecord(rec, { record: MODEL_RECORDS.requestErrorRatio('1h'), expr: `${q.rate(s.errors, '1h', BY_JOB)} / ${q.rates(s.requests, '1h', BY_JOB)}` });
  }
  if ('histogram' in s.latency) {
    rules.addRecord(rec, { record: MODEL_RECORDS.latencyBuckets, expr: q.rate({ metric: s.latency.histogram }, '5m', `${BY_JOB}, le`, '_bucket') });
    for (const [name, quantile] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const) {
      rules.addRecord(rec, { record: MODEL_RECORDS.latencyQuantile(name), expr: `histogram_quantile(${quantile}, ${MODEL_RECORDS.latencyBuckets}{${p}})` });
    }
  }
  for (const w of ['5m', '1h'] as const) rules.addRecord(rec, { record: MODEL_RECORDS.latencyAverage(w), expr: q.average(s.latency, w, BY_JOB) });
  if (s.queue) rules.addRecord(rec, { record: MODEL_RECORDS.queueAverage, expr: q.average(s.queue, '5m', BY_JOB) });
  if (s.batch) {
    if ('histogram' in s.batch) rules.addRecord(rec, { record: MODEL_RECORDS.batchP95, expr: q.quantile(0.95, s.batch.histogram, '5m', BY_JOB) });
    rules.addRecord(rec, { record: MODEL_RECORDS.batchAverage, expr: q.average(s.batch, '5m', BY_JOB) });
  }
  if (s.memoryBytes) rules.addRecord(rec, { record: MODEL_RECORDS.memoryBytes, expr: q.gauge(s.memoryBytes, BY_JOB) });
  if (s.cacheUsage) rules.addRecord(rec, { record: MODEL_RECORDS.cacheUsage, expr: q.gauge(s.cacheUsage, BY_JOB) });

  // Per pod: the join keys of the cross-system rules (GPU, node memory) and of memory limits.
  rules.addRecord(pod, { record: MODEL_RECORDS.modelPodRequests, expr: q.rates(s.requests, '5m', BY_POD) });
  if (s.errors) rules.addRecord(pod, { record: MODEL_RECORDS.modelPodRequestErrors, expr: q.rate(s.errors, '5m', BY_POD) });
  rules.addRecord(pod, { record: MODEL_RECORDS.modelPodLatencyAverage, expr: q.average(s.latency, '5m', BY_POD) });
  rules.addRecord(pod, {
    record: MODEL_RECORDS.modelPodMemoryLimitUsage,
    expr: 'max by (namespace, pod) ('
      + 'sum by (namespace, pod, container) (container_memory_working_set_bytes{container!="", container!="POD"})'
      + ' / sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"} > 0))'
      + ` * on (namespace, pod) group_left (job, model_server) max by (namespace, pod, job, model_server) (up{${p}})`,
  });

  rules.addAlert(alerts, {
    alert: 'ModelServerDown',
    expr: `max by (namespace, job, model_server) (up{${p}}) == 0`,
    for: '5m',
    severity: 'critical',
    incidentClass: 'critical',
    summary: 'Model server {{ $labels.namespace }}/{{ $labels.job }} is down',
    description: 'No target of {{ $labels.model_server }} model server {{ $labels.namespace }}/{{ $labels.job }} has answered a scrape for 5 minutes.',
  });
  if (s.errors) {
    rules.addAlert(alerts, {
      alert: 'ModelErrorSpike',
      expr: `${MODEL_RECORDS.requestErrorRatio('5m')}{${p}} > ${t.errorRatioFloor}`
        + ` and ${MODEL_RECORDS.requestErrorRatio('5m')}{${p}} > ${t.errorSpikeFactor} * ${MODEL_RECORDS.requestErrorRatio('1h')}{${p}}`,
      for: '5m',
      severity: 'warning',
      incidentClass: 'medium',
      summary: 'Error spike on model {{ $labels.model }}',
      description: `Model {{ $labels.model }} ({{ $labels.namespace }}/{{ $labels.job }}) fails {{ $value | humanizePercentage }} of requests, over ${t.errorSpikeFactor} times its last hour.`,
    });
  }
  // Averages, not quantiles: a 1h p95 moves as soon as 5% of the hour is slow, so it makes a
  // poor baseline; absolute p95 thresholds are the seed's HighInferenceLatency (AlertRules).
  rules.addAlert(alerts, {
    alert: 'ModelServiceDegraded',
    expr: `${MODEL_RECORDS.latencyAverage('5m')}{${p}} > ${t.latencyDegradationFactor} * ${MODEL_RECORDS.latencyAverage('1h')}{${p}}`
      + ` and on (namespace, job, model, model_server) ${MODEL_RECORDS.requests}{${p}} > ${t.minRequestRate}`,
    for: '10m',
    severity: 'warning',
    incidentClass: 'medium',
    summary: 'Model {{ $labels.model }} is slower than usual',
    description: `The average latency of model {{ $labels.model }} ({{ $labels.namespace }}/{{ $labels.job }}) is {{ $value | humanizeDuration }}, over ${t.latencyDegradationFactor} times its last hour.`,
  });
  const exhaustion: Array<[string, string, { warning: number; critical: number }, string]> = [
    ['memory', `${MODEL_RECORDS.modelPodMemoryLimitUsage}{${p}}`, t.memoryLimitRatio, 'of its container memory limit'],
    ...(s.cacheUsage ? [['kv_cache', `${MODEL_RECORDS.cacheUsage}{${p}}`, t.cacheUsageRatio, 'of its KV cache'] as [string, string, { warning: number; critical: number }, string]] : []),
  ];
  for (const [resource, expr, level, what] of exhaustion) {
    for (const severity of ['warning', 'critical'] as const) {
      rules.addAlert(alerts, {
        alert: 'ModelResourceExhaustion',
        expr: `${expr} > ${level[severity]}`,
        for: '10m',
        severity,
        incidentClass: severity === 'critical' ? 'high' : 'medium',
        labels: { resource },
        summary: `Model server ${resource === 'memory' ? '{{ $labels.pod }}' : '{{ $labels.model }}'} is running out of ${resource.replace('_', ' ')}`,
        description: `{{ $labels.namespace }}/${resource === 'memory' ? '{{ $labels.pod }}' : '{{ $labels.job }} (model {{ $labels.model }})'} uses {{ $value | humanizePercentage }} ${what}.`,
      });
    }
  }
  return rules;
}

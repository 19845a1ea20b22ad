import { Construct } from 'constructs';
import { K8sObject } from '../core/k8s-object.js';
import { validateDnsLabel } from '../core/names.js';
import { RuleSet } from '../core/rules.js';
import { PodMonitor, THIRD_PARTY_SCRAPE_PROTOCOL } from '../metrics/monitors.js';
import { allowHttpsEgress, endpointPort, requireAscending, resolveThresholds, ScrapeIngress, ScraperRef, Threshold } from './common.js';
import { type PineconeServerlessMetrics, VectorStore } from './vector-store.js';

/** Label every series of a monitored vector store carries: the monitor's name. */
export const VECTOR_STORE_LABEL = 'vector_store';

/**
 * Names of the recording rules of {@link VectorStoreMonitor}, labelled `vector_store, index`.
 * Each store kind records a subset (docs/ai.md): Pinecone serverless the counters' rates,
 * record counts, storage and an average latency; Pinecone pod-based record counts, rates,
 * error ratio, p95 latency and fullness; a self-hosted store (the seed's `vector_*` exporter)
 * operations, query rate, latency quantiles and cache hit ratio.
 */
export const VECTOR_INDEX_RECORDS = {
  /** Records (vectors) in the index (Pinecone). */
  records: 'vector_index:records:sum',
  /** Storage used (Pinecone serverless). */
  storageBytes: 'vector_index:storage_bytes:sum',
  /** Queries per second (every kind). */
  queries: 'vector_index:queries:rate5m',
  /** Upserts, updates and deletes per second (Pinecone). */
  writes: 'vector_index:writes:rate5m',
  /** Read units per second (Pinecone serverless). */
  readUnits: 'vector_index:read_units:rate5m',
  /** Write units per second (Pinecone serverless). */
  writeUnits: 'vector_index:write_units:rate5m',
  /** Average query latency (Pinecone serverless, which exports no histogram). */
  queryLatencyAverage: 'vector_index:query_latency_seconds:avg5m',
  /** Query latency quantile over 5m (p95: Pinecone pod-based and self-hosted; p50 and p99: self-hosted). */
  queryLatencyQuantile: (quantile: 'p50' | 'p95' | 'p99') => `vector_index:query_latency_seconds:${quantile}_5m`,
  /** Failed share of requests (Pinecone pod-based). */
  requestErrorRatio: 'vector_index:request_errors:ratio_rate5m',
  /** Index fullness (Pinecone pod-based). */
  fullness: 'vector_index:fullness:max',
  /** Index operations per second (self-hosted). */
  operations: 'vector_index:operations:rate5m',
  /** Cache hit ratio (self-hosted). */
  cacheHitRatio: 'vector_index:cache_hit:ratio_rate5m',
} as const;

/** Alert thresholds of {@link VectorStoreMonitor}. */
export interface VectorStoreThresholds {
  /** Query latency in seconds (p95, or the average for Pinecone serverless). @default { warning: 0.1, critical: 0.5 } */
  readonly queryLatencySeconds: Threshold;
  /** Failed share of requests (Pinecone pod-based). @default { warning: 0.01, critical: 0.05 } */
  readonly errorRatio: Threshold;
  /** Index fullness (pod-based) or storage over `storageLimit` (serverless). @default { warning: 0.8, critical: 0.95 } */
  readonly capacityRatio: Threshold;
  /** Cache hit ratio below which a self-hosted store warns. @default 0.5 */
  readonly minCacheHitRatio: number;
}

export const DEFAULT_VECTOR_STORE_THRESHOLDS: VectorStoreThresholds = {
  queryLatencySeconds: { warning: 0.1, critical: 0.5 },
  errorRatio: { warning: 0.01, critical: 0.05 },
  capacityRatio: { warning: 0.8, critical: 0.95 },
  minCacheHitRatio: 0.5,
};

export interface VectorStoreMonitorProps {
  /** Name of the store: the `vector_store` label, the job name and the name of its objects. */
  readonly name: string;
  readonly store: VectorStore;
  /** The Prometheus that scrapes (a `MetricsStack`: its egress to HTTPS is opened for Pinecone). */
  readonly scraper: ScraperRef;
  /** Namespace of the ScrapeConfig (and of the API key Secret) and of the rules. @default - the scraper's namespace */
  readonly namespace?: string;
  readonly thresholds?: Partial<VectorStoreThresholds>;
  readonly runbookBaseUrl?: string;
}

/**
 * A vector store (seed 1.1 "vector_metrics", 2.2 "vector_store", 7.1 "vector_store_metrics"):
 * index size, query latency, update rate, cache efficiency, and alerts for high latency, index
 * errors and capacity. Pinecone is scraped from its cloud endpoint by a `ScrapeConfig` whose
 * bearer token comes from a Secret; a self-hosted store by a PodMonitor.
 */
export class VectorStoreMonitor extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly store: VectorStore;
  readonly thresholds: VectorStoreThresholds;
  readonly rules: RuleSet;

  constructor(scope: Construct, id: string, props: VectorStoreMonitorProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name, 'name');
    this.namespace = validateDnsLabel(props.namespace ?? props.scraper.namespace, 'namespace');
    this.store = props.store;
    this.thresholds = resolveThresholds('thresholds', DEFAULT_VECTOR_STORE_THRESHOLDS, props.thresholds);
    for (const k of ['queryLatencySeconds', 'errorRatio', 'capacityRatio'] as const) requireAscending(`thresholds.${k}`, this.thresholds[k]);
    const stamp = { action: 'replace', targetLabel: VECTOR_STORE_LABEL, replacement: this.name };
    const o = this.store.options;

    if (this.store.kind === 'self-hosted') {
      const ep = endpointPort(o.port);
      new PodMonitor(this, 'Resource', {
        name: this.name,
        namespace: o.namespace,
        selector: o.selector,
        fallbackScrapeProtocol: THIRD_PARTY_SCRAPE_PROTOCOL,
        endpoints: [{
          port: ep.port, extra: ep.extra, path: o.path,
          relabelings: [stamp, { action: 'replace', targetLabel: 'job', replacement: this.name }],
          metricRelabelings: o.indexLabel === 'index' ? undefined : [{ action: 'replace', sourceLabels: [o.indexLabel], targetLabel: 'index' }],
        }],
      });
      new ScrapeIngress(this, 'AllowScrape', { name: this.name, namespace: o.namespace, podLabels: o.selector, port: o.port, scraper: props.scraper });
    } else {
      const authorization = { type: 'Bearer', credentials: { name: o.apiKey.name, key: o.apiKey.key } };
      const serverless = this.store.kind === 'pinecone-serverless';
      new K8sObject(this, 'Resource', {
        apiVersion: 'monitoring.coreos.com/v1alpha1',
        kind: 'ScrapeConfig',
        metadata: { name: this.name, namespace: this.namespace },
        spec: {
          jobName: this.name,
          fallbackScrapeProtocol: THIRD_PARTY_SCRAPE_PROTOCOL,
          ...(serverless
            ? {
              // Pinecone's documented setup: HTTP SD and the scrape share the project's API key.
              httpSDConfigs: [{
                url: `https://api.pinecone.io/prometheus/projects/${o.projectId}/metrics/discovery`,
                refreshInterval: o.refreshInterval.toPrometheus(),
                authorization,
              }],
            }
            : { staticConfigs: [{ targets: [`metrics.${o.environment}.pinecone.io`] }], scheme: 'HTTPS', metricsPath: '/metrics' }),
          authorization,
          relabelings: [stamp],
          metricRelabelings: [
            // Pinecone's `region` (where the index runs) would shadow the platform's `region`
            // external label in the global view: keep it as `pinecone_region`.
            { action: 'replace', sourceLabels: ['region'], targetLabel: 'pinecone_region' },
            { action: 'labeldrop', regex: 'region' },
            { action: 'replace', sourceLabels: ['index_name'], targetLabel: 'index' },
          ],
        },
      });
      allowHttpsEgress(props.scraper);
    }
    this.rules = this.buildRules(props.runbookBaseUrl);
  }

  private buildRules(runbookBaseUrl?: string): RuleSet {
    const t = this.thresholds;
    const s = `${VECTOR_STORE_LABEL}="${this.name}"`;
    const by = 'vector_store, index';
    const rules = new RuleSet(this, 'Rules', { name: `ai-vector-store-${this.name}`, namespace: this.namespace, runbookBaseUrl });
    const rec = `ai.vector-store.${this.name}.records`;
    const alerts = `ai.vector-store.${this.name}.alerts`;
    const rate = (sel: string, w = '5m') => `sum by (${by}) (rate(${sel}[${w}]))`;
    const record = (name: string, expr: string) => rules.addRecord(rec, { record: name, expr });
    const who = 'index {{ $labels.index }} of {{ $labels.vector_store }}';
    const levels = (alert: string, expr: string, level: Threshold, forDuration: string, summary: string, description: string) => {
      for (const severity of ['warning', 'critical'] as const) {
        rules.addAlert(alerts, {
          alert, expr: `${expr} > ${level[severity]}`, for: forDuration, severity,
          incidentClass: severity === 'critical' ? 'high' : 'medium', summary, description,
        });
      }
    };
    let latency: string;
    switch (this.store.kind) {
      case 'pinecone-serverless': {
        // Names by generation (VectorStore.pineconeServerless `metricNames`): the records keep their names.
        const m: PineconeServerlessMetrics = this.store.options.metrics;
        record(VECTOR_INDEX_RECORDS.records, `sum by (${by}) (${m.records}{${s}})`);
        record(VECTOR_INDEX_RECORDS.storageBytes, `sum by (${by}) (${m.storageBytes}{${s}})`);
        record(VECTOR_INDEX_RECORDS.queries, rate(`${m.queries}{${s}}`));
        // One rate per counter, told apart by a `counter` label before the sum: a single
        // `rate({__name__=~"..."})` fails ("same labelset") once rate() drops the names.
        const writes = m.writes.map((c) => `label_replace(${rate(`${c}{${s}}`)}, "counter", "${c}", "", "")`);
        record(VECTOR_INDEX_RECORDS.writes, `sum by (${by}) (${writes.join(' or ')})`);
        record(VECTOR_INDEX_RECORDS.readUnits, rate(`${m.readUnits}{${s}}`));
        record(VECTOR_INDEX_RECORDS.writeUnits, rate(`${m.writeUnits}{${s}}`));
        // Serverless exports no histogram: an average in seconds from millisecond counters.
        record(VECTOR_INDEX_RECORDS.queryLatencyAverage, `${rate(`${m.queryDurationMs}{${s}}`)} / 1000 / ${rate(`${m.queries}{${s}}`)}`);
        latency = VECTOR_INDEX_RECORDS.queryLatencyAverage;
        if (this.store.options.storageLimit) {
          levels('VectorIndexCapacity', `${VECTOR_INDEX_RECORDS.storageBytes}{${s}} / ${this.store.options.storageLimit.bytes}`, t.capacityRatio, '30m',
            `Vector ${who} is filling up`, `The ${who} uses {{ $value | humanizePercentage }} of the plan's storage.`);
        }
        break;
      }
      case 'pinecone-pods':
        record(VECTOR_INDEX_RECORDS.records, `sum by (${by}) (pinecone_vector_count{${s}})`);
        record(VECTOR_INDEX_RECORDS.queries, rate(`pinecone_request_count_total{${s}, request_type="query"}`));
        record(VECTOR_INDEX_RECORDS.writes, rate(`pinecone_request_count_total{${s}, request_type=~"upsert|delete"}`));
        record(VECTOR_INDEX_RECORDS.requestErrorRatio, `${rate(`pinecone_request_error_count_total{${s}}`)} / ${rate(`pinecone_request_count_total{${s}}`)}`);
        record(VECTOR_INDEX_RECORDS.queryLatencyQuantile('p95'), `histogram_quantile(0.95, sum by (${by}, le) (rate(pinecone_request_latency_seconds_bucket{${s}, request_type="query"}[5m])))`);
        record(VECTOR_INDEX_RECORDS.fullness, `max by (${by}) (pinecone_index_fullness{${s}})`);
        latency = VECTOR_INDEX_RECORDS.queryLatencyQuantile('p95');
        levels('VectorIndexErrors', `${VECTOR_INDEX_RECORDS.requestErrorRatio}{${s}}`, t.errorRatio, '5m',
          `Vector ${who} returns errors`, `{{ $value | humanizePercentage }} of the requests to ${who} fail.`);
        levels('VectorIndexCapacity', `${VECTOR_INDEX_RECORDS.fullness}{${s}}`, t.capacityRatio, '30m',
          `Vector ${who} is filling up`, `The ${who} is {{ $value | humanizePercentage }} full; add pods or replicas before upserts fail.`);
        break;
      default:
        record(VECTOR_INDEX_RECORDS.operations, rate(`vector_index_operations_total{${s}}`));
        record(VECTOR_INDEX_RECORDS.queries, rate(`vector_query_latency_seconds_count{${s}}`));
        for (const [name, q] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const) {
          record(VECTOR_INDEX_RECORDS.queryLatencyQuantile(name), `histogram_quantile(${q}, sum by (${by}, le) (rate(vector_query_latency_seconds_bucket{${s}}[5m])))`);
        }
        record(VECTOR_INDEX_RECORDS.cacheHitRatio, `${rate(`vector_cache_hits_total{${s}}`)} / ${rate(`vector_cache_requests_total{${s}}`)}`);
        latency = VECTOR_INDEX_RECORDS.queryLatencyQuantile('p95');
        rules.addAlert(alerts, {
          alert: 'VectorCacheHitRatioLow', expr: `${VECTOR_INDEX_RECORDS.cacheHitRatio}{${s}} < ${t.minCacheHitRatio}`, for: '30m',
          severity: 'warning', incidentClass: 'medium',
          summary: `Vector ${who} misses its cache`,
          description: `Only {{ $value | humanizePercentage }} of the cache lookups of ${who} hit; queries go to disk.`,
        });
    }
    levels('VectorQueryLatencyHigh', `${latency}{${s}}`, t.queryLatencySeconds, '5m',
      `Vector ${who} answers slowly`, `The ${latency.includes('avg') ? 'average' : 'p95'} query latency of ${who} is {{ $value | humanizeDuration }}.`);
    const selfHosted = this.store.kind === 'self-hosted';
    rules.addAlert(alerts, {
      alert: 'VectorStoreDown', expr: `up{${s}} == 0`, for: '10m',
      severity: selfHosted ? 'critical' : 'warning', incidentClass: selfHosted ? 'critical' : 'medium',
      summary: `Vector store ${this.name} cannot be scraped`,
      description: selfHosted
        ? `Target {{ $labels.instance }} of vector store ${this.name} has been down for 10 minutes.`
        : `Prometheus cannot read the Pinecone metrics of ${this.name} (check the API key Secret and egress): vector alerts are blind.`,
    });
    return rules;
  }
}

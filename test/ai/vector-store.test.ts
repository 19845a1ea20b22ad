import { MetricsStack } from '../../lib/metrics/index.js';
import { PINECONE_SERVERLESS_METRICS, VectorStore, VectorStoreMonitor } from '../../lib/ai/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool } from '../support/tools.js';
import { expectRuleTests, expectValidRules, level } from './helpers.js';

const apiKey = { name: 'pinecone-api-key', key: 'api-key' };

function build() {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const monitors = {
    serverless: new VectorStoreMonitor(chart, 'Pinecone', {
      name: 'pinecone', scraper: metrics,
      store: VectorStore.pineconeServerless({ projectId: 'proj-123', apiKey, storageLimit: '100GB' }),
    }),
    legacy: new VectorStoreMonitor(chart, 'PineconeLegacy', {
      name: 'pinecone-legacy', scraper: metrics,
      store: VectorStore.pineconeServerless({ projectId: 'proj-123', apiKey, metricNames: 'legacy' }),
    }),
    pods: new VectorStoreMonitor(chart, 'PineconePods', { name: 'pinecone-pods', scraper: metrics, store: VectorStore.pineconePods({ environment: 'us-east-1-aws', apiKey }) }),
    selfHosted: new VectorStoreMonitor(chart, 'Qdrant', {
      name: 'embeddings', scraper: metrics,
      store: VectorStore.selfHosted({ namespace: 'vectors', selector: { app: 'vector-db' }, port: 9090 }),
    }),
  };
  return { monitors, objects: synth(chart) };
}

describe('VectorStoreMonitor', () => {
  const { objects } = build();

  it('discovers Pinecone serverless indexes over HTTP SD with the API key from a Secret', () => {
    const sc = find(objects, 'ScrapeConfig', 'pinecone');
    expect(sc.metadata.namespace).toBe('ai-monitoring');
    const auth = { type: 'Bearer', credentials: { name: 'pinecone-api-key', key: 'api-key' } };
    expect(sc.spec.httpSDConfigs).toEqual([{ url: 'https://api.pinecone.io/prometheus/projects/proj-123/metrics/discovery', refreshInterval: '1m', authorization: auth }]);
    expect(sc.spec.authorization).toEqual(auth);
    expect(sc.spec.metricRelabelings).toContainEqual({ action: 'replace', sourceLabels: ['region'], targetLabel: 'pinecone_region' });
    expect(JSON.stringify(objects)).not.toContain('credentials":"');
  });

  it('scrapes pod-based indexes from their environment endpoint', () => {
    const sc = find(objects, 'ScrapeConfig', 'pinecone-pods');
    expect(sc.spec).toMatchObject({ staticConfigs: [{ targets: ['metrics.us-east-1-aws.pinecone.io'] }], scheme: 'HTTPS', metricsPath: '/metrics' });
  });

  it('opens HTTPS egress from Prometheus for the cloud endpoints', () => {
    const np = find(objects, 'NetworkPolicy', 'prometheus-ai-monitoring');
    const https = np.spec.egress.filter((r: any) => r.ports?.length === 1 && r.ports[0].port === 443 && r.to[0].ipBlock?.cidr === '0.0.0.0/0');
    expect(https).toHaveLength(1); // two Pinecone monitors, one rule
  });

  it('scrapes a self-hosted store with a PodMonitor', () => {
    const pm = find(objects, 'PodMonitor', 'embeddings');
    expect(pm.metadata.namespace).toBe('vectors');
    expect(pm.spec.podMetricsEndpoints[0].portNumber).toBe(9090);
    expect(find(objects, 'NetworkPolicy', 'embeddings-allow-scrape').spec.ingress[0].ports).toEqual([{ port: 9090, protocol: 'TCP' }]);
  });

  it('reads the current Pinecone serverless names by default, the legacy ones on request', () => {
    // Pinecone "Monitor performance" (Metrics / Metric name migration tabs): renamed 19 Dec 2025.
    const current = ['pinecone_db_record_total', 'pinecone_db_storage_size_bytes', 'pinecone_db_op_query_count', 'pinecone_db_op_query_duration_sum',
      'pinecone_db_op_upsert_count', 'pinecone_db_op_update_count', 'pinecone_db_op_delete_count', 'pinecone_db_read_unit_count', 'pinecone_db_write_unit_count'];
    const legacy = ['pinecone_db_record_total', 'pinecone_db_storage_size_bytes', 'pinecone_db_op_query_total', 'pinecone_db_op_query_duration_total',
      'pinecone_db_op_upsert_total', 'pinecone_db_op_update_total', 'pinecone_db_op_delete_total', 'pinecone_db_read_unit_total', 'pinecone_db_write_unit_total'];
    expect(VectorStore.pineconeServerless({ projectId: 'p', apiKey }).metricNames).toEqual(current);
    expect(VectorStore.pineconeServerless({ projectId: 'p', apiKey, metricNames: 'current' }).metricNames).toEqual(current);
    expect(VectorStore.pineconeServerless({ projectId: 'p', apiKey, metricNames: 'legacy' }).metricNames).toEqual(legacy);
    expect(PINECONE_SERVERLESS_METRICS.current.queryDurationMs).toBe('pinecone_db_op_query_duration_sum');

    const rules = (name: string) => JSON.stringify(find(objects, 'PrometheusRule', `ai-vector-store-${name}`).spec);
    expect(rules('pinecone')).toContain('rate(pinecone_db_op_query_duration_sum{vector_store=\\"pinecone\\"}[5m])) / 1000 / sum by (vector_store, index) (rate(pinecone_db_op_query_count{');
    for (const c of ['upsert', 'update', 'delete']) expect(rules('pinecone')).toContain(`(rate(pinecone_db_op_${c}_count{vector_store=\\"pinecone\\"}[5m]))`);
    // No legacy counter is read by default: they stopped on 30 Jun 2026.
    expect(rules('pinecone')).not.toMatch(/pinecone_db_(op_\w+|read_unit|write_unit)_total/);
    expect(rules('pinecone-legacy')).toContain('rate(pinecone_db_op_query_duration_total{');
  });

  it('lists the metrics each store reads', () => {
    expect(VectorStore.pineconePods({ environment: 'us-east-1-aws', apiKey }).metricNames).toContain('pinecone_index_fullness');
    expect(VectorStore.selfHosted({ namespace: 'v', selector: { app: 'x' } }).metricNames).toContain('vector_cache_hits_total');
  });

  it('matches the snapshot', () => {
    expect(objects.filter((o) => /pinecone|embeddings|ai-vector/.test(o.metadata.name ?? ''))).toMatchSnapshot();
  });

  it('rejects bad input', () => {
    expect(() => VectorStore.pineconeServerless({ projectId: 'p' } as any)).toThrow("'pineconeServerless.apiKey' must be a reference { name, key } to the Secret key that holds the Pinecone API key (never the value itself), got nothing");
    expect(() => VectorStore.pineconeServerless({ projectId: 'p', apiKey: 'pcsk_123' as any })).toThrow("'pineconeServerless.apiKey' must be a reference { name, key }");
    expect(() => VectorStore.pineconePods({ environment: 'us-east-1-aws', apiKey: { name: 'Bad_Name', key: 'k' } })).toThrow("'pineconePods.apiKey.name' must be a Kubernetes name");
    expect(() => VectorStore.pineconeServerless({ projectId: 'p', apiKey, region: 'x' } as any)).toThrow("'pineconeServerless.region' must be one of the known options");
    expect(() => VectorStore.pineconeServerless({ projectId: 'p', apiKey, metricNames: 'v2' as any })).toThrow("'pineconeServerless.metricNames' must be 'current' or 'legacy', got 'v2'");
    expect(() => VectorStore.pineconeServerless({ projectId: 'p', apiKey, metricNames: 'toString' as any })).toThrow("'pineconeServerless.metricNames' must be 'current' or 'legacy'");
    expect(() => VectorStore.selfHosted({ namespace: 'v', selector: {} })).toThrow("'selfHosted.selector' must be at least one label");
    expect(() => VectorStore.selfHosted({ namespace: 'v', selector: { app: 'x' }, indexLabel: 'index-name' })).toThrow("'selfHosted.indexLabel' must be a Prometheus label name");
  });
});

describeWithTool('promtool', 'vector store rules (promtool)', (promtool) => {
  const { monitors } = build();
  const g = (m: VectorStoreMonitor) => m.rules.renderGroups();

  it('passes promtool check rules', () => {
    for (const m of Object.values(monitors)) expectValidRules(promtool, g(m));
  });

  // Labels of Pinecone's serverless series (index_name, cloud, region, capacity_mode; instance on
  // counters, which Prometheus keeps as exported_instance) after the monitor's relabelings.
  const serverless = (store: string, instance?: string) => `vector_store="${store}", index="docs", index_name="docs", cloud="aws", pinecone_region="us-east-1", capacity_mode="serverless"${instance ? `, exported_instance="${instance}"` : ''}`;

  it('Pinecone serverless: average latency from millisecond counters, capacity from storage', () => {
    const s = serverless('pinecone');
    const c = (i: string) => serverless('pinecone', i);
    const labels = { vector_store: 'pinecone', index: 'docs' };
    expectRuleTests(promtool, g(monitors.serverless), [{
      interval: '1m',
      input_series: [
        // Two serving instances: the rules sum them per index.
        ...['a', 'b'].flatMap((i) => [
          { series: `pinecone_db_op_query_count{${c(i)}}`, values: '0+30x40' },
          { series: `pinecone_db_op_query_duration_sum{${c(i)}}`, values: '0+7500x40' },
          { series: `pinecone_db_op_upsert_count{${c(i)}}`, values: '0+6x40' },
          { series: `pinecone_db_op_update_count{${c(i)}}`, values: '0+3x40' },
          { series: `pinecone_db_op_delete_count{${c(i)}}`, values: '0+3x40' },
          { series: `pinecone_db_read_unit_count{${c(i)}}`, values: '0+120x40' },
          { series: `pinecone_db_write_unit_count{${c(i)}}`, values: '0+30x40' },
        ]),
        { series: `pinecone_db_record_total{${s}}`, values: '5000x40' },
        { series: `pinecone_db_storage_size_bytes{${s}}`, values: `${90 * 2 ** 30}x40` },
      ],
      promql_expr_test: [
        { expr: 'round(vector_index:query_latency_seconds:avg5m, 0.001)', eval_time: '10m', exp_samples: [{ labels: '{vector_store="pinecone", index="docs"}', value: 0.25 }] },
        { expr: 'vector_index:queries:rate5m', eval_time: '10m', exp_samples: [{ labels: 'vector_index:queries:rate5m{vector_store="pinecone", index="docs"}', value: 1 }] },
        { expr: 'round(vector_index:writes:rate5m, 0.001)', eval_time: '10m', exp_samples: [{ labels: '{vector_store="pinecone", index="docs"}', value: 0.4 }] },
        { expr: 'vector_index:read_units:rate5m', eval_time: '10m', exp_samples: [{ labels: 'vector_index:read_units:rate5m{vector_store="pinecone", index="docs"}', value: 4 }] },
        { expr: 'vector_index:write_units:rate5m', eval_time: '10m', exp_samples: [{ labels: 'vector_index:write_units:rate5m{vector_store="pinecone", index="docs"}', value: 1 }] },
        { expr: 'vector_index:records:sum', eval_time: '10m', exp_samples: [{ labels: 'vector_index:records:sum{vector_store="pinecone", index="docs"}', value: 5000 }] },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'VectorQueryLatencyHigh', exp_alerts: [{ exp_labels: { ...labels, ...level('warning', 'medium') } }] },
        { eval_time: '35m', alertname: 'VectorIndexCapacity', exp_alerts: [{ exp_labels: { ...labels, ...level('warning', 'medium') } }] },
      ],
    }, {
      interval: '1m',
      input_series: [
        { series: `pinecone_db_op_query_count{${c('a')}}`, values: '0+60x40' },
        { series: `pinecone_db_op_query_duration_sum{${c('a')}}`, values: '0+1200x40' },
        { series: `pinecone_db_storage_size_bytes{${s}}`, values: `${10 * 2 ** 30}x40` },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'VectorQueryLatencyHigh', exp_alerts: [] },
        { eval_time: '35m', alertname: 'VectorIndexCapacity', exp_alerts: [] },
      ],
    }, {
      // The legacy *_total counters (no longer emitted after 30 Jun 2026) feed nothing by default.
      interval: '1m',
      input_series: [
        { series: `pinecone_db_op_query_total{${c('a')}}`, values: '0+60x40' },
        { series: `pinecone_db_op_query_duration_total{${c('a')}}`, values: '0+15000x40' },
      ],
      promql_expr_test: [
        { expr: 'vector_index:query_latency_seconds:avg5m', eval_time: '10m', exp_samples: [] },
        { expr: 'vector_index:queries:rate5m', eval_time: '10m', exp_samples: [] },
      ],
    }]);
  });

  it("Pinecone serverless with metricNames: 'legacy' reads the *_total counters", () => {
    const c = serverless('pinecone-legacy', 'a');
    expectRuleTests(promtool, g(monitors.legacy), [{
      interval: '1m',
      input_series: [
        { series: `pinecone_db_op_query_total{${c}}`, values: '0+60x40' },
        { series: `pinecone_db_op_query_duration_total{${c}}`, values: '0+15000x40' },
        { series: `pinecone_db_op_upsert_total{${c}}`, values: '0+30x40' },
        { series: `pinecone_db_read_unit_total{${c}}`, values: '0+60x40' },
        // A current-name series must not be read by the legacy rules.
        { series: `pinecone_db_op_query_count{${c}}`, values: '0+6000x40' },
      ],
      promql_expr_test: [
        { expr: 'round(vector_index:query_latency_seconds:avg5m, 0.001)', eval_time: '10m', exp_samples: [{ labels: '{vector_store="pinecone-legacy", index="docs"}', value: 0.25 }] },
        { expr: 'vector_index:queries:rate5m', eval_time: '10m', exp_samples: [{ labels: 'vector_index:queries:rate5m{vector_store="pinecone-legacy", index="docs"}', value: 1 }] },
        { expr: 'vector_index:writes:rate5m', eval_time: '10m', exp_samples: [{ labels: 'vector_index:writes:rate5m{vector_store="pinecone-legacy", index="docs"}', value: 0.5 }] },
        { expr: 'vector_index:read_units:rate5m', eval_time: '10m', exp_samples: [{ labels: 'vector_index:read_units:rate5m{vector_store="pinecone-legacy", index="docs"}', value: 1 }] },
      ],
    }]);
  });

  it('Pinecone pod-based: index errors and fullness per level', () => {
    const s = 'vector_store="pinecone-pods", index="docs", index_name="docs", project_name="prod", pid="1"';
    const labels = { vector_store: 'pinecone-pods', index: 'docs' };
    expectRuleTests(promtool, g(monitors.pods), [{
      interval: '1m',
      input_series: [
        { series: `pinecone_request_count_total{${s}, request_type="query"}`, values: '0+600x40' },
        { series: `pinecone_request_error_count_total{${s}, request_type="query"}`, values: '0+60x40' },
        { series: `pinecone_index_fullness{${s}}`, values: '0.97x40' },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'VectorIndexErrors', exp_alerts: [{ exp_labels: { ...labels, ...level('warning', 'medium') } }, { exp_labels: { ...labels, ...level('critical', 'high') } }] },
        { eval_time: '35m', alertname: 'VectorIndexCapacity', exp_alerts: [{ exp_labels: { ...labels, ...level('warning', 'medium') } }, { exp_labels: { ...labels, ...level('critical', 'high') } }] },
      ],
    }, {
      interval: '1m',
      input_series: [
        { series: `pinecone_request_count_total{${s}, request_type="query"}`, values: '0+600x40' },
        { series: `pinecone_request_error_count_total{${s}, request_type="query"}`, values: '0x40' },
        { series: `pinecone_index_fullness{${s}}`, values: '0.3x40' },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'VectorIndexErrors', exp_alerts: [] },
        { eval_time: '35m', alertname: 'VectorIndexCapacity', exp_alerts: [] },
      ],
    }]);
  });

  it('self-hosted: p95 query latency, cache hit ratio, store down', () => {
    const s = 'vector_store="embeddings", namespace="vectors", pod="vdb-0", job="embeddings", index="products"';
    const labels = { vector_store: 'embeddings', index: 'products' };
    const buckets = (slowEvery: number) => [
      { series: `vector_query_latency_seconds_bucket{${s}, le="0.05"}`, values: `0+${60 - slowEvery}x40` },
      { series: `vector_query_latency_seconds_bucket{${s}, le="1"}`, values: '0+60x40' },
      { series: `vector_query_latency_seconds_bucket{${s}, le="+Inf"}`, values: '0+60x40' },
    ];
    expectRuleTests(promtool, g(monitors.selfHosted), [{
      interval: '1m',
      input_series: [
        ...buckets(30),
        { series: `vector_cache_hits_total{${s}}`, values: '0+10x40' },
        { series: `vector_cache_requests_total{${s}}`, values: '0+100x40' },
        { series: `up{${s}}`, values: '0x40' },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'VectorQueryLatencyHigh', exp_alerts: [{ exp_labels: { ...labels, ...level('warning', 'medium') } }, { exp_labels: { ...labels, ...level('critical', 'high') } }] },
        { eval_time: '35m', alertname: 'VectorCacheHitRatioLow', exp_alerts: [{ exp_labels: { ...labels, ...level('warning', 'medium') } }] },
        { eval_time: '11m', alertname: 'VectorStoreDown', exp_alerts: [{ exp_labels: { vector_store: 'embeddings', namespace: 'vectors', pod: 'vdb-0', job: 'embeddings', index: 'products', ...level('critical', 'critical') } }] },
      ],
    }, {
      interval: '1m',
      input_series: [
        ...buckets(0),
        { series: `vector_cache_hits_total{${s}}`, values: '0+90x40' },
        { series: `vector_cache_requests_total{${s}}`, values: '0+100x40' },
        { series: `up{${s}}`, values: '1x40' },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'VectorQueryLatencyHigh', exp_alerts: [] },
        { eval_time: '35m', alertname: 'VectorCacheHitRatioLow', exp_alerts: [] },
        { eval_time: '11m', alertname: 'VectorStoreDown', exp_alerts: [] },
      ],
    }]);
  });
});

import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { metricNames } from '../../lib/core/promql.js';
import { IMAGES, MODEL_PERFORMANCE_PANELS, MODEL_RECORDS, ModelServer, MonitoringPlatform, PanelQuery, panels, SEED_REGIONS, SeedRegion, seedPlatform, SLO_RECORDS, VECTOR_INDEX_RECORDS } from '../../lib/index.js';
import { interpolateGrafanaVariables } from '../../lib/dashboards/queries.js';
import { modelServingWorkload } from '../../examples/seed-platform/model-serving.js';
import { seedGeoIpDatabase } from '../../examples/seed-platform/region.js';
import { seedChart, seedObjects } from '../support/seed.js';
import { Manifest, newChart, synth } from '../support/synth.js';
import { EXPORTER_METRICS, ExporterName } from './exporter-metrics.js';
import { findWorkload, Problem, recordingRules, scrapeProblems, ScrapeTarget } from './scrape-targets.js';

/**
 * Issue 7, verification 4, on the whole seed platform: every metric a dashboard panel reads is
 * either recorded by a rule the region's Prometheus loads, or exported by a program the chart
 * deploys (or, for the kubelet and users' exporters, a target outside it) and that a monitor
 * of the chart scrapes. A typo, or a dashboard for an exporter the platform does not run,
 * fails here instead of showing "no data" in Grafana.
 */

/** How the seed platform reaches each exporter whose metrics the dashboards read. */
interface Exporter {
  readonly name: string;
  readonly metrics: ExporterName;
  readonly target: (platform: MonitoringPlatform) => ScrapeTarget;
  /** Settings beyond the exporter's defaults that some of its metrics need. */
  readonly extra?: (objects: Manifest[], target: ScrapeTarget) => Problem[];
}

/** The Service prometheus-operator keeps for the kubelets (`--kubelet-service`), as its kubelet controller labels it. */
const KUBELET_SERVICE = { 'k8s-app': 'kubelet', 'app.kubernetes.io/name': 'kubelet', 'app.kubernetes.io/managed-by': 'prometheus-operator' };

function workloadOf(objects: Manifest[], target: ScrapeTarget): Manifest | undefined {
  return 'workload' in target ? findWorkload(objects, target.workload) : undefined;
}

const EXPORTERS: Exporter[] = [
  {
    name: 'node-exporter',
    metrics: 'nodeExporter',
    target: () => ({ workload: { image: IMAGES.nodeExporter } }),
    // node_tcp_connection_states comes from the tcpstat collector, off unless enabled.
    extra: (objects, target) => {
      const args: string[] = workloadOf(objects, target)?.spec.template.spec.containers.flatMap((c: Manifest) => c.args ?? []) ?? [];
      const metric = 'node_tcp_connection_states';
      return args.includes('--collector.tcpstat') ? [] : [{ metric, message: `${metric}: node-exporter runs without --collector.tcpstat` }];
    },
  },
  { name: 'kube-state-metrics', metrics: 'kubeStateMetrics', target: () => ({ workload: { image: IMAGES.kubeStateMetrics } }) },
  {
    name: 'kubelet',
    metrics: 'kubelet',
    target: () => ({ external: { kind: 'ServiceMonitor', namespace: 'kube-system', labels: KUBELET_SERVICE, port: 'https-metrics', path: '/metrics' } }),
  },
  {
    name: 'cAdvisor (in the kubelet)',
    metrics: 'cadvisor',
    target: () => ({ external: { kind: 'ServiceMonitor', namespace: 'kube-system', labels: KUBELET_SERVICE, port: 'https-metrics', path: '/metrics/cadvisor' } }),
  },
  {
    name: 'dcgm-exporter',
    metrics: 'dcgmExporter',
    target: () => ({ workload: { image: IMAGES.dcgmExporter } }),
    // dcgm-exporter exports only the DCGM fields of its counters file (`-f`).
    extra: (objects, target) => {
      const spec = workloadOf(objects, target)?.spec.template.spec;
      const maps = (spec?.volumes ?? []).filter((v: Manifest) => v.configMap).map((v: Manifest) => v.configMap.name);
      const csv = objects.filter((o) => o.kind === 'ConfigMap' && maps.includes(o.metadata.name))
        .flatMap((o) => Object.values(o.data ?? {}) as string[]).join('\n');
      const fields = new Set(csv.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(',')[0].trim()));
      return EXPORTER_METRICS.dcgmExporter.metrics.filter((m) => !fields.has(m))
        .map((metric) => ({ metric, message: `${metric}: not a field of dcgm-exporter's counters file` }));
    },
  },
  {
    // The `default/kubernetes` Service, scraped by ApiServerMonitor (lib/metrics/apiserver-monitor.ts).
    name: 'API server',
    metrics: 'apiServer',
    target: () => ({ external: { kind: 'ServiceMonitor', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' }, port: 'https' } }),
  },
  { name: 'Prometheus (alerting rules)', metrics: 'prometheus', target: () => ({ alertingRules: true }) },
  {
    name: 'Alertmanager',
    metrics: 'alertmanager',
    target: (p) => ({ service: { namespace: p.routing!.namespace, name: p.routing!.serviceName } }),
  },
  { name: 'Prometheus (self-scrape)', metrics: 'prometheusServer', target: (p) => ({ service: { namespace: p.metrics.namespace, name: `prometheus-${p.metrics.name}` } }) },
  ...(['query', 'query-frontend', 'receive', 'store', 'compactor'] as const).map((component): Exporter => ({
    name: `Thanos ${component}`,
    metrics: ({ query: 'thanosQuery', 'query-frontend': 'thanosQueryFrontend', receive: 'thanosReceive', store: 'thanosStore', compactor: 'thanosCompactor' } as const)[component],
    target: (p) => ({ workload: { namespace: p.metrics.namespace, name: `thanos-${component}` } }),
  })),
  ...(['distributor', 'ingester'] as const).map((component): Exporter => ({
    name: `Loki ${component}`,
    metrics: component === 'distributor' ? 'lokiDistributor' : 'lokiIngester',
    target: (p) => ({ workload: { namespace: p.logging!.loki.namespace, name: `${p.logging!.loki.name}-${component}` } }),
  })),
  { name: 'Grafana', metrics: 'grafana', target: (p) => ({ workload: { namespace: p.grafana!.namespace, name: p.grafana!.name } }) },
  // The example's model-serving Deployment (examples/seed-platform/model-serving.ts).
  { name: 'seed model exporter', metrics: 'seedModelExporter', target: () => ({ workload: { namespace: 'ai-serving', name: 'model-serving' } }) },
  {
    // The seed's self-hosted vector store: users' pods, scraped by the platform's PodMonitor.
    name: 'seed vector-store exporter',
    metrics: 'seedVectorExporter',
    target: (p) => {
      const store = p.vectorStores.find((v) => v.store.kind === 'self-hosted')?.store;
      if (!store) return { external: { kind: 'PodMonitor', namespace: '-', labels: { 'no-self-hosted-vector-store': 'true' } } };
      return { external: { kind: 'PodMonitor', namespace: store.options.namespace, labels: store.options.selector, port: store.options.port } };
    },
  },
  {
    // Pinecone's cloud endpoint, scraped through the monitor's ScrapeConfig.
    name: 'Pinecone serverless',
    metrics: 'pineconeServerless',
    target: (p) => {
      const monitor = p.vectorStores.find((v) => v.store.kind === 'pinecone-serverless');
      return { scrapeConfig: { namespace: monitor?.namespace ?? '-', name: monitor?.name ?? 'no-pinecone-serverless-store' } };
    },
  },
];

/**
 * Produced metric -> where it comes from, and the problems of exporters the dashboards rely on.
 * A recorded series exists only when, for at least one rule recording it, every metric the rule
 * reads exists in turn (scraped, or recorded the same way).
 */
function producedMetrics(platform: MonitoringPlatform, objects: Manifest[], exporters = EXPORTERS): { produced: Map<string, string>; problems: string[] } {
  const produced = new Map<string, string>([['up', 'Prometheus (every scrape target)']]);
  const problems: string[] = [];
  for (const e of exporters) {
    const target = e.target(platform);
    const { metrics } = EXPORTER_METRICS[e.metrics];
    const found = [...scrapeProblems(objects, target, metrics), ...(e.extra?.(objects, target) ?? [])];
    problems.push(...found.map((p) => `${e.name}: ${p.message}`));
    for (const m of metrics) if (!produced.has(m) && !found.some((p) => p.metric === undefined || p.metric === m)) produced.set(m, e.name);
  }
  const rules = recordingRules(objects);
  const visiting = new Set<string>();
  const exists = (metric: string): boolean => {
    if (produced.has(metric)) return true;
    if (visiting.has(metric) || !rules.has(metric)) return false;
    visiting.add(metric);
    const rule = rules.get(metric)!.find((r) => metricNames(r.expr).every(exists));
    visiting.delete(metric);
    if (rule) produced.set(metric, rule.source);
    return rule !== undefined;
  };
  [...rules.keys()].forEach(exists);
  return { produced, problems };
}

interface Unmatched { readonly dashboard: string; readonly panel: string; readonly metric: string }

function unmatched(queries: PanelQuery[], produced: Map<string, string>): Unmatched[] {
  return queries.filter((q) => q.language === 'promql').flatMap((q) =>
    metricNames(interpolateGrafanaVariables(q.expr)).filter((m) => !produced.has(m))
      .map((metric) => ({ dashboard: q.dashboardUid, panel: q.panel, metric })));
}

function report(region: string, missing: Unmatched[]): string {
  return `${missing.length} panel metric(s) of ${region} neither recorded nor scraped by the platform:\n`
    + missing.map((m) => `  dashboard ${m.dashboard}, panel "${m.panel}": ${m.metric}`).join('\n');
}

/** `label_values(metric, label)` of the provisioned dashboards' Prometheus variables. */
function variableMetrics(objects: Manifest[]): Unmatched[] {
  return objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['grafana.com/dashboard-uid']).flatMap((o) => {
    const json = JSON.parse(Object.values(o.data)[0] as string);
    return (json.templating?.list ?? []).filter((v: Manifest) => v.type === 'query' && v.datasource?.type === 'prometheus')
      .flatMap((v: Manifest) => {
        const m = /^label_values\(\s*(.+),\s*[A-Za-z_]\w*\s*\)$/.exec(v.query);
        return m ? metricNames(m[1]).map((metric) => ({ dashboard: json.uid, panel: `$${v.name} variable`, metric })) : [];
      });
  });
}

/** Stream labels the log agent attaches (`target_label` of its Alloy relabel rules). */
function agentStreamLabels(objects: Manifest[]): Set<string> {
  const agent = findWorkload(objects, { image: IMAGES.alloy });
  const maps = (agent?.spec.template.spec.volumes ?? []).filter((v: Manifest) => v.configMap).map((v: Manifest) => v.configMap.name);
  const config = objects.filter((o) => o.kind === 'ConfigMap' && maps.includes(o.metadata.name)).flatMap((o) => Object.values(o.data ?? {})).join('\n');
  return new Set([...config.matchAll(/target_label\s*=\s*"([A-Za-z_]\w*)"/g)].map((m) => m[1]).filter((l) => !l.startsWith('__')));
}

describe.each(SEED_REGIONS.map((r) => [r]))('seed platform %s: every dashboard metric is produced', (region: SeedRegion) => {
  const { platform } = seedChart(region);
  const objects = seedObjects(region);
  const { produced, problems } = producedMetrics(platform, objects);
  const queries = platform.dashboards!.queries();

  it('deploys and scrapes every exporter the dashboards read', () => {
    expect(problems).toEqual([]);
  });

  it('reads, in every PromQL panel query, only recorded or scraped metrics', () => {
    expect(queries.filter((q) => q.language === 'promql').length).toBeGreaterThan(60);
    const missing = unmatched(queries, produced);
    if (missing.length > 0) throw new Error(report(region, missing));
  });

  it('reads the SLO rules the Slo construct records, with no sloMetrics override needed', () => {
    const read = new Set(queries.filter((q) => q.dashboardUid === 'ai-slo-overview').flatMap((q) => metricNames(interpolateGrafanaVariables(q.expr))));
    expect([...read].filter((m) => !m.startsWith('slo:sli_error:ratio_rate'))).toEqual([SLO_RECORDS.budgetRemaining, SLO_RECORDS.errorBudget]);
    for (const m of read) expect(produced.get(m)).toMatch(/^PrometheusRule .*\/slo-/);
    // The seed's dashboards without any SLO option (only the family toggles) read the same queries.
    const chart = newChart();
    const props = seedPlatform(region, { modelServing: modelServingWorkload(chart), geoipDatabase: seedGeoIpDatabase() });
    const { kubernetes, components } = props.dashboards!;
    const defaults = new MonitoringPlatform(chart, 'Platform', { ...props, dashboards: { kubernetes, components } });
    expect(defaults.dashboards!.queries()).toEqual(queries);
  });

  it('reads the normalised model:* and vector_index:* records in the Model Performance panels, raw series only where documented', () => {
    const perf = queries.filter((q) => q.dashboardUid === 'ai-model-performance');
    const read = (q: PanelQuery) => metricNames(interpolateGrafanaVariables(q.expr));
    for (const q of perf) {
      const normalised = read(q).every((m) => /^(model|vector_index):/.test(m));
      expect([q.panel, normalised]).toEqual([q.panel, !MODEL_PERFORMANCE_PANELS[q.panel].seedExporterOnly]);
    }
    const modelRecords = [...new Set(perf.flatMap(read).filter((m) => m.startsWith('model:')))];
    expect(modelRecords).toEqual(expect.arrayContaining([MODEL_RECORDS.requests, MODEL_RECORDS.requestErrors, MODEL_RECORDS.latencyQuantile('p95'), MODEL_RECORDS.throughput]));
    // Produced by the seed model server's own rule set, from the scraped seed exporter.
    for (const m of modelRecords) expect([m, produced.get(m)]).toEqual([m, expect.stringMatching(/^PrometheusRule \S+\/ai-model-serving-seed$/)]);
  });

  it('fills its template variables from produced metrics and its log panels from agent labels', () => {
    const variables = variableMetrics(objects);
    // Each variable reads a series of the program it filters (build info of components, the kubelet's node name...).
    expect([...new Set(variables.map((v) => v.metric))].sort()).toEqual([
      'alertmanager_build_info', 'grafana_build_info', 'kube_node_info', 'kube_persistentvolumeclaim_info', 'kube_pod_info', 'kubelet_node_name',
      'loki_request_duration_seconds_count', MODEL_RECORDS.requests, 'node_uname_info', 'prometheus_build_info', SLO_RECORDS.budgetRemaining,
      'up', VECTOR_INDEX_RECORDS.queries,
    ].sort());
    const missing = variables.filter((v) => !produced.has(v.metric));
    if (missing.length > 0) throw new Error(report(region, missing));
    const labels = agentStreamLabels(objects);
    const logql = queries.filter((q) => q.language === 'logql');
    expect(logql.length).toBeGreaterThan(0);
    for (const q of logql) {
      const selector = /\{([^}]*)\}/.exec(q.expr)![1];
      for (const [, label] of selector.matchAll(/([A-Za-z_]\w*)\s*(=~|!~|!=|=)/g)) expect([q.panel, label, labels.has(label)]).toEqual([q.panel, label, true]);
    }
  });
});

describe.each(SEED_REGIONS.map((r) => [r]))('seed platform %s: Kubernetes and component dashboards', (region: SeedRegion) => {
  const { platform } = seedChart(region);
  const uids = platform.dashboards!.dashboards.map((d) => d.uid);

  it('ships at least 18 dashboards, every kube-prometheus daily view', () => {
    expect(uids.length).toBeGreaterThanOrEqual(18);
    expect(uids).toEqual(expect.arrayContaining([
      'k8s-compute-cluster', 'k8s-compute-namespace', 'k8s-compute-workload', 'k8s-compute-pod', 'k8s-compute-node',
      'k8s-network-cluster', 'k8s-network-namespace', 'k8s-network-workload', 'k8s-network-pod', 'k8s-persistent-volumes', 'k8s-kubelet', 'k8s-node-overview',
      'k8s-apiserver', 'platform-prometheus', 'platform-alertmanager', 'platform-thanos', 'platform-loki', 'platform-grafana',
    ]));
  });

  it('covers the API server dashboard only while a monitor scrapes the API server', () => {
    const chart = newChart();
    const props = seedPlatform(region, { modelServing: modelServingWorkload(chart), geoipDatabase: seedGeoIpDatabase() });
    const without = new MonitoringPlatform(chart, 'Platform', { ...props, metrics: { ...props.metrics, apiServer: false } });
    const { produced } = producedMetrics(without, synth(chart));
    const missing = unmatched(without.dashboards!.queries(), produced);
    expect(new Set(missing.map((m) => m.dashboard))).toEqual(new Set(['k8s-apiserver']));
    expect([...new Set(missing.map((m) => m.metric))].sort()).toEqual(
      ['apiserver_current_inflight_requests', 'apiserver_request_duration_seconds_bucket', 'apiserver_request_total', 'apiserver_resource_objects', 'apiserver_storage_objects'],
    );
  });
});

describe('platform coverage check can fail', () => {
  const region: SeedRegion = 'us-east-1';

  it('names the dashboard, panel and metric of a typo in a user dashboard', () => {
    const { platform } = seedChart(region);
    const { produced } = producedMetrics(platform, seedObjects(region));
    platform.dashboards!.addDashboard(panels.newDashboard('team-inference', 'Team Inference', 'A user dashboard with a typo.')
      .withPanel(panels.graph('Requests', [panels.promQuery('sum(rate(model_request_total[$__rate_interval]))')]))
      .withPanel(panels.graph('GPU', [panels.promQuery('avg(DCGM_FI_DEV_GPU_UTIL)')])));
    const missing = unmatched(platform.dashboards!.queries(), produced);
    expect(missing).toEqual([{ dashboard: 'team-inference', panel: 'Requests', metric: 'model_request_total' }]);
    expect(report(region, missing)).toContain('dashboard team-inference, panel "Requests": model_request_total');
  });

  it('rejects a metric of an exporter the platform does not deploy', () => {
    const { platform } = seedChart(region);
    const objects = seedObjects(region).filter((o) => !(o.kind === 'DaemonSet' && o.metadata.name === 'dcgm-exporter'));
    const { produced, problems } = producedMetrics(platform, objects);
    expect(problems).toEqual([expect.stringMatching(/^dcgm-exporter: no workload .* is deployed by the chart$/), expect.stringMatching(/^dcgm-exporter: DCGM_FI_DEV_GPU_UTIL: not a field/),
      ...['FB_USED', 'FB_FREE', 'GPU_TEMP', 'POWER_USAGE'].map((f) => expect.stringContaining(`DCGM_FI_DEV_${f}`))]);
    expect(unmatched(platform.dashboards!.queries(), produced).map((m) => m.metric)).toContain('DCGM_FI_DEV_GPU_UTIL');
  });

  it('rejects a metric that a monitor drops, or a monitor the Prometheus does not select', () => {
    const { platform } = seedChart(region);
    const drop = seedObjects(region).map((o) => (o.kind === 'ServiceMonitor' && o.metadata.name === 'ai-monitoring-kube-state-metrics'
      ? { ...o, spec: { ...o.spec, endpoints: o.spec.endpoints.map((e: Manifest) => ({ ...e, metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'kube_pod_info' }] })) } }
      : o));
    expect(producedMetrics(platform, drop).problems).toEqual([expect.stringContaining('kube-state-metrics: kube_pod_info: dropped by the metricRelabelings')]);
    const unselected = seedObjects(region).map((o) => (o.kind === 'PodMonitor' && o.metadata.name === 'inference'
      ? { ...o, metadata: { ...o.metadata, labels: {} } } : o));
    expect(producedMetrics(platform, unselected).problems).toEqual([expect.stringMatching(/^seed model exporter: no ServiceMonitor or PodMonitor loaded by the Prometheus scrapes/)]);
  });

  it('rejects Pinecone metrics when the Prometheus does not load the ScrapeConfig, or its relabelings drop them', () => {
    const { platform } = seedChart(region);
    const pinecone = (change: (o: Manifest) => Manifest) => seedObjects(region).map((o) => (o.kind === 'ScrapeConfig' && o.metadata.name === 'pinecone' ? change(o) : o));
    const unselected = producedMetrics(platform, pinecone((o) => ({ ...o, metadata: { ...o.metadata, labels: {} } })));
    expect(unselected.problems).toEqual([expect.stringMatching(/^Pinecone serverless: the Prometheus does not load ScrapeConfig \S+\/pinecone$/)]);
    expect(unmatched(platform.dashboards!.queries(), unselected.produced)).toEqual([
      { dashboard: 'ai-model-performance', panel: 'Vector query latency', metric: VECTOR_INDEX_RECORDS.queryLatencyAverage },
      { dashboard: 'ai-model-performance', panel: 'Vector index size', metric: VECTOR_INDEX_RECORDS.records },
      { dashboard: 'ai-model-performance', panel: 'Vector operations', metric: VECTOR_INDEX_RECORDS.writes },
    ]);
    const dropped = producedMetrics(platform, pinecone((o) => ({
      ...o, spec: { ...o.spec, metricRelabelings: [...o.spec.metricRelabelings, { action: 'drop', sourceLabels: ['__name__'], regex: 'pinecone_db_record_total' }] },
    })));
    expect(dropped.problems).toEqual([expect.stringContaining('Pinecone serverless: pinecone_db_record_total: dropped')]);
  });

  it('rejects a recorded metric whose rule reads a metric that is not scraped', () => {
    const { platform } = seedChart(region);
    const objects = seedObjects(region).map((o) => (o.kind === 'PodMonitor' && o.metadata.name === 'inference'
      ? { ...o, spec: { ...o.spec, podMetricsEndpoints: o.spec.podMetricsEndpoints.map((e: Manifest) => ({ ...e, metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'model_request_errors_total' }] })) } }
      : o));
    const { produced, problems } = producedMetrics(platform, objects);
    expect(problems).toEqual([expect.stringContaining('seed model exporter: model_request_errors_total: dropped')]);
    // The availability SLO's 3d error ratio derives from its errors rate, which reads the dropped counter.
    expect(produced.has('slo:sli_errors:rate5m')).toBe(false);
    expect(unmatched(platform.dashboards!.queries(), produced)).toEqual(expect.arrayContaining([
      // The Model Performance panels read the error record, which reads the dropped counter.
      { dashboard: 'ai-model-performance', panel: 'Error rate', metric: MODEL_RECORDS.requestErrors },
      { dashboard: 'ai-slo-overview', panel: 'SLI error ratio', metric: 'slo:sli_error:ratio_rate3d' },
    ]));
  });

  it('accepts a built Dashboard added by a user when its metrics are produced', () => {
    const { platform } = seedChart(region);
    const { produced } = producedMetrics(platform, seedObjects(region));
    platform.dashboards!.addDashboard(new dashboard.DashboardBuilder('Capacity').uid('team-capacity')
      .withPanel(panels.graph('CPU forecast', [panels.promQuery('max(capacity:node_cpu_utilisation:predict_linear7d)')])));
    expect(unmatched(platform.dashboards!.queries(), produced)).toEqual([]);
  });
});

describe.each(SEED_REGIONS.map((r) => [r]))('platform %s with a vLLM model server instead of the seed exporter', (region: SeedRegion) => {
  const chart = newChart();
  const props = seedPlatform(region, { geoipDatabase: seedGeoIpDatabase() });
  const platform = new MonitoringPlatform(chart, 'Platform', { ...props, ai: { ...props.ai, models: [] } });
  const vllm = platform.addModelService('llm', { namespace: 'ai-serving', server: ModelServer.vllm(), selector: { 'app.kubernetes.io/name': 'vllm' } });
  const objects = synth(chart);
  const vllmPods: Exporter = {
    name: 'vLLM', metrics: 'vllm',
    target: () => ({ external: { kind: 'PodMonitor', namespace: vllm.namespace, labels: vllm.selector } }),
  };
  const { produced, problems } = producedMetrics(platform, objects, [...EXPORTERS.filter((e) => e.metrics !== 'seedModelExporter'), vllmPods]);
  const perf = platform.dashboards!.queries().filter((q) => q.dashboardUid === 'ai-model-performance');

  it('scrapes vLLM and monitors no seed exporter', () => {
    expect(problems).toEqual([]);
    expect(objects.filter((o) => o.kind === 'PrometheusRule').map((o) => o.metadata.name)).toContain('ai-model-serving-vllm');
    expect(objects.filter((o) => o.kind === 'PrometheusRule').map((o) => o.metadata.name)).not.toContain('ai-model-serving-seed');
  });

  it('produces every Model Performance panel metric, but for the panels documented as fed by other servers only', () => {
    const notVllm = Object.entries(MODEL_PERFORMANCE_PANELS).filter(([, s]) => s.modelServers && !s.modelServers.includes('vllm')).map(([t]) => t);
    expect(notVllm).toEqual(['Model memory', 'Inference latency distribution', 'Batch processing time', 'Batches per second', 'Model memory consumption']);
    for (const title of notVllm) expect(perf.find((q) => q.panel === title)).toBeDefined();
    const missing = unmatched(perf.filter((q) => !notVllm.includes(q.panel)), produced);
    if (missing.length > 0) throw new Error(report(region, missing));
    // The excepted panels really read series vLLM does not produce (the exception list is not wider than needed).
    for (const title of notVllm) expect([title, unmatched(perf.filter((q) => q.panel === title), produced).length > 0]).toEqual([title, true]);
  });

  it('fills the model variable from the vLLM series', () => {
    const model = variableMetrics(objects).filter((v) => v.dashboard === 'ai-model-performance' && v.panel === '$model variable');
    expect(model.map((v) => v.metric)).toEqual([MODEL_RECORDS.requests]);
    expect(produced.get(MODEL_RECORDS.requests)).toMatch(/\/ai-model-serving-vllm$/);
  });
});

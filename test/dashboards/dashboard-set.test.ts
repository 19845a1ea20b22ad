import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { metricNames } from '../../lib/core/promql.js';
import { SLO_RECORDS } from '../../lib/alerting/slo.js';
import { DashboardSet, DashboardSetProps, DEFAULT_SLO_WINDOWS, Grafana, panels } from '../../lib/dashboards/index.js';
import { interpolateGrafanaVariables } from '../../lib/dashboards/queries.js';
import { allAiRecords } from './ai-records.js';
import { EXPORTER_METRICS } from './exporter-metrics.js';
import { describeWithTool, promtoolCheckRules } from '../support/tools.js';
import { find, newChart, synth } from '../support/synth.js';

function setup(props: Partial<DashboardSetProps> = {}, loki = true) {
  const chart = newChart();
  const grafana = new Grafana(chart, 'Grafana', {
    prometheus: { url: 'http://thanos-query.ai-monitoring.svc:9090' },
    alertmanager: { url: 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093' },
    ...(loki ? { loki: { url: 'http://loki-gateway.logging.svc:80' } } : {}),
    rootUrl: 'https://ai-monitoring-grafana.us-east-1.example.com/',
  });
  const set = new DashboardSet(chart, 'Dashboards', { grafana, sloObjectives: { 'model-availability': 0.999, 'model-latency': 0.99 }, ...props });
  return { chart, grafana, set };
}

/**
 * Metrics the library's exporters export (names checked upstream, see exporter-metrics.ts) plus
 * the recording rules of lib/ai (as synthesized) and of the SLO construct. A panel reading
 * anything else would show "no data". platform-coverage.test.ts proves the same on the whole seed platform's synthesized chart.
 */
const KNOWN_METRICS: Record<string, readonly string[]> = {
  ...Object.fromEntries(Object.entries(EXPORTER_METRICS).map(([name, e]) => [name, e.metrics])),
  'Prometheus targets': ['up'],
  'Recording rules of lib/ai (every ModelServer preset and VectorStore kind)': allAiRecords(),
  'SLO recording rules (the Slo construct)': [
    SLO_RECORDS.budgetRemaining, SLO_RECORDS.errorBudget, ...DEFAULT_SLO_WINDOWS.map((w) => SLO_RECORDS.errorRatio(w)),
  ],
};

describe('DashboardSet (seed 3.2)', () => {
  const { chart, set } = setup();
  const objects = synth(chart);
  const byUid = Object.fromEntries(set.dashboards.map((d) => [d.uid, d]));

  it('ships the seed dashboards with their titles', () => {
    expect(set.dashboards.map((d) => [d.uid, d.title])).toEqual([
      ['ai-system-health', 'System Health Overview'],
      ['ai-model-performance', 'Model Performance Metrics'],
      ['ai-resource-utilization', 'Resource Utilization'],
      ['ai-alert-overview', 'Alert Overview'],
      ['ai-slo-overview', 'SLO Overview'],
      ['ai-logs', 'Logs'],
    ]);
  });

  it('has the panels the seed names', () => {
    expect(byUid['ai-system-health'].rows).toEqual(['Resource utilization', 'Network', 'Storage']);
    expect(byUid['ai-system-health'].panels).toEqual(expect.arrayContaining(['Node CPU busy', 'Receive bandwidth', 'Filesystem used']));
    expect(byUid['ai-model-performance'].rows).toEqual(['Inference latency', 'Batch processing', 'Errors and throughput', 'Vector store']);
    expect(byUid['ai-alert-overview'].rows).toEqual(['Active alerts', 'Alert history', 'Alert trends']);
    expect(byUid['ai-model-performance'].panels).toEqual(expect.arrayContaining(['Inference latency distribution', 'Batch processing time', 'Error rate by model', 'Throughput by model']));
    expect(byUid['ai-resource-utilization'].panels).toEqual(expect.arrayContaining(['CPU usage by pod', 'Memory working set by pod', 'GPU utilization']));
    expect(byUid['ai-alert-overview'].panels).toEqual(expect.arrayContaining(['Active alerts', 'Alert history', 'Firing alerts by severity']));
    expect(byUid['ai-slo-overview'].panels).toEqual(expect.arrayContaining(['Error budget remaining', 'SLI error ratio', 'Burn rate']));
    expect(byUid['ai-logs'].panels).toEqual(expect.arrayContaining(['Logs', 'Error logs']));
  });

  it('exposes each dashboard URL as <grafana url>/d/<uid>/<slug>', () => {
    expect(set.dashboardUrls['ai-system-health']).toBe('https://ai-monitoring-grafana.us-east-1.example.com/d/ai-system-health/system-health-overview');
    expect(set.dashboardUrls['ai-model-performance']).toBe('https://ai-monitoring-grafana.us-east-1.example.com/d/ai-model-performance/model-performance-metrics');
    expect(set.dashboardUrls['ai-alert-overview']).toBe('https://ai-monitoring-grafana.us-east-1.example.com/d/ai-alert-overview/alert-overview');
    expect(Object.keys(set.dashboardUrls)).toHaveLength(6);
  });

  it('provisions each dashboard as JSON in its own ConfigMap', () => {
    const cm = find(objects, 'ConfigMap', 'ai-monitoring-grafana-dashboard-ai-model-performance');
    const json = JSON.parse(cm.data['ai-model-performance.json']);
    expect(json).toMatchObject({ uid: 'ai-model-performance', title: 'Model Performance Metrics', tags: ['ai-monitoring'] });
    expect(json.id).toBeUndefined();
  });

  it('templates datasource, region, namespace and model', () => {
    const variables = (uid: string) => JSON.parse(find(objects, 'ConfigMap', `ai-monitoring-grafana-dashboard-${uid}`).data[`${uid}.json`])
      .templating.list.map((v: any) => `${v.name}:${v.type}`);
    expect(variables('ai-model-performance')).toEqual(['datasource:datasource', 'region:query', 'namespace:query', 'model:query', 'vector_store:query']);
    expect(variables('ai-system-health')).toEqual(['datasource:datasource', 'region:query', 'namespace:query']);
    expect(variables('ai-logs')).toEqual(['loki:datasource', 'namespace:query', 'search:textbox']);
    const perf = JSON.parse(find(objects, 'ConfigMap', 'ai-monitoring-grafana-dashboard-ai-model-performance').data['ai-model-performance.json']);
    const region = perf.templating.list.find((v: any) => v.name === 'region');
    expect(region).toMatchObject({ includeAll: true, allValue: '.*', multi: true });
    // Every panel reads the datasource variable, so one dashboard serves any Prometheus.
    const panels = perf.panels.filter((p: any) => p.type !== 'row');
    expect(new Set(panels.map((p: any) => p.datasource.uid))).toEqual(new Set(['${datasource}']));
  });

  it('draws the seed alert thresholds on the panels the alerts watch', () => {
    const perf = JSON.parse(find(objects, 'ConfigMap', 'ai-monitoring-grafana-dashboard-ai-model-performance').data['ai-model-performance.json']);
    const latency = perf.panels.find((p: any) => p.title === 'Inference latency percentiles');
    expect(latency.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 0.1, 0.2]);
  });

  it('lists every panel query; each PromQL query parses and reads a metric the platform produces', () => {
    const queries = set.queries();
    expect(queries.length).toBeGreaterThan(50);
    const known = new Set(Object.values(KNOWN_METRICS).flat());
    const unknown = queries
      .filter((q) => q.language === 'promql')
      .flatMap((q) => metricNames(interpolateGrafanaVariables(q.expr)).filter((m) => !known.has(m)).map((m) => `${q.dashboardUid} / ${q.panel}: ${m}`));
    expect(unknown).toEqual([]);
    expect(queries.filter((q) => q.language === 'logql').map((q) => q.panel)).toEqual(['Log volume by namespace', 'Error lines by namespace', 'Error logs', 'Logs']);
  });

  it('computes burn rates from the SLO objectives', () => {
    const burn = set.queries().filter((q) => q.panel === 'Burn rate');
    expect(burn).toHaveLength(7);
    expect(burn[2].expr).toBe('max by (slo) (slo:sli_error:ratio_rate1h{slo=~"$slo", region=~"$region"}) / on (slo) '
      + '(label_replace(vector(0.001), "slo", "model-availability", "", "") or label_replace(vector(0.01), "slo", "model-latency", "", ""))');
  });

  it('reads the SLO rules under the names the SLO construct records by default', () => {
    const { set: recorded } = setup({ sloObjectives: undefined });
    const slo = recorded.queries().filter((q) => q.dashboardUid === 'ai-slo-overview');
    expect(slo[0].expr).toBe('min by (slo) (slo:period_error_budget_remaining:ratio{slo=~"$slo", region=~"$region"})');
    expect(slo.find((q) => q.panel === 'Burn rate')!.expr).toBe(
      'max by (slo) (slo:sli_error:ratio_rate5m{slo=~"$slo", region=~"$region"}) / on (slo) max by (slo) (slo:error_budget:ratio{slo=~"$slo", region=~"$region"})',
    );
    expect(slo.filter((q) => q.panel === 'SLI error ratio').map((q) => q.expr.match(/ratio_rate(\w+)/)![1])).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(setup({ sloObjectives: {} }).set.queries()).toEqual(recorded.queries());
  });

  it('reads SLO rules of another tool through sloMetrics', () => {
    const { set: other } = setup({ sloObjectives: undefined, sloMetrics: { budgetRemaining: 'slo:budget_left:ratio', errorBudget: 'slo:budget:ratio' } });
    const exprs = other.queries().filter((q) => q.dashboardUid === 'ai-slo-overview').map((q) => q.expr).join('\n');
    expect(exprs).toContain('min by (slo) (slo:budget_left:ratio{');
    expect(exprs).toContain('/ on (slo) max by (slo) (slo:budget:ratio{');
    expect(exprs).not.toContain('slo:error_budget:ratio');
  });

  it('leaves out the TCP queue sizes the tcpstat collector reports as states', () => {
    expect(set.queries().find((q) => q.panel === 'TCP connections by state')!.expr)
      .toBe('sum by (state) (node_tcp_connection_states{state!~"rx_queued_bytes|tx_queued_bytes", region=~"$region"})');
  });

  it('matches the snapshot', () => {
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('ai-monitoring-grafana-dashboard-ai-'))).toMatchSnapshot();
  });
});

describe('DashboardSet.addDashboard', () => {
  it('provisions a user dashboard from a Foundation SDK builder', () => {
    const { chart, grafana, set } = setup({ builtins: ['system-health'] });
    const added = set.addDashboard(
      panels.newDashboard('team-gpu', 'Team GPU Usage', 'GPU hours by team.')
        .withPanel(panels.graph('GPU utilization by pod', [panels.promQuery('avg by (pod) (DCGM_FI_DEV_GPU_UTIL{namespace="team-a"})', '{{pod}}')])),
    );
    expect(added).toMatchObject({ uid: 'team-gpu', url: 'https://ai-monitoring-grafana.us-east-1.example.com/d/team-gpu/team-gpu-usage', panels: ['GPU utilization by pod'], rows: [], configMap: 'ai-monitoring-grafana-dashboard-team-gpu' });
    expect(set.dashboardUrls['team-gpu']).toBe(added.url);
    const objects = synth(chart);
    expect(find(objects, 'ConfigMap', 'ai-monitoring-grafana-dashboard-team-gpu').metadata.namespace).toBe(grafana.namespace);
    const sources = find(objects, 'Deployment', 'ai-monitoring-grafana').spec.template.spec.volumes.find((v: any) => v.name === 'dashboards').projected.sources;
    expect(sources.map((s: any) => s.configMap.name)).toEqual(['ai-monitoring-grafana-dashboard-ai-system-health', 'ai-monitoring-grafana-dashboard-team-gpu']);
  });

  it('accepts a built Dashboard and omits the logs dashboard without Loki', () => {
    const { set } = setup({}, false);
    expect(set.dashboards.map((d) => d.uid)).not.toContain('ai-logs');
    const built = new dashboard.DashboardBuilder('Inference Costs').uid('inference-costs')
      .withPanel(new timeseries.PanelBuilder().title('Requests').withTarget(new prometheus.DataqueryBuilder().expr('sum(rate(model_requests_total[$__rate_interval]))')))
      .build();
    expect(set.addDashboard(built).url).toBe('https://ai-monitoring-grafana.us-east-1.example.com/d/inference-costs/inference-costs');
  });
});

describe('DashboardSet bad input', () => {
  const broken = () => new dashboard.DashboardBuilder('Broken').uid('broken')
    .withPanel(new timeseries.PanelBuilder().title('Requests').withTarget(new prometheus.DataqueryBuilder().expr('sum(rate(model_requests_total[5m])')));

  it('rejects two dashboards with one uid', () => {
    const { set } = setup();
    expect(() => set.addDashboard(new dashboard.DashboardBuilder('Another Health').uid('ai-system-health')))
      .toThrow("'dashboard.uid' must be unique, got duplicate 'ai-system-health'");
  });

  it('rejects a panel query that does not parse, naming the dashboard and panel', () => {
    const { set } = setup();
    expect(() => set.addDashboard(broken())).toThrow(/'dashboards\.broken\.panels\["Requests"\]\.expr' must be a valid PromQL expression, got a syntax error at position/);
  });

  it('rejects a query that does not parse when a panel is built with the library helpers', () => {
    expect(() => panels.promQuery('rate(model_requests_total{model="a"}[5m]')).toThrow("'expr' must be a valid PromQL expression");
    expect(() => panels.promQuery('rate(model_requests_total[$window])')).toThrow("'expr' must be a valid PromQL expression");
  });

  it.each([
    [() => setup().set.addDashboard(new dashboard.DashboardBuilder('No uid')), "'dashboard.uid' must be a Grafana uid of 1 to 40 letters"],
    [() => setup().set.addDashboard(new dashboard.DashboardBuilder('Bad uid').uid('has spaces')), "'dashboard.uid' must be a Grafana uid"],
    [() => setup().set.addDashboard(new dashboard.DashboardBuilder('').uid('untitled')), "'dashboards.untitled.title' must be a non-empty title"],
    [() => setup({ builtins: ['logs'] }, false), "'builtins' must be listed only when the Grafana has a 'loki' datasource, got 'logs'"],
    [() => setup({ builtins: ['costs' as any] }), "'builtins' must be one of system-health"],
    [() => setup({ sloObjectives: { availability: 1 } }), "'sloObjectives.availability' must be a ratio strictly between 0 and 1"],
    [() => setup({ sloObjectives: { 'bad"slo': 0.99 } }), "'sloObjectives' must be an slo label value"],
    [() => setup({ sloWindows: ['1 hour'] }), "'sloWindows' must be a duration"],
    [() => setup({ sloWindows: [] }), "'sloWindows' must be at least one window"],
    [() => setup({ sloMetrics: { budgetRemaining: 'slo-budget' } }), "'sloMetrics.budgetRemaining' must be a Prometheus metric name"],
    [() => setup({ sloMetrics: { errorBudget: 'slo:error_budget:ratio' } }), "'sloObjectives' must be omitted when sloMetrics.errorBudget is recorded"],
  ])('rejects %#', (make, message) => {
    expect(make).toThrow(message);
  });
});

describeWithTool('promtool', 'dashboard queries and promtool', (promtool) => {
  it('type-checks every PromQL panel query', () => {
    const { set } = setup();
    const rules = set.queries().filter((q) => q.language === 'promql')
      .map((q, i) => ({ record: `dashboard:query_${i}:check`, expr: interpolateGrafanaVariables(q.expr) }));
    const result = promtoolCheckRules(promtool, [{ name: 'dashboard-queries', rules }]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

describe('Grafana variables in PromQL', () => {
  it.each([
    ['rate(x[$__rate_interval])', 'rate(x[5m])'],
    ['rate(x[${__interval}])', 'rate(x[5m])'],
    ['increase(x[$__range]) / $__range_s', 'increase(x[5m]) / 300'],
    ['x / $__rate_interval_ms', 'x / 300'],
    ['x{namespace=~"$namespace"}', 'x{namespace=~"$namespace"}'],
  ])('interpolates %s', (expr, expected) => {
    expect(interpolateGrafanaVariables(expr)).toBe(expected);
  });
});

import { CostMetrics, OpenCost, OpenCostSource } from '../../lib/alerting/analytics.js';
import { IMAGES } from '../../lib/core/images.js';
import { MetricsStack } from '../../lib/metrics/metrics-stack.js';
import { all, find, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

function seedCost(props: Record<string, unknown> = {}) {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const cost = new CostMetrics(chart, 'Cost', {
    name: 'cost-metrics', namespace: metrics.namespace, opencost: OpenCostSource.deploy({ prometheus: metrics }),
    monthlyBudget: 1000, serviceBudgets: { inference: 400 }, ...props,
  });
  return { chart, metrics, cost };
}

describe('CostMetrics with OpenCost', () => {
  const { chart, cost } = seedCost();
  const objects = synth(chart);

  it('deploys OpenCost securely and scrapes it every minute', () => {
    const deployment = find(objects, 'Deployment', 'opencost');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(IMAGES.opencost);
    expect(container.env).toEqual([
      { name: 'PROMETHEUS_SERVER_ENDPOINT', value: 'http://prometheus-ai-monitoring.ai-monitoring.svc:9090' },
      { name: 'CLUSTER_ID', value: 'default-cluster' },
    ]);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(container.resources.limits.memory).toBe('1Gi');
    const role = find(objects, 'ClusterRole', 'opencost');
    expect(JSON.stringify(role.rules)).not.toContain('*');
    expect(role.rules.flatMap((r: any) => r.verbs)).not.toContain('create');
    const policy = find(objects, 'NetworkPolicy', 'opencost');
    expect(policy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'ai-monitoring' });
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 9003, protocol: 'TCP' }]);
    const prometheusPolicy = find(objects, 'NetworkPolicy', 'prometheus-ai-monitoring');
    expect(prometheusPolicy.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'opencost', 'app.kubernetes.io/component': 'cost-exporter' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ai-monitoring' } } }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    });
    const monitor = find(objects, 'PodMonitor', 'opencost');
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/metrics', scheme: 'http', interval: '1m', honorLabels: true }]);
    expect(cost.source).toBeInstanceOf(OpenCost);
  });

  it('records compute, storage and network cost per service, hourly', () => {
    const [rates, budget] = cost.rules.renderGroups();
    expect([rates.interval, budget.interval]).toEqual(['5m', '1h']);
    const records = (rates.rules as Array<Record<string, any>>).filter((r) => r.record === 'cost:service_cost:hourly');
    expect(records.map((r) => [r.labels.category, r.labels.resource])).toEqual([
      ['compute', 'cpu'], ['compute', 'memory'], ['compute', 'gpu'], ['storage', 'volume'], ['network', 'egress'],
    ]);
    expect(records[0].expr).toBe('sum by (namespace) (container_cpu_allocation * on (node) group_left() avg by (node) (node_cpu_hourly_cost))');
  });

  it('alerts at 120% of the budget, on projected spend', () => {
    const alerts = (cost.rules.renderGroups()[1].rules as Array<Record<string, any>>).filter((r) => r.alert);
    expect(alerts.map((a) => [a.alert, a.expr, a.labels.budget])).toEqual([
      ['CostBudgetExceeded', 'cost:cluster_total_cost:projected_monthly > 1200', 'cluster'],
      ['CostBudgetExceeded', 'cost:service_total_cost:projected_monthly{namespace="inference"} > 480', 'inference'],
    ]);
  });

  it('matches the snapshot', () => {
    expect(objects.filter((o) => o.metadata.name?.startsWith('opencost') || o.kind === 'PrometheusRule')).toMatchSnapshot();
  });

  it('can scrape an existing OpenCost or none', () => {
    const c = newChart();
    new CostMetrics(c, 'A', { name: 'a', namespace: 'monitoring', opencost: OpenCostSource.existing({ name: 'opencost', namespace: 'opencost', selector: { app: 'opencost' }, endpoints: [{ port: 'http', honorLabels: true }] }) });
    new CostMetrics(c, 'B', { name: 'b', namespace: 'monitoring' });
    const o = synth(c);
    expect(all(o, 'PodMonitor').map((m) => m.metadata.namespace)).toEqual(['opencost']);
    expect(all(o, 'Deployment')).toHaveLength(0);
  });
});

describe('CostMetrics bad input', () => {
  const make = (props: Record<string, unknown>) => () => new CostMetrics(newChart(), 'C', { name: 'c', namespace: 'monitoring', ...props });
  it.each([
    [{ monthlyBudget: 0 }, "'monthlyBudget' must be a finite number > 0, got 0"],
    [{ monthlyBudget: -10 }, "'monthlyBudget' must be a finite number"],
    [{ serviceBudgets: { inference: -1 } }, "'serviceBudgets.inference' must be a finite number"],
    [{ budgetThresholdPercent: 0 }, "'budgetThresholdPercent' must be a finite number"],
    [{ projectionWindow: 'week' }, "'projectionWindow' must be a duration like 15s, 5m, 1h30m or 30d, got 'week'"],
    [{ serviceLabel: 'app-name' }, "'serviceLabel' must be a Prometheus label name"],
    [{ networkPricePerGib: -0.01 }, "'networkPricePerGib' must be a finite number >= 0, got -0.01"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });
  it('rejects an OpenCost without a Prometheus', () => {
    expect(() => new OpenCost(newChart(), 'O', { prometheus: undefined as any })).toThrow("'prometheus' must be a Prometheus with url");
    expect(() => new OpenCost(newChart(), 'O', { prometheus: { url: 'http://p:9090', namespace: 'monitoring', podLabels: { app: 'prometheus' } }, image: 'ghcr.io/opencost/opencost:latest' }))
      .toThrow("must be an image pinned to a version");
  });
});

describeWithTool('promtool', 'CostMetrics rules under promtool', (promtool) => {
  const groups = new CostMetrics(newChart(), 'C', { name: 'cost-metrics', namespace: 'monitoring', monthlyBudget: 1000 }).rules.renderGroups();
  const node = '{instance="10.0.0.1:9003",node="node-1"}';
  // One node; `hourly` currency per hour for the node, a pod using 2 CPUs at 0.04 and 4 GiB at 0.005.
  const series = (hourly: number) => [
    { series: `node_total_hourly_cost${node}`, values: `${hourly}+0x200` },
    { series: `node_cpu_hourly_cost${node}`, values: '0.04+0x200' },
    { series: `node_ram_hourly_cost${node}`, values: '0.005+0x200' },
    { series: 'container_cpu_allocation{namespace="inference",pod="llm-0",container="llm",node="node-1",instance="10.0.0.1:9003"}', values: '2+0x200' },
    { series: 'container_memory_allocation_bytes{namespace="inference",pod="llm-0",container="llm",node="node-1",instance="10.0.0.1:9003"}', values: `${4 * 2 ** 30}+0x200` },
  ];

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('computes hourly cost per service and alerts when projected spend passes 120% of the budget', () => {
    const alert = (groups[1].rules as Array<Record<string, any>>).find((r) => r.alert)!;
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '5m',
      tests: [
        {
          interval: '5m',
          input_series: series(2), // 2/h = 1460 a month = 146% of 1000
          promql_expr_test: [
            { expr: 'round(cost:service_total_cost:hourly, 0.0001)', eval_time: '1h', exp_samples: [{ labels: '{namespace="inference"}', value: 0.1 }] },
            { expr: 'cost:cluster_total_cost:projected_monthly', eval_time: '3h', exp_samples: [{ labels: 'cost:cluster_total_cost:projected_monthly', value: 1460 }] },
          ],
          alert_rule_test: [{
            eval_time: '3h',
            alertname: 'CostBudgetExceeded',
            exp_alerts: [{
              exp_labels: { budget: 'cluster', severity: 'warning', incident_class: 'medium' },
              exp_annotations: { ...alert.annotations, description: alert.annotations.description.replace('{{ $value | printf "%.2f" }}', '1460.00') },
            }],
          }],
        },
        {
          interval: '5m',
          input_series: series(1.5), // 1095 a month = 110%: within the threshold
          alert_rule_test: [{ eval_time: '3h', alertname: 'CostBudgetExceeded', exp_alerts: [] }],
        },
      ],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

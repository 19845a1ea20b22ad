import { PlatformComponentRules } from '../../lib/index.js';
import { metricNames } from '../../lib/core/promql.js';
import { newChart } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';
import { casesByGroup, promtoolTests, uncovered } from '../support/alert-cases.js';
import { PLATFORM_CASES } from './platform-cases.js';

const make = (props: Partial<ConstructorParameters<typeof PlatformComponentRules>[2]> = {}) => {
  const rules = new PlatformComponentRules(newChart(), 'P', { namespace: 'monitoring', alertmanagerJob: 'alertmanager-ai-monitoring', ...props });
  rules.addModelService({ name: 'inference', namespace: 'ai-serving', podLabels: { 'app.kubernetes.io/name': 'model-serving' } });
  rules.addGrafana({ job: 'monitoring/grafana', replicas: 2 }).addArgo({ workflowsJob: 'argo/argo-workflows-controller', namespace: 'incident-response' });
  return rules;
};

describe('PlatformComponentRules', () => {
  const groups = make().renderGroups();

  it('has a group per component family and a case for every alert and severity', () => {
    expect(groups.map((g: any) => g.name)).toEqual(['platform-prometheus', 'platform-operator', 'platform-thanos', 'platform-loki', 'platform-services', 'platform-keda', 'platform-alertmanager', 'platform-grafana', 'platform-argo', 'platform-model-services']);
    expect(uncovered(groups, PLATFORM_CASES)).toEqual([]);
  });

  it('reads the components\' own metric families', () => {
    const names = new Set(groups.flatMap((g: any) => g.rules.flatMap((r: any) => metricNames(r.expr))));
    const sources = [/^prometheus_(tsdb|rule_group|remote_storage|sd|target)_/, /^alertmanager_cluster_/, /^alertmanager_config_hash$/, /^prometheus_operator_/, /^kube_state_metrics_/,
      /^thanos_/, /^(http_requests_total|http_request_duration_seconds_bucket|grpc_server_handled_total)$/, /^loki_/, /^cnpg_/, /^keda_/, /^promtail_/, /^kube_pod_(labels|status_ready)$/, /^up$/,
      /^grafana_database_queries_duration_seconds_count$/, /^argo_workflows_(error_count|total_count|queue_depth_gauge)$/, /^argo_events_(events_sent_failed|action_failed|action_triggered)_total$/];
    expect([...names].filter((n) => !sources.some((s) => s.test(n)))).toEqual([]);
  });

  it('adds one alert per model service and refuses selectors kube-state-metrics does not export', () => {
    const rules = make();
    rules.addModelService({ name: 'embedder', namespace: 'ai-serving', podLabels: { app: 'embedder' } });
    const alerts = rules.renderGroups().flatMap((g: any) => g.rules).filter((r: any) => r.alert === 'ModelServiceNotRunning');
    expect(alerts.map((r: any) => r.labels.model_service)).toEqual(['inference', 'embedder']);
    expect(() => rules.addModelService({ name: 'x', namespace: 'ai-serving', podLabels: { tier: 'gpu' } })).toThrow("'modelServices.x.podLabels'");
    expect(() => rules.addModelService({ name: 'embedder', namespace: 'ai-serving', podLabels: { app: 'e' } })).toThrow("'modelServices.name'");
  });

  it('turns groups off and takes per-group options', () => {
    const g = make({ thanos: false, loki: { enabled: false }, alertmanager: { disable: ['AlertmanagerConfigInconsistent'] }, services: { thresholds: { replicationLagSeconds: 60 } } }).renderGroups();
    const names = g.map((x: any) => x.name);
    expect(names).not.toContain('platform-thanos');
    expect(names).not.toContain('platform-loki');
    const rules = g.flatMap((x: any) => x.rules);
    expect(rules.some((r: any) => r.alert === 'AlertmanagerConfigInconsistent')).toBe(false);
    expect(rules.find((r: any) => r.alert === 'PostgresReplicationLagging').expr).toContain('> 60');
    expect(() => make({ thanos: { thresholds: { nope: 1 } } })).toThrow("'thanos.thresholds.nope'");
  });

  it('watches Grafana HA peers only with more than one replica, and Argo in the response namespace unless told otherwise', () => {
    const alertsOf = (r: PlatformComponentRules, group: string): any[] => (r.renderGroups().find((g: any) => g.name === group)?.rules as any[]) ?? [];
    const single = new PlatformComponentRules(newChart(), 'P', { namespace: 'monitoring' }).addGrafana({ job: 'monitoring/grafana', replicas: 1 });
    expect(alertsOf(single, 'platform-grafana').map((r: any) => r.alert)).toEqual(['GrafanaDatabaseErrors']);
    const failed = (r: PlatformComponentRules) => alertsOf(r, 'platform-argo').find((x: any) => x.alert === 'ArgoWorkflowsFailed').expr;
    expect(failed(make())).toContain('namespace=~"incident-response"');
    const other = new PlatformComponentRules(newChart(), 'P', { namespace: 'monitoring', argo: { namespaces: ['ops'], thresholds: { queueDepth: 10 } } })
      .addArgo({ workflowsJob: 'argo/argo-workflows-controller', namespace: 'incident-response' });
    expect(failed(other)).toContain('namespace=~"ops"');
    expect(alertsOf(other, 'platform-argo').find((x: any) => x.alert === 'ArgoWorkflowsQueueBacklog').expr).toContain('> 10');
    expect(alertsOf(new PlatformComponentRules(newChart(), 'P', { namespace: 'monitoring', argo: false }).addArgo({ workflowsJob: 'argo/x', namespace: 'ir' }), 'platform-argo')).toEqual([]);
    expect(() => make().addGrafana({ job: 'monitoring/grafana', replicas: 2 })).toThrow("'grafana.job'");
    expect(() => new PlatformComponentRules(newChart(), 'P', { namespace: 'monitoring' }).addArgo({ workflowsJob: 'argo-controller', namespace: 'ir' })).toThrow("'argo.workflowsJob'");
    expect(() => new PlatformComponentRules(newChart(), 'P', { namespace: 'monitoring', grafana: { disable: ['Nope'] } }).addGrafana({ job: 'monitoring/grafana', replicas: 2 })).toThrow("'grafana.disable'");
  });
});

describeWithTool('promtool', 'PlatformComponentRules under promtool', (promtool) => {
  const groups = make().renderGroups();

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it.each(casesByGroup(groups, PLATFORM_CASES).map((x) => [x.group.name, x] as const))('%s: every alert fires for its situation and stays quiet when healthy', (_name, { group, cases }) => {
    const r = promtoolTestRules(promtool, [group], { evaluation_interval: '30s', tests: promtoolTests(cases) });
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('fails on a wrong expectation (the harness really compares labels)', () => {
    const c = PLATFORM_CASES.find((x) => x.alert === 'ModelServiceNotRunning')!;
    const [{ group }] = casesByGroup(groups, [c]);
    const r = promtoolTestRules(promtool, [group], { evaluation_interval: '30s', tests: promtoolTests([{ ...c, expect: [{ ...c.expect[0], model_service: 'other' }] }]) });
    expect(r.status).not.toBe(0);
  });
});

import { PlatformComponentRules } from '../../lib/index.js';
import { metricNames } from '../../lib/core/promql.js';
import { newChart } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';
import { casesByGroup, promtoolTests, uncovered } from '../support/alert-cases.js';
import { PLATFORM_CASES } from './platform-cases.js';

const make = (props: Partial<ConstructorParameters<typeof PlatformComponentRules>[2]> = {}) => {
  const rules = new PlatformComponentRules(newChart(), 'P', { namespace: 'monitoring', alertmanagerJob: 'alertmanager-ai-monitoring', ...props });
  rules.addModelService({ name: 'inference', namespace: 'ai-serving', podLabels: { 'app.kubernetes.io/name': 'model-serving' } });
  return rules;
};

describe('PlatformComponentRules', () => {
  const groups = make().renderGroups();

  it('has a group per component family and a case for every alert and severity', () => {
    expect(groups.map((g: any) => g.name)).toEqual(['platform-prometheus', 'platform-operator', 'platform-thanos', 'platform-loki', 'platform-services', 'platform-keda', 'platform-alertmanager', 'platform-model-services']);
    expect(uncovered(groups, PLATFORM_CASES)).toEqual([]);
  });

  it('reads the components\' own metric families', () => {
    const names = new Set(groups.flatMap((g: any) => g.rules.flatMap((r: any) => metricNames(r.expr))));
    const sources = [/^prometheus_(tsdb|rule_group|remote_storage|sd|target)_/, /^alertmanager_cluster_/, /^alertmanager_config_hash$/, /^prometheus_operator_/, /^kube_state_metrics_/,
      /^thanos_/, /^(http_requests_total|http_request_duration_seconds_bucket|grpc_server_handled_total)$/, /^loki_/, /^cnpg_/, /^keda_/, /^promtail_/, /^kube_pod_(labels|status_ready)$/, /^up$/];
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

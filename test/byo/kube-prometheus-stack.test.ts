// The README's "Add AI monitoring to an existing kube-prometheus-stack", synthesized: the chart
// must only add monitors, rules and dashboards, labelled for the stack's selectors.
import { Chart, Testing } from 'cdk8s';
import {
  AlertRules, DashboardSet, ExistingAlertmanager, ExistingGrafana, ExistingPrometheus, ModelServer, ModelServingMonitor, Receiver, seedThresholdAlerts,
} from '../../lib/index.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { synth } from '../support/synth.js';
import { describeWithTool, run, tmpDir } from '../support/tools.js';
import { KUBE_PROMETHEUS_STACK_BASE, operatorConfig } from './operator-amcfg.js';

/** The receivers that render with Secret keys of other kinds than the README's. */
const otherReceivers = () => [
  Receiver.email('tier-1', { to: 'oncall@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alertmanager', authPassword: { name: 'smtp', key: 'password' } }),
  Receiver.opsgenie('tier-2', { apiKey: { name: 'opsgenie', key: 'api-key' }, priority: 'P2' }),
  Receiver.webhook('immediate', { url: 'https://pager.example.com/hook', bearerToken: { name: 'pager', key: 'token' } }),
];

function readmeExample(chart: Chart) {
  // --- README: Add AI monitoring to an existing kube-prometheus-stack ---
  const prometheus = new ExistingPrometheus(chart, 'Prometheus', {
    namespace: 'monitoring', selectorLabels: { release: 'kube-prometheus-stack' },
  });
  const grafana = new ExistingGrafana(chart, 'Grafana', {
    namespace: 'monitoring', rootUrl: 'https://grafana.example.com', datasources: { prometheus: 'prom-main' },
  });
  new ModelServingMonitor(chart, 'Chat', { name: 'chat', namespace: 'models', scraper: prometheus, server: ModelServer.vllm() });
  new AlertRules(chart, 'Thresholds', { namespace: 'monitoring', thresholds: seedThresholdAlerts() });
  new DashboardSet(chart, 'Dashboards', { grafana });
  new ExistingAlertmanager(chart, 'Alertmanager', {
    namespace: 'monitoring', selectorLabels: { release: 'kube-prometheus-stack' },
    receivers: [
      Receiver.pagerDuty('immediate', { routingKey: { name: 'pagerduty', key: 'routing-key' } }),
      Receiver.slack('tier-2', { apiUrl: { name: 'slack', key: 'url' }, channel: '#ai-incidents' }),
      Receiver.webhook('tier-1', { urlSecret: { name: 'tickets', key: 'url' } }),
    ],
  });
  // --- end ---
}

describe('bring your own kube-prometheus-stack', () => {
  const chart = new Chart(Testing.app(), 'ai', { disableResourceNameHashes: true });
  readmeExample(chart);
  const objects = synth(chart);

  it('creates no Prometheus, Alertmanager, Grafana, namespace, RBAC or namespace-wide policy', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['AlertmanagerConfig', 'ConfigMap', 'NetworkPolicy', 'PodMonitor', 'PrometheusRule']);
    for (const p of objects.filter((o) => o.kind === 'NetworkPolicy')) {
      expect(Object.keys(p.spec.podSelector.matchLabels ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('labels monitors, rules and the AlertmanagerConfig for the stack\'s selectors', () => {
    for (const o of objects.filter((x) => ['PodMonitor', 'PrometheusRule', 'AlertmanagerConfig'].includes(x.kind))) {
      expect(o.metadata.labels.release).toBe('kube-prometheus-stack');
    }
  });

  it('writes dashboards as sidecar ConfigMaps pointing at the given datasource uid', () => {
    const maps = objects.filter((o) => o.kind === 'ConfigMap');
    expect(maps.length).toBe(5); // the built-ins without Loki
    for (const m of maps) {
      expect(m.metadata).toMatchObject({ namespace: 'monitoring', labels: { grafana_dashboard: '1' } });
      expect(m.metadata.labels.release).toBeUndefined();
      const json = JSON.parse(Object.values(m.data as Record<string, string>)[0]!);
      const ds = json.templating.list.find((v: any) => v.name === 'datasource');
      expect(ds.current.value).toBe('prom-main');
      expect(JSON.stringify(json)).not.toContain('"uid":"prometheus"');
    }
  });

  it('routes incident classes in an AlertmanagerConfig with Secret-key receivers', () => {
    const amc = objects.find((o) => o.kind === 'AlertmanagerConfig')!;
    expect(amc.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(amc.metadata).toMatchObject({ name: 'ai-monitoring', namespace: 'monitoring' });
    const m = (name: string, value: string) => ({ name, value, matchType: '=' });
    // Seed 5.1: 5m / 15m / 30m response times; group_wait /10, group_interval /5, repeat x12.
    expect(amc.spec.route).toEqual({
      receiver: 'tier-1', groupBy: ['alertname', 'region', 'cluster', 'namespace'],
      groupWait: '3m', groupInterval: '6m', repeatInterval: '6h',
      routes: [
        { receiver: 'immediate', matchers: [m('incident_class', 'critical')], groupWait: '30s', groupInterval: '1m', repeatInterval: '1h' },
        { receiver: 'tier-2', matchers: [m('incident_class', 'high')], groupWait: '1m30s', groupInterval: '3m', repeatInterval: '3h' },
        { receiver: 'tier-1', matchers: [m('incident_class', 'medium')], groupWait: '3m', groupInterval: '6m', repeatInterval: '6h' },
      ],
    });
    expect(amc.spec.inhibitRules).toEqual([{
      sourceMatch: [m('severity', 'critical')], targetMatch: [m('severity', 'warning')],
      equal: ['alertname', 'region', 'cluster', 'namespace', 'job', 'instance', 'model', 'index'],
    }]);
    expect(amc.spec.receivers).toEqual([
      { name: 'immediate', pagerdutyConfigs: [expect.objectContaining({ routingKey: { name: 'pagerduty', key: 'routing-key' }, sendResolved: true })] },
      { name: 'tier-2', slackConfigs: [{ apiURL: { name: 'slack', key: 'url' }, channel: '#ai-incidents', sendResolved: true }] },
      { name: 'tier-1', webhookConfigs: [{ urlSecret: { name: 'tickets', key: 'url' }, sendResolved: true }] },
    ]);
  });

  it('adds a Watchdog route only when asked', () => {
    const c = new Chart(Testing.app(), 'w');
    new ExistingAlertmanager(c, 'A', {
      namespace: 'monitoring', selectorLabels: { release: 'x' }, watchdogReceiver: 'dms',
      receivers: [Receiver.webhook('tier-1', { url: 'http://t.tickets.svc:8080/' }), Receiver.webhook('tier-2', { url: 'http://t.tickets.svc:8080/' }),
        Receiver.webhook('immediate', { url: 'http://t.tickets.svc:8080/' }), Receiver.none('dms')],
    });
    const amc = synth(c).find((o) => o.kind === 'AlertmanagerConfig')!;
    expect(amc.spec.route.routes[0]).toEqual({
      receiver: 'dms', matchers: [{ name: 'alertname', value: 'Watchdog', matchType: '=' }], groupWait: '0', groupInterval: '1m', repeatInterval: '1m',
    });
    expect(amc.spec.receivers[3]).toEqual({ name: 'dms' });
    expect(() => new ExistingAlertmanager(new Chart(Testing.app(), 'f'), 'A', {
      namespace: 'monitoring', selectorLabels: {}, receivers: [Receiver.none('tier-1')],
    })).toThrow(/selectorLabels/);
  });

  it('renders email, Opsgenie and bearer-token webhook receivers with Secret keys (schema-checked)', () => {
    const c = new Chart(Testing.app(), 'r');
    new ExistingAlertmanager(c, 'A', { namespace: 'monitoring', selectorLabels: { release: 'x' }, receivers: otherReceivers() });
    // synth validates the object against the AlertmanagerConfig schema, unknown fields refused.
    const amc = synth(c).find((o) => o.kind === 'AlertmanagerConfig')!;
    expect(amc.spec.receivers).toEqual([
      { name: 'tier-1', emailConfigs: [{ to: 'oncall@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', requireTLS: true,
        sendResolved: false, authUsername: 'alertmanager', authPassword: { name: 'smtp', key: 'password' } }] },
      { name: 'tier-2', opsgenieConfigs: [{ apiKey: { name: 'opsgenie', key: 'api-key' }, sendResolved: true, priority: 'P2' }] },
      { name: 'immediate', webhookConfigs: [{ url: 'https://pager.example.com/hook', sendResolved: true,
        httpConfig: { authorization: { type: 'Bearer', credentials: { name: 'pager', key: 'token' } } } }] },
    ]);
  });
});

// The routing as the operator applies it: AlertmanagerConfig `monitoring/ai-monitoring` merged
// into kube-prometheus-stack's configuration (test/byo/operator-amcfg.ts), run by amtool.
describeWithTool('amtool', 'the AlertmanagerConfig as prometheus-operator merges it', (amtool) => {
  const chart = new Chart(Testing.app(), 'ai', { disableResourceNameHashes: true });
  readmeExample(chart);
  const amc = synth(chart).filter((o) => o.kind === 'AlertmanagerConfig');
  const write = (strategy: 'OnNamespace' | 'None') => {
    const file = path.join(tmpDir('aimon-amc-'), 'alertmanager.yaml');
    fs.writeFileSync(file, stringify(operatorConfig(KUBE_PROMETHEUS_STACK_BASE, amc, strategy)));
    return file;
  };
  const onNamespace = write('OnNamespace');
  const receiver = (name: string) => `monitoring/ai-monitoring/${name}`;
  const routes = (file: string, labels: string[], expected: string) =>
    run(amtool, ['config', 'routes', 'test', `--config.file=${file}`, `--verify.receivers=${expected}`, ...labels]);

  it('loads under amtool check-config, with email, Opsgenie and bearer-token webhook receivers too', () => {
    const r = run(amtool, ['check-config', onNamespace]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
    const c = new Chart(Testing.app(), 'o');
    new ExistingAlertmanager(c, 'A', { namespace: 'monitoring', selectorLabels: { release: 'x' }, receivers: otherReceivers() });
    const file = path.join(tmpDir('aimon-amc-'), 'alertmanager.yaml');
    const cfg = operatorConfig(KUBE_PROMETHEUS_STACK_BASE, synth(c).filter((o) => o.kind === 'AlertmanagerConfig'));
    fs.writeFileSync(file, stringify(cfg));
    const other = run(amtool, ['check-config', file]);
    expect(other.output).toContain('SUCCESS');
    expect(other.status).toBe(0);
    expect(cfg.receivers.map((x: { name: string }) => x.name)).toEqual(['null', 'monitoring/ai-monitoring/tier-1', 'monitoring/ai-monitoring/tier-2', 'monitoring/ai-monitoring/immediate']);
    expect(routes(file, ['namespace=monitoring', 'incident_class=high', 'severity=critical'], receiver('tier-2')).status).toBe(0);
  });

  it.each([
    [['incident_class=critical', 'severity=critical', 'alertname=HighErrorRate'], 'immediate'],
    [['incident_class=high', 'severity=critical', 'alertname=HighInferenceLatency'], 'tier-2'],
    [['incident_class=medium', 'severity=warning', 'alertname=HighCpuUsage'], 'tier-1'],
    [['alertname=SomethingUnclassified'], 'tier-1'],
  ])('routes %p with namespace="monitoring" to the class receiver %s', (labels, name) => {
    const r = routes(onNamespace, ['namespace=monitoring', ...labels], receiver(name));
    expect(r.output).toContain(receiver(name));
    expect(r.status).toBe(0);
  });

  it('leaves an AI alert of another namespace to the stack (its null receiver), as the README warns', () => {
    const labels = ['namespace=models', 'incident_class=critical', 'severity=critical', 'alertname=HighErrorRate'];
    const r = routes(onNamespace, labels, 'null');
    expect(r.output).not.toContain('ai-monitoring/immediate');
    expect(r.status).toBe(0);
    // With the Alertmanager's alertmanagerConfigMatcherStrategy `None` it is routed.
    const none = routes(write('None'), labels, receiver('immediate'));
    expect(none.status).toBe(0);
  });

  it('still routes the stack\'s own Watchdog (vector(1): no namespace label) to its null receiver only', () => {
    const r = routes(onNamespace, ['alertname=Watchdog', 'severity=none'], 'null');
    expect(r.status).toBe(0);
  });

  it('adds the namespace matcher to the inhibit rule', () => {
    const cfg = operatorConfig(KUBE_PROMETHEUS_STACK_BASE, amc);
    expect(cfg.inhibit_rules).toEqual([{
      source_matchers: ['severity="critical"', 'namespace="monitoring"'],
      target_matchers: ['severity="warning"', 'namespace="monitoring"'],
      equal: ['alertname', 'region', 'cluster', 'namespace', 'job', 'instance', 'model', 'index'],
    }]);
  });
});

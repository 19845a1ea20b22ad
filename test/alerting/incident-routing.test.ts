import * as fs from 'node:fs';
import * as path from 'node:path';
import { MetricsStack } from '../../lib/index.js';
import { IncidentRouting, IncidentRoutingProps, Receiver, SEED_INCIDENT_CLASSES } from '../../lib/alerting/index.js';
import { all, find, newChart, synth } from '../support/synth.js';
import { describeWithTool, findLegacyAmtool, run, tmpDir } from '../support/tools.js';
import { parse } from 'yaml';

const seedReceivers = () => [
  Receiver.pagerDuty('immediate', { routingKey: { name: 'pagerduty', key: 'routing-key' } }),
  Receiver.slack('tier-2', { apiUrl: { name: 'slack-webhook', key: 'url' }, channel: '#ai-incidents' }),
  Receiver.email('tier-1', {
    to: 'oncall@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587',
    authUsername: 'alertmanager', authPassword: { name: 'smtp', key: 'password' },
  }),
  Receiver.opsgenie('opsgenie', { apiKey: { name: 'opsgenie', key: 'api-key' } }),
  Receiver.webhook('deadmansswitch', { urlSecret: { name: 'deadmansswitch', key: 'url' } }),
  Receiver.webhook('remediation', {
    url: 'http://remediation-eventsource-svc.automation.svc:12000/alerts',
    bearerToken: { name: 'remediation-token', key: 'token' },
  }),
];

function build(props: Partial<IncidentRoutingProps> = {}) {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1', nodeExporter: false, kubeStateMetrics: false, kubelet: false });
  const routing = new IncidentRouting(chart, 'Routing', {
    prometheus: metrics, receivers: seedReceivers(), watchdogReceiver: 'deadmansswitch', ...props,
  });
  return { chart, metrics, routing };
}

describe('IncidentRouting', () => {
  const { chart, routing } = build();
  routing.addRoute({ matchers: { alertname: 'HighMemoryUsage' }, receiver: 'remediation', continue: true });
  const objects = synth(chart);
  const am = find(objects, 'Alertmanager', 'ai-monitoring');
  const config = parse(find(objects, 'Secret', 'alertmanager-ai-monitoring-config').stringData['alertmanager.yaml']);

  it('runs a clustered, persistent, restricted Alertmanager', () => {
    expect(am.spec).toMatchObject({
      image: 'quay.io/prometheus/alertmanager:v0.28.1',
      version: 'v0.28.1',
      replicas: 2,
      configSecret: 'alertmanager-ai-monitoring-config',
      secrets: ['deadmansswitch', 'opsgenie', 'pagerduty', 'remediation-token', 'slack-webhook', 'smtp'],
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(am.spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe('1Gi');
    expect(am.spec.topologySpreadConstraints).toHaveLength(2);
    expect(am.spec.containers.every((c: any) => c.securityContext.readOnlyRootFilesystem && c.securityContext.capabilities.drop[0] === 'ALL')).toBe(true);
    expect(find(objects, 'PodDisruptionBudget', 'alertmanager-ai-monitoring').spec.maxUnavailable).toBe(1);
    expect(routing.url).toBe('http://alertmanager-ai-monitoring.ai-monitoring.svc:9093');
  });

  it('wires Prometheus to the Alertmanagers, with NetworkPolicy flows both ways', () => {
    expect(find(objects, 'Prometheus', 'ai-monitoring').spec.alerting.alertmanagers).toEqual([
      { namespace: 'ai-monitoring', name: 'alertmanager-ai-monitoring', port: 'web', apiVersion: 'v2' },
    ]);
    const amPolicy = find(objects, 'NetworkPolicy', 'alertmanager-ai-monitoring').spec;
    const fromPrometheus = amPolicy.ingress.find((r: any) => r.from[0].podSelector?.matchLabels['app.kubernetes.io/name'] === 'prometheus');
    expect(fromPrometheus.ports).toEqual([{ port: 9093, protocol: 'TCP' }]);
    expect(amPolicy.ingress.filter((r: any) => r.ports[0].port === 9094).map((r: any) => r.ports[0].protocol)).toEqual(['TCP', 'UDP']);
    expect(amPolicy.egress.map((r: any) => r.ports[0].port)).toEqual(expect.arrayContaining([443, 587, 12000, 9094]));
    // Prometheus may reach every pod (it scrapes them all), which covers the Alertmanager API.
    const promPolicy = find(objects, 'NetworkPolicy', 'prometheus-ai-monitoring').spec;
    expect(promPolicy.egress).toContainEqual({ to: [{ namespaceSelector: {} }] });
    expect(find(objects, 'ServiceMonitor', 'alertmanager-ai-monitoring').spec.endpoints[0].port).toBe('web');
  });

  it('routes by incident class with timings derived from the response time', () => {
    const classRoutes = config.route.routes.filter((r: any) => r.matchers[0].startsWith('incident_class'));
    expect(classRoutes).toEqual([
      { receiver: 'immediate', matchers: ['incident_class="critical"'], group_wait: '30s', group_interval: '1m', repeat_interval: '1h' },
      { receiver: 'tier-2', matchers: ['incident_class="high"'], group_wait: '1m30s', group_interval: '3m', repeat_interval: '3h' },
      { receiver: 'tier-1', matchers: ['incident_class="medium"'], group_wait: '3m', group_interval: '6m', repeat_interval: '6h' },
    ]);
    expect(config.route.receiver).toBe('tier-1');
    expect(config.route.group_by).toEqual(['alertname', 'region', 'cluster', 'namespace']);
    expect(config.route.routes[0]).toMatchObject({ receiver: 'deadmansswitch', matchers: ['alertname="Watchdog"'] });
    expect(config.route.routes[1]).toEqual({ receiver: 'remediation', matchers: ['alertname="HighMemoryUsage"'], continue: true });
    expect(routing.classes.map((c) => c.responseTime.toPrometheus())).toEqual(['5m', '15m', '30m']);
  });

  it('mutes a warning while the critical of the same alert and target fires', () => {
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ['alertname', 'region', 'cluster', 'namespace', 'job', 'instance', 'model', 'index'],
    });
  });

  it('reads every credential from a mounted Secret file', () => {
    const byName = Object.fromEntries(config.receivers.map((r: any) => [r.name, r]));
    expect(byName.immediate.pagerduty_configs[0].routing_key_file).toBe('/etc/alertmanager/secrets/pagerduty/routing-key');
    expect(byName['tier-2'].slack_configs[0].api_url_file).toBe('/etc/alertmanager/secrets/slack-webhook/url');
    expect(byName['tier-1'].email_configs[0].auth_password_file).toBe('/etc/alertmanager/secrets/smtp/password');
    expect(byName.opsgenie.opsgenie_configs[0].api_key_file).toBe('/etc/alertmanager/secrets/opsgenie/api-key');
    expect(byName.deadmansswitch.webhook_configs[0].url_file).toBe('/etc/alertmanager/secrets/deadmansswitch/url');
    expect(byName.remediation.webhook_configs[0].http_config.authorization.credentials_file).toBe('/etc/alertmanager/secrets/remediation-token/token');
  });

  it('matches the snapshot', () => {
    expect(all(objects, 'Alertmanager').concat(all(objects, 'Secret'), all(objects, 'NetworkPolicy').filter((p) => p.metadata.name.startsWith('alertmanager')))).toMatchSnapshot();
  });
});

describe('IncidentRouting without a MetricsStack', () => {
  it('allows a PodsRef in, adds a silent watchdog receiver, and keeps the image version on the CR', () => {
    const chart = newChart();
    const prometheusPods = { namespace: 'observability', podLabels: { app: 'prometheus' } };
    const routing = new IncidentRouting(chart, 'Routing', {
      namespace: 'alerting',
      prometheus: prometheusPods,
      alertmanagerVersion: 'v0.25.0',
      receivers: [Receiver.webhook('immediate', { url: 'http://pager.alerting.svc:8080/' }), Receiver.webhook('tier-2', { url: 'http://pager.alerting.svc:8080/' }), Receiver.webhook('tier-1', { url: 'http://pager.alerting.svc:8080/' })],
    });
    const objects = synth(chart);
    expect(routing.receiverNames).toEqual(['immediate', 'tier-2', 'tier-1', 'watchdog']);
    expect(parse(routing.configYaml()).receivers.find((r: any) => r.name === 'watchdog')).toEqual({ name: 'watchdog' });
    expect(find(objects, 'Alertmanager', 'ai-monitoring').spec.version).toBe('v0.28.1');
    expect(find(objects, 'NetworkPolicy', 'alertmanager-ai-monitoring').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { app: 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
      ports: [{ port: 9093, protocol: 'TCP' }],
    });
    expect(all(objects, 'ServiceMonitor')).toEqual([]);
    expect(find(objects, 'NetworkPolicy', 'alertmanager-ai-monitoring').spec.egress.filter((e: any) => e.ports[0].port === 8080)).toHaveLength(1);
  });
});

describe('IncidentRouting bad input', () => {
  it.each([
    ['an inline PagerDuty key', () => Receiver.pagerDuty('p', { routingKey: 'a1b2c3d4e5' as any }),
      "'receivers.p.routingKey' must be a Secret reference { name, key }: credentials are never written into the configuration, got '<inline string, redacted>'"],
    ['an inline Slack URL', () => Receiver.slack('s', { apiUrl: 'https://hooks.slack.com/services/T0/B0/XYZ' as any, channel: '#x' }),
      "'receivers.s.apiUrl' must be a Secret reference"],
    ['a webhook URL with a token', () => Receiver.webhook('w', { url: 'https://hooks.example.com/alert?token=abc123' }),
      "'receivers.w.url' must be a URL without credentials: put it in a Secret and use urlSecret, or bearerToken, got 'https://hooks.example.com/<redacted: a credential in the query>'"],
    ['a webhook URL with user info', () => Receiver.webhook('w', { url: 'https://user:pa55@hooks.example.com/alert' }), 'must be a URL without credentials'],
    ['a Slack URL as a plain webhook', () => Receiver.webhook('w', { url: 'https://hooks.slack.com/services/T0/B0/XYZ' }), 'must be a URL without credentials'],
    ['an inline SMTP password', () => Receiver.email('e', { to: 'a@b.c', from: 'a@b.c', smarthost: 'smtp:587', authUsername: 'u', authPassword: 'hunter2' as any }),
      "'receivers.e.authPassword' must be a Secret reference"],
    ['an inline Opsgenie key', () => Receiver.opsgenie('o', { apiKey: 'k' as any }), "'receivers.o.apiKey' must be a Secret reference"],
    ['a bad Secret name', () => Receiver.opsgenie('o', { apiKey: { name: 'Ops_Genie', key: 'k' } }), "'receivers.o.apiKey.name' must be a Kubernetes name"],
    ['a webhook with url and urlSecret', () => Receiver.webhook('w', { url: 'http://a', urlSecret: { name: 'a', key: 'b' } }), "'receivers.w.url' must be set, or urlSecret set, but not both"],
    ['a bad smarthost', () => Receiver.email('e', { to: 'a@b.c', from: 'a@b.c', smarthost: 'smtp.example.com' }), "'receivers.e.smarthost' must be an SMTP server as host:port"],
  ])('rejects %s', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('rejects a route to an unknown receiver', () => {
    const { routing } = build();
    expect(() => routing.addRoute({ matchers: { alertname: 'X' }, receiver: 'argo-events' })).toThrow(
      "'routes[0].receiver' must name a declared receiver (immediate, tier-2, tier-1, opsgenie, deadmansswitch, remediation), got 'argo-events'",
    );
    expect(() => build({ defaultReceiver: 'nobody' })).toThrow("'defaultReceiver' must name a declared receiver");
    expect(() => build({ watchdogReceiver: 'nobody' })).toThrow("'watchdogReceiver' must name a declared receiver");
  });

  it('rejects an incident class without a receiver', () => {
    expect(() => build({ receivers: [Receiver.webhook('tier-1', { url: 'http://a:80' })], watchdogReceiver: undefined })).toThrow(
      "'classes.critical.receiver' must name a declared receiver (tier-1, watchdog), got 'immediate'",
    );
    expect(() => build({ classes: { ...SEED_INCIDENT_CLASSES, high: { responseTime: '15m' } as any } })).toThrow(
      "'classes.high.receiver' must be the name of the receiver for incident class 'high', got nothing",
    );
  });

  it.each([
    [{ replicas: 1 }, "'replicas' must be an integer between 2 and 100, got 1"],
    [{ alertmanagerVersion: '0.24.0' }, "'alertmanagerVersion' must be v0.25.0 or newer"],
    [{ alertmanagerVersion: 'latest' }, "'alertmanagerVersion' must be an Alertmanager version like v0.28.1, got 'latest'"],
    [{ groupBy: ['alert-name'] }, "'groupBy[0]' must be a Prometheus label name"],
    [{ classes: { ...SEED_INCIDENT_CLASSES, critical: { responseTime: '5 min', receiver: 'immediate' } } }, "'classes.critical.responseTime' must be a duration"],
    [{ classes: { ...SEED_INCIDENT_CLASSES, medium: { responseTime: '30m', receiver: 'tier-1', repeatInterval: '1m' } } },
      "'classes.medium.repeatInterval' must be at least the groupInterval (6m), got '1m'"],
    [{ image: 'quay.io/prometheus/alertmanager:latest' }, "'image' must be an image pinned to a version"],
    [{ image: 'quay.io/prometheus/alertmanager:v0.26.0', alertmanagerVersion: 'v0.27.0' }, "'alertmanagerVersion' must be at most the image's version (v0.26.0), got 'v0.27.0'"],
    [{ secretsMountPath: 'secrets' }, "'secretsMountPath' must be an absolute path, got 'secrets'"],
  ])('rejects %p', (props, message) => {
    expect(() => build(props as Partial<IncidentRoutingProps>)).toThrow(message);
  });

  it('rejects duplicate receivers and malformed matchers', () => {
    const { routing } = build();
    expect(() => routing.addReceiver(Receiver.none('tier-1'))).toThrow("'receivers.name' must be unique among the receivers, got 'tier-1'");
    expect(() => routing.addRoute({ matchers: ['severity = critical'], receiver: 'tier-1' })).toThrow(
      "'routes[0].matchers[0]' must be a matcher like severity=\"critical\" or model=~\"llm-.*\", got 'severity = critical'",
    );
    expect(() => routing.addRoute({ matchers: { 'incident-class': 'x' }, receiver: 'tier-1' })).toThrow(/'routes\[0\].matchers.incident-class' must be a Prometheus label name/);
  });

  it('refuses webhook url_file below Alertmanager 0.26, at synth', () => {
    const { chart } = build({ alertmanagerVersion: 'v0.25.0' });
    expect(() => synth(chart)).toThrow(/'receivers.deadmansswitch.urlSecret' must be unset for Alertmanager 0.25.0: webhook url_file needs Alertmanager >= 0.26/);
  });
});

const writeConfig = (yaml: string) => {
  const file = path.join(tmpDir('aimon-am-'), 'alertmanager.yaml');
  fs.writeFileSync(file, yaml);
  return file;
};

describeWithTool('amtool', 'alertmanager.yaml under amtool', (amtool) => {
  // The configuration as shipped for the deployed Alertmanager: url_file included.
  const { routing } = build();
  routing.addRoute({ matchers: { alertname: 'HighMemoryUsage' }, receiver: 'remediation', continue: true });
  const file = writeConfig(routing.configYaml());

  it('passes amtool check-config, url_file and all', () => {
    expect(routing.configYaml()).toContain('url_file');
    const r = run(amtool, ['check-config', file]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it.each([
    [['incident_class=critical', 'severity=critical', 'alertname=DataIntegrityBreach'], 'immediate'],
    [['incident_class=high', 'severity=critical', 'alertname=HighCpuUsage'], 'tier-2'],
    [['incident_class=medium', 'severity=warning', 'alertname=HighCpuUsage'], 'tier-1'],
    [['alertname=Watchdog', 'severity=warning', 'incident_class=medium'], 'deadmansswitch'],
    [['alertname=SomethingUnclassified'], 'tier-1'],
    [['alertname=HighMemoryUsage', 'incident_class=high', 'severity=critical'], 'remediation,tier-2'],
  ])('routes %p to %s (amtool config routes test)', (labels, receiver) => {
    const r = run(amtool, ['config', 'routes', 'test', `--config.file=${file}`, `--verify.receivers=${receiver}`, ...labels]);
    expect(r.output).toContain(receiver);
    expect(r.status).toBe(0);
  });
});

// The compatibility promise of `alertmanagerVersion`: bookworm's Alertmanager 0.25 really
// rejects webhook url_file, and the configuration declared for 0.25 avoids it.
const legacyAmtool = findLegacyAmtool();
(legacyAmtool ? describe : describe.skip)('alertmanagerVersion v0.25.0 under amtool 0.25', () => {
  const amtool = legacyAmtool as string;
  const receivers = seedReceivers().filter((r) => r.name !== 'deadmansswitch');
  receivers.push(Receiver.webhook('deadmansswitch', { url: 'https://deadmansswitch.example.com/ping', bearerToken: { name: 'deadmansswitch', key: 'token' } }));

  it('passes amtool 0.25 check-config when declared for 0.25', () => {
    const { routing } = build({ alertmanagerVersion: 'v0.25.0', receivers });
    const r = run(amtool, ['check-config', writeConfig(routing.configYaml())]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('rejects the 0.26+ webhook url_file, which is why it is gated on the version', () => {
    const { routing: newer } = build({ alertmanagerVersion: 'v0.28.1' });
    const r = run(amtool, ['check-config', writeConfig(newer.configYaml())]);
    expect(r.output).toContain('field url_file not found');
    expect(r.status).not.toBe(0);
  });
});

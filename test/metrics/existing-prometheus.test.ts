import { AlertRules, ExistingPrometheus, ModelServer, ModelServingMonitor, seedThresholdAlerts } from '../../lib/index.js';
import { all, newChart, synth } from '../support/synth.js';

// The AI monitors and rules added to a kube-prometheus-stack install (Helm release
// `kube-prometheus-stack` in `monitoring`): its Prometheus selects `release: kube-prometheus-stack`.
function build() {
  const chart = newChart();
  const prometheus = new ExistingPrometheus(chart, 'Prometheus', { namespace: 'monitoring', selectorLabels: { release: 'kube-prometheus-stack' } });
  new ModelServingMonitor(chart, 'Chat', { name: 'chat', namespace: 'models', scraper: prometheus });
  new ModelServingMonitor(chart, 'Llama', { name: 'llama', namespace: 'models', scraper: prometheus, server: ModelServer.vllm() });
  new AlertRules(chart, 'Thresholds', { namespace: 'monitoring', thresholds: seedThresholdAlerts() });
  return synth(chart);
}

describe('ExistingPrometheus', () => {
  const objects = build();

  it('labels every monitor and rule with the selector of that Prometheus', () => {
    const selected = objects.filter((o) => ['PodMonitor', 'ServiceMonitor', 'PrometheusRule', 'ScrapeConfig', 'Probe'].includes(o.kind));
    expect(selected.map((o) => o.kind).sort()).toEqual(['PodMonitor', 'PodMonitor', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule']);
    for (const o of selected) expect(o.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
  });

  it('labels nothing else', () => {
    for (const o of objects.filter((x) => !['PodMonitor', 'PrometheusRule'].includes(x.kind))) expect(o.metadata.labels?.release).toBeUndefined();
  });

  it('creates no Prometheus, Alertmanager, Grafana, namespace or namespace-wide policy', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of ['Prometheus', 'Alertmanager', 'Namespace', 'Deployment', 'StatefulSet', 'DaemonSet', 'Service', 'ClusterRole']) expect(kinds).not.toContain(k);
    for (const p of all(objects, 'NetworkPolicy')) expect(p.spec.podSelector.matchLabels ?? {}).not.toEqual({});
  });

  it('lets the existing Prometheus pods scrape the model servers', () => {
    const policy = all(objects, 'NetworkPolicy').find((p) => p.metadata.namespace === 'models')!;
    expect(JSON.stringify(policy.spec.ingress)).toContain('"app.kubernetes.io/name":"prometheus"');
    expect(JSON.stringify(policy.spec.ingress)).toContain('"kubernetes.io/metadata.name":"monitoring"');
  });

  it.each([
    [{ namespace: 'monitoring' }, "'selectorLabels' must be the labels the Prometheus selects"],
    [{ namespace: 'monitoring', selectorLabels: { 'bad key!': 'x' } }, "'selectorLabels' must be a Kubernetes label key"],
    [{ namespace: 'Monitoring', selectorLabels: { release: 'x' } }, "'namespace'"],
    [{ namespace: 'monitoring', selectorLabels: { release: 'x' }, podLabels: {} }, "'podLabels' must be at least one label"],
  ])('rejects %j', (props, message) => {
    expect(() => new ExistingPrometheus(newChart(), 'P', props as never)).toThrow(message);
  });
});

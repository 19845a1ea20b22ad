// The README's "Add AI monitoring to an existing kube-prometheus-stack", synthesized: the chart
// must only add monitors, rules and dashboards, labelled for the stack's selectors.
import { Chart, Testing } from 'cdk8s';
import {
  AlertRules, DashboardSet, ExistingGrafana, ExistingPrometheus, ModelServer, ModelServingMonitor, seedThresholdAlerts,
} from '../../lib/index.js';
import { synth } from '../support/synth.js';

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
  // --- end ---
}

describe('bring your own kube-prometheus-stack', () => {
  const chart = new Chart(Testing.app(), 'ai', { disableResourceNameHashes: true });
  readmeExample(chart);
  const objects = synth(chart);

  it('creates no Prometheus, Alertmanager, Grafana, namespace, RBAC or namespace-wide policy', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ConfigMap', 'NetworkPolicy', 'PodMonitor', 'PrometheusRule']);
    for (const p of objects.filter((o) => o.kind === 'NetworkPolicy')) {
      expect(Object.keys(p.spec.podSelector.matchLabels ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('labels monitors and rules for the stack\'s selectors', () => {
    for (const o of objects.filter((x) => x.kind === 'PodMonitor' || x.kind === 'PrometheusRule')) {
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
});

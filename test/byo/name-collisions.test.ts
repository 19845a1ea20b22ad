// Coexistence: applied next to kube-prometheus or kube-prometheus-stack, the library's default
// objects must not overwrite theirs. The oracle is a hand-written list of what those two ship by
// default (read from kube-prometheus' manifests/ and the kube-prometheus-stack chart's name
// templates, release `kube-prometheus-stack` in `monitoring`), not the library's name table.
import { MonitoringPlatform, Receiver } from '../../lib/index.js';
import { seedObjects } from '../support/seed.js';
import { Manifest, newChart, synth } from '../support/synth.js';

const NS = 'monitoring';
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'APIService', 'CustomResourceDefinition', 'PriorityClass']);

/** kube-prometheus (manifests/ and manifests/setup/), every object in `monitoring` unless cluster-scoped. */
const KUBE_PROMETHEUS: Record<string, string[]> = {
  Namespace: ['monitoring'],
  ClusterRole: ['blackbox-exporter', 'kube-state-metrics', 'node-exporter', 'prometheus-adapter', 'system:aggregated-metrics-reader',
    'resource-metrics-server-resources', 'prometheus-k8s', 'prometheus-operator'],
  ClusterRoleBinding: ['blackbox-exporter', 'kube-state-metrics', 'node-exporter', 'prometheus-adapter', 'resource-metrics:system:auth-delegator',
    'prometheus-k8s', 'prometheus-operator'],
  APIService: ['v1beta1.metrics.k8s.io'],
  Alertmanager: ['main'],
  Prometheus: ['k8s'],
  Deployment: ['blackbox-exporter', 'grafana', 'kube-state-metrics', 'prometheus-adapter', 'prometheus-operator'],
  DaemonSet: ['node-exporter'],
  Service: ['alertmanager-main', 'blackbox-exporter', 'grafana', 'kube-state-metrics', 'node-exporter', 'prometheus-adapter', 'prometheus-k8s', 'prometheus-operator'],
  ServiceAccount: ['alertmanager-main', 'blackbox-exporter', 'grafana', 'kube-state-metrics', 'node-exporter', 'prometheus-adapter', 'prometheus-k8s', 'prometheus-operator'],
  ServiceMonitor: ['alertmanager-main', 'blackbox-exporter', 'grafana', 'kube-state-metrics', 'node-exporter', 'prometheus-adapter', 'prometheus-k8s',
    'prometheus-operator', 'kube-apiserver', 'coredns', 'kube-controller-manager', 'kube-scheduler', 'kubelet'],
  NetworkPolicy: ['alertmanager-main', 'blackbox-exporter', 'grafana', 'kube-state-metrics', 'node-exporter', 'prometheus-adapter', 'prometheus-k8s', 'prometheus-operator'],
  PodDisruptionBudget: ['alertmanager-main', 'prometheus-adapter', 'prometheus-k8s'],
  PrometheusRule: ['alertmanager-main-rules', 'grafana-rules', 'kube-prometheus-rules', 'kube-state-metrics-rules', 'kubernetes-monitoring-rules',
    'node-exporter-rules', 'prometheus-k8s-prometheus-rules', 'prometheus-operator-rules'],
  Secret: ['alertmanager-main', 'grafana-config', 'grafana-datasources'],
  ConfigMap: ['adapter-config', 'blackbox-exporter-configuration', 'grafana-dashboards',
    ...['alertmanager-overview', 'apiserver', 'cluster-total', 'controller-manager', 'grafana-overview', 'k8s-resources-cluster', 'k8s-resources-multicluster',
      'k8s-resources-namespace', 'k8s-resources-node', 'k8s-resources-pod', 'k8s-resources-workload', 'k8s-resources-workloads-namespace', 'kubelet',
      'namespace-by-pod', 'namespace-by-workload', 'node-cluster-rsrc-use', 'node-rsrc-use', 'nodes', 'nodes-darwin', 'persistentvolumesusage', 'pod-total',
      'prometheus-remote-write', 'prometheus', 'proxy', 'scheduler', 'workload-total'].map((d) => `grafana-dashboard-${d}`)],
  Role: ['prometheus-k8s-config', 'prometheus-k8s'],
  RoleBinding: ['prometheus-k8s-config', 'prometheus-k8s'],
};
/** kube-prometheus' Roles and RoleBindings outside `monitoring` (Prometheus reads `default` and `kube-system`). */
const KUBE_PROMETHEUS_ELSEWHERE = ['default', 'kube-system'].flatMap((ns) => ['Role', 'RoleBinding'].map((kind) => `${kind}/${ns}/prometheus-k8s`))
  .concat('RoleBinding/kube-system/resource-metrics-auth-reader');

/**
 * kube-prometheus-stack, release `kube-prometheus-stack` (fullname `kube-prometheus-stack`), its
 * subcharts (grafana, kube-state-metrics, prometheus-node-exporter) and what its operator derives
 * from the Prometheus and Alertmanager it ships.
 */
const KPS = 'kube-prometheus-stack';
const KUBE_PROMETHEUS_STACK: Record<string, string[]> = {
  ClusterRole: [`${KPS}-prometheus`, `${KPS}-operator`, `${KPS}-admission`, `${KPS}-grafana-clusterrole`, `${KPS}-kube-state-metrics`],
  ClusterRoleBinding: [`${KPS}-prometheus`, `${KPS}-operator`, `${KPS}-admission`, `${KPS}-grafana-clusterrolebinding`, `${KPS}-kube-state-metrics`],
  Prometheus: [`${KPS}-prometheus`],
  Alertmanager: [`${KPS}-alertmanager`],
  StatefulSet: [`prometheus-${KPS}-prometheus`, `alertmanager-${KPS}-alertmanager`],
  Deployment: [`${KPS}-operator`, `${KPS}-grafana`, `${KPS}-kube-state-metrics`],
  DaemonSet: [`${KPS}-prometheus-node-exporter`],
  Service: [`${KPS}-prometheus`, `${KPS}-alertmanager`, `${KPS}-operator`, `${KPS}-grafana`, `${KPS}-kube-state-metrics`, `${KPS}-prometheus-node-exporter`,
    'prometheus-operated', 'alertmanager-operated'],
  ServiceAccount: [`${KPS}-prometheus`, `${KPS}-alertmanager`, `${KPS}-operator`, `${KPS}-grafana`, `${KPS}-kube-state-metrics`, `${KPS}-prometheus-node-exporter`,
    `${KPS}-admission`],
  ServiceMonitor: [`${KPS}-prometheus`, `${KPS}-alertmanager`, `${KPS}-operator`, `${KPS}-grafana`, `${KPS}-kube-state-metrics`, `${KPS}-prometheus-node-exporter`,
    `${KPS}-apiserver`, `${KPS}-coredns`, `${KPS}-kube-controller-manager`, `${KPS}-kube-etcd`, `${KPS}-kube-proxy`, `${KPS}-kube-scheduler`, `${KPS}-kubelet`],
  Secret: [`alertmanager-${KPS}-alertmanager`, `${KPS}-grafana`, `prometheus-${KPS}-prometheus`, `alertmanager-${KPS}-alertmanager-generated`],
  ConfigMap: [`${KPS}-grafana`, `${KPS}-grafana-datasource`, `${KPS}-grafana-config-dashboards`, `prometheus-${KPS}-prometheus-rulefiles-0`],
  Role: [`${KPS}-grafana`],
  RoleBinding: [`${KPS}-grafana`],
  PrometheusRule: ['alertmanager.rules', 'config-reloaders', 'general.rules', 'k8s.rules.container-cpu-usage-seconds-total', 'kube-apiserver-availability.rules',
    'kube-state-metrics', 'kubelet.rules', 'kubernetes-apps', 'kubernetes-resources', 'kubernetes-storage', 'kubernetes-system', 'node-exporter',
    'node-exporter.rules', 'node.rules', 'prometheus', 'prometheus-operator'].map((g) => `${KPS}-${g}`),
};

function keys(table: Record<string, string[]>): string[] {
  return Object.entries(table).flatMap(([kind, names]) => names.map((n) => (CLUSTER_SCOPED.has(kind) ? `${kind}/${n}` : `${kind}/${NS}/${n}`)));
}
const THEIRS = new Set([...keys(KUBE_PROMETHEUS), ...KUBE_PROMETHEUS_ELSEWHERE, ...keys(KUBE_PROMETHEUS_STACK)]);

const key = (o: Manifest) => (CLUSTER_SCOPED.has(o.kind) ? `${o.kind}/${o.metadata.name}` : `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
const clashes = (objects: Manifest[]) => [...new Set(objects.map(key).filter((k) => THEIRS.has(k)))];

/** A MonitoringPlatform with every deploying part at its defaults. */
function platformDefaults(): Manifest[] {
  const chart = newChart();
  new MonitoringPlatform(chart, 'Platform', {
    metrics: { region: 'us-east-1' },
    alerting: { receivers: ['immediate', 'tier-2', 'tier-1'].map((r) => Receiver.webhook(r, { url: 'http://tickets.tickets.svc:8080/' })) },
    grafana: {},
  });
  return synth(chart);
}

describe('default names next to kube-prometheus and kube-prometheus-stack', () => {
  it.each(['us-east-1', 'eu-west-1'] as const)('the seed platform (%s) writes none of their objects', (region) => {
    expect(clashes(seedObjects(region))).toEqual([]);
  });

  it('a MonitoringPlatform at its defaults writes none of their objects', () => {
    const objects = platformDefaults();
    // The parts whose names kube-prometheus also uses are all there, so the check means something.
    for (const kind of ['Prometheus', 'Alertmanager', 'ClusterRole', 'DaemonSet', 'Deployment', 'ServiceMonitor', 'PodMonitor', 'Secret', 'ConfigMap']) {
      expect(objects.some((o) => o.kind === kind)).toBe(true);
    }
    expect(clashes(objects)).toEqual([]);
  });

  it('would catch a clash: the list holds the names the library used to default to', () => {
    const old: Manifest[] = [
      { kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'monitoring' } },
      { kind: 'ClusterRole', metadata: { name: 'kube-state-metrics' } },
      { kind: 'Namespace', metadata: { name: 'monitoring' } },
    ];
    expect(clashes(old)).toHaveLength(3);
  });
});

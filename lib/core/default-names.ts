/**
 * Default names of the objects whose kind kube-prometheus or kube-prometheus-stack also ship
 * (Prometheus `k8s`, Alertmanager `main`, `grafana`, `kube-state-metrics`, `node-exporter`, the
 * `kubelet` ServiceMonitor, and their ServiceAccounts, ClusterRoles, Services, policies).
 * Every one is the library's own: the Prometheus and Alertmanager objects are `ai-monitoring`
 * (so the operator's `prometheus-ai-monitoring` / `alertmanager-ai-monitoring` and the
 * library's derived objects follow its `<kind>-<name>` convention), every other object is
 * prefixed `ai-monitoring-`, and they live in the namespace `ai-monitoring`. Applied next to
 * either stack, nothing of theirs is overwritten and no selector of ours matches their pods;
 * test/byo/name-collisions.test.ts holds the list of their objects and fails on any clash.
 */
export const DEFAULT_NAMES = {
  /**
   * Namespace of Prometheus, Alertmanager and Grafana: not `monitoring`, kube-prometheus's
   * Namespace and kube-prometheus-stack's usual release namespace, which the library would
   * otherwise label `restricted` and close with its default-deny policy.
   */
  namespace: 'ai-monitoring',
  prometheus: 'ai-monitoring',
  alertmanager: 'ai-monitoring',
  alertmanagerConfig: 'ai-monitoring',
  grafana: 'ai-monitoring-grafana',
  kubeStateMetrics: 'ai-monitoring-kube-state-metrics',
  nodeExporter: 'ai-monitoring-node-exporter',
  kubeletMonitor: 'ai-monitoring-kubelet',
  apiServerMonitor: 'ai-monitoring-apiserver',
  operatorMonitor: 'ai-monitoring-prometheus-operator',
  /** Prefix of the ConfigMaps a DashboardSet writes for an existing Grafana's sidecar. */
  existingGrafanaPrefix: 'ai-monitoring',
} as const;

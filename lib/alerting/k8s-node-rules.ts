import { FamilyAlert, maxBy, RuleFamily } from './rule-family.js';

// Nodes from kube-state-metrics (`kube_node_*`, label node) and the kubelet's own /metrics
// (scraped by KubeletMonitor: job "kubelet", metrics_path "/metrics", instance = the node's
// kubelet endpoint). Nodes are cluster-scoped: the group's namespace options do not apply.

const KUBELET = 'job="kubelet",metrics_path="/metrics"';
const NODE = 'Node {{ $labels.node }}';

/** A kubelet certificate that expires soon: warning under `warnDays`, critical under `critDays`. */
function certificate(alert: string, metric: string, which: string): FamilyAlert[] {
  return (['warning', 'critical'] as const).map((severity) => ({
    alert, severity, category: 'security' as const, for: '5m',
    expr: (c) => `${maxBy('instance', `${metric}{${KUBELET}}`)} < ${c.t[severity === 'warning' ? 'certificateWarningDays' : 'certificateCriticalDays'] * 86400}`,
    summary: `Kubelet ${which} certificate of {{ $labels.instance }} expires soon`,
    description: `The kubelet ${which} certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }} and has not been renewed.`,
  }));
}

export const NODE_RULES: RuleFamily = {
  group: 'kubernetes-nodes',
  thresholds: {
    podsPercent: 95,
    flapChanges: 2,
    plegP99Seconds: 10,
    podStartP99Seconds: 60,
    certificateWarningDays: 7,
    certificateCriticalDays: 1,
  },
  alerts: [
    { alert: 'KubeNodeNotReady', severity: 'critical', for: '10m',
      expr: () => `${maxBy('node', 'kube_node_status_condition{condition="Ready",status="true"}')} == 0`,
      summary: `${NODE} is not ready`,
      description: `${NODE} has not been Ready for 10 minutes: its pods (and GPUs) are lost to the cluster.` },
    { alert: 'KubeNodeUnreachable', severity: 'warning', for: '15m',
      expr: () => `${maxBy('node', 'kube_node_spec_taint{key="node.kubernetes.io/unreachable",effect="NoSchedule"}')} == 1`,
      summary: `${NODE} is unreachable`,
      description: `${NODE} has carried the node.kubernetes.io/unreachable taint for 15 minutes: the control plane cannot reach its kubelet.` },
    { alert: 'KubeNodePressure', severity: 'warning', for: '10m',
      expr: () => `${maxBy('node, condition', 'kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"}')} == 1`,
      summary: `${NODE} is under {{ $labels.condition }}`,
      description: `${NODE} has reported {{ $labels.condition }} for 10 minutes: the kubelet evicts pods and refuses new ones.` },
    { alert: 'KubeNodeFlapping', severity: 'warning', for: '15m',
      expr: (c) => `${maxBy('node', 'changes(kube_node_status_condition{condition="Ready",status="true"}[15m])')} > ${c.t.flapChanges}`,
      summary: `${NODE} is flapping between Ready and NotReady`,
      description: `${NODE} changed its Ready condition {{ $value }} times in 15 minutes.` },
    { alert: 'KubeletDown', severity: 'critical', category: 'outage', for: '15m',
      expr: () => `(${maxBy('instance', `up{${KUBELET}}`)} == 0) or absent(up{${KUBELET}})`,
      summary: 'Kubelet {{ $labels.instance }} is not scraped',
      description: 'Prometheus has not scraped the kubelet {{ $labels.instance }} for 15 minutes (or finds no kubelet at all): node, container and volume metrics and their alerts are missing.' },
    { alert: 'KubeletTooManyPods', severity: 'warning', for: '15m',
      expr: (c) => `count by (node) (max by (namespace, pod, node) (kube_pod_info{node!=""}) and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1)) / ${maxBy('node', 'kube_node_status_capacity{resource="pods"}')} * 100 > ${c.t.podsPercent}`,
      summary: `${NODE} runs nearly as many pods as it can`,
      description: `${NODE} runs {{ printf "%.0f" $value }}% of its pod capacity: new pods will not fit.` },
    { alert: 'KubeletPlegDurationHigh', severity: 'warning', for: '5m',
      expr: (c) => `histogram_quantile(0.99, sum by (instance, le) (rate(kubelet_pleg_relist_duration_seconds_bucket{${KUBELET}}[5m]))) >= ${c.t.plegP99Seconds}`,
      summary: 'Kubelet {{ $labels.instance }} relists pods slowly (PLEG)',
      description: 'The p99 of the kubelet pod lifecycle event generator relist on {{ $labels.instance }} is {{ $value | humanizeDuration }}: the node is about to turn NotReady.' },
    // The SLI histogram excludes image pulls: large model images do not count as slow starts.
    { alert: 'KubeletPodStartUpLatencyHigh', severity: 'warning', for: '15m',
      expr: (c) => `histogram_quantile(0.99, sum by (instance, le) (rate(kubelet_pod_start_sli_duration_seconds_bucket{${KUBELET}}[5m]))) > ${c.t.podStartP99Seconds}`,
      summary: 'Pods start slowly on {{ $labels.instance }}',
      description: 'The p99 pod start-up time on {{ $labels.instance }}, image pulls excluded, is {{ $value | humanizeDuration }}.' },
    ...certificate('KubeletClientCertificateExpiration', 'kubelet_certificate_manager_client_ttl_seconds', 'client'),
    ...certificate('KubeletServerCertificateExpiration', 'kubelet_certificate_manager_server_ttl_seconds', 'server'),
    { alert: 'KubeletCertificateRenewalErrors', severity: 'warning', for: '15m',
      expr: () => `${maxBy('instance', `increase(kubelet_certificate_manager_client_expiration_renew_errors{${KUBELET}}[5m])`)} > 0 or ${maxBy('instance', `increase(kubelet_server_expiration_renew_errors{${KUBELET}}[5m])`)} > 0`,
      summary: 'Kubelet {{ $labels.instance }} fails to renew its certificates',
      description: 'The kubelet on {{ $labels.instance }} failed {{ $value | humanize }} certificate renewals in 5 minutes.' },
  ],
};

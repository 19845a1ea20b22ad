import { FamilyAlert, maxBy, RuleFamily } from './rule-family.js';

// Services the platform runs beside its monitoring core: Grafana's PostgreSQL (CloudNativePG
// 1.27 exporter), the log agent (Grafana Alloy v1.10 `loki.write`, or Promtail 3.5) and the model services, whose pods are read from kube-state-metrics (not from `up`: a Pending
// pod has no target).

const warn = (alert: string, forDuration: string, expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'warning', for: forDuration, expr, summary, description });

export const SERVICES_RULES: RuleFamily = {
  group: 'platform-services',
  thresholds: { replicationLagSeconds: 300 },
  alerts: [
    { alert: 'PostgresInstanceDown', severity: 'critical', category: 'outage', for: '5m',
      expr: () => `${maxBy('namespace, pod', 'cnpg_collector_up')} == 0`,
      summary: 'PostgreSQL instance {{ $labels.namespace }}/{{ $labels.pod }} is down',
      description: 'The CloudNativePG exporter of {{ $labels.namespace }}/{{ $labels.pod }} cannot reach PostgreSQL: Grafana loses its shared database if it is the primary.' },
    warn('PostgresReplicationLagging', '10m', (c) => `${maxBy('namespace, pod', 'cnpg_pg_replication_lag')} > ${c.t.replicationLagSeconds}`,
      'PostgreSQL standby {{ $labels.namespace }}/{{ $labels.pod }} lags',
      'Standby {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value | humanizeDuration }} behind the primary: a failover would lose recent writes.'),
    warn('LogAgentDroppingLogs', '15m', () => `${maxBy('namespace, pod', 'increase(loki_write_dropped_entries_total[5m])')} > 0 or ${maxBy('namespace, pod', 'increase(promtail_dropped_entries_total[5m])')} > 0`,
      'Log agent {{ $labels.pod }} drops log lines',
      'Log agent {{ $labels.namespace }}/{{ $labels.pod }} dropped {{ $value | humanize }} entries in 5 minutes after its retries to Loki ran out.'),
    warn('LogAgentSendErrors', '15m', () => `${maxBy('namespace, pod', 'rate(loki_write_request_duration_seconds_count{status_code!~"2.."}[5m])')} > 0 or ${maxBy('namespace, pod', 'rate(promtail_request_duration_seconds_count{status_code!~"2.."}[5m])')} > 0`,
      'Log agent {{ $labels.pod }} fails to send to Loki',
      'Log agent {{ $labels.namespace }}/{{ $labels.pod }} gets errors from Loki ({{ $value | humanize }} per second): lines are retried and may be dropped.'),
  ],
};

/** KEDA 2.21 (pkg/metricscollector): errors of the ScaledObjects' triggers, read from the operator. */
export const KEDA_RULES: RuleFamily = {
  group: 'platform-keda',
  thresholds: {},
  alerts: [
    warn('KedaScaledObjectErrors', '10m', () => `${maxBy('namespace, scaledObject', 'increase(keda_scaled_object_errors_total[5m])')} > 0`,
      'KEDA fails to scale {{ $labels.namespace }}/{{ $labels.scaledObject }}',
      'KEDA hit {{ $value | humanize }} errors in 5 minutes reading the triggers of ScaledObject {{ $labels.namespace }}/{{ $labels.scaledObject }}: automated scaling is frozen.'),
  ],
};

/** A model service selected by pod labels that kube-state-metrics exports (`--metric-labels-allowlist`). */
export interface ModelServiceSelector {
  readonly name: string;
  readonly namespace: string;
  /** Pod labels, each among kube-state-metrics' allowlisted pod labels. */
  readonly podLabels: Record<string, string>;
}

/** kube-state-metrics' name for a pod label (`app.kubernetes.io/name` -> `label_app_kubernetes_io_name`). */
export const ksmLabel = (key: string) => `label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;

/** One critical alert per model service: no ready pod (0 available, Pending, crash looping or gone). */
export function modelServiceRules(services: ModelServiceSelector[]): RuleFamily {
  return {
    group: 'platform-model-services',
    thresholds: {},
    alerts: services.map((s): FamilyAlert => {
      const labels = [`namespace="${s.namespace}"`, ...Object.entries(s.podLabels).map(([k, v]) => `${ksmLabel(k)}="${v}"`)].join(',');
      return {
        alert: 'ModelServiceNotRunning', severity: 'critical', category: 'outage', for: '5m',
        labels: { model_service: s.name },
        expr: () => `(sum(max by (namespace, pod) (kube_pod_status_ready{namespace="${s.namespace}",condition="true"}) and on (namespace, pod) max by (namespace, pod) (kube_pod_labels{${labels}})) < 1) or absent(kube_pod_labels{${labels}})`,
        summary: `Model service ${s.name} has no ready pod`,
        description: `No pod of model service ${s.name} in ${s.namespace} has been ready for 5 minutes (scaled to 0, Pending, crash looping or deleted): inference is down.`,
      };
    }),
  };
}

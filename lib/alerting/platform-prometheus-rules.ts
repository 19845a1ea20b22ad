import { FamilyAlert, maxBy, RuleFamily } from './rule-family.js';

// Prometheus 3.5 and Alertmanager 0.28 (names read from the deployed binaries' /metrics),
// prometheus-operator v0.86 (pkg/operator metrics) and kube-state-metrics v2.15 telemetry.
// These extend SelfMonitoringRules (targets, rule failures, notifications, TSDB, reloads).

const PROM = 'namespace, pod';
const warn = (alert: string, forDuration: string, expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'warning', for: forDuration, expr, summary, description });
const crit = (alert: string, forDuration: string, category: FamilyAlert['category'], expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'critical', category, for: forDuration, expr, summary, description });

export const PROMETHEUS_RULES: RuleFamily = {
  group: 'platform-prometheus',
  thresholds: { remoteWriteBehindSeconds: 120, remoteWriteFailedRatio: 0.01 },
  alerts: [
    crit('PrometheusNotIngestingSamples', '10m', 'outage', () => `${maxBy(PROM, 'rate(prometheus_tsdb_head_samples_appended_total[5m])')} <= 0`,
      'Prometheus {{ $labels.namespace }}/{{ $labels.pod }} ingests no samples',
      'Prometheus {{ $labels.namespace }}/{{ $labels.pod }} has appended no sample for 10 minutes: nothing is scraped or recorded.'),
    warn('PrometheusMissingRuleEvaluations', '15m', () => `${maxBy(`${PROM}, rule_group`, 'increase(prometheus_rule_group_iterations_missed_total[5m])')} > 0`,
      'Prometheus {{ $labels.pod }} skips evaluations of {{ $labels.rule_group }}',
      'Rule group {{ $labels.rule_group }} takes longer than its interval: {{ $value | humanize }} evaluations were skipped in 5 minutes.'),
    crit('PrometheusRemoteWriteFailing', '15m', 'data-integrity', (c) => `${maxBy(`${PROM}, remote_name, url`, 'rate(prometheus_remote_storage_samples_failed_total[5m]) / (rate(prometheus_remote_storage_samples_failed_total[5m]) + rate(prometheus_remote_storage_samples_total[5m]))')} > ${c.t.remoteWriteFailedRatio}`,
      'Prometheus {{ $labels.pod }} fails to remote-write to {{ $labels.remote_name }}',
      '{{ $value | humanizePercentage }} of the samples sent to {{ $labels.remote_name }} ({{ $labels.url }}) failed: the replica region loses data.'),
    warn('PrometheusRemoteWriteBehind', '15m', (c) => `${maxBy(`${PROM}`, 'prometheus_remote_storage_highest_timestamp_in_seconds')} - on (${PROM}) group_right() ${maxBy(`${PROM}, remote_name, url`, 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds')} > ${c.t.remoteWriteBehindSeconds}`,
      'Remote write of Prometheus {{ $labels.pod }} to {{ $labels.remote_name }} is behind',
      'Remote write to {{ $labels.remote_name }} is {{ $value | humanizeDuration }} behind the newest sample.'),
    warn('PrometheusServiceDiscoveryFailing', '15m', () => `${maxBy(`${PROM}, role`, 'increase(prometheus_sd_kubernetes_failures_total[5m])')} > 0 or ${maxBy(PROM, 'prometheus_sd_failed_configs')} > 0`,
      'Prometheus {{ $labels.pod }} fails to discover targets',
      'Kubernetes service discovery of Prometheus {{ $labels.namespace }}/{{ $labels.pod }} fails: new or moved targets are not scraped.'),
    warn('PrometheusTargetSyncFailing', '15m', () => `${maxBy(`${PROM}, scrape_job`, 'increase(prometheus_target_sync_failed_total[5m])')} > 0`,
      'Prometheus {{ $labels.pod }} fails to sync targets of {{ $labels.scrape_job }}',
      'Scrape pool {{ $labels.scrape_job }} could not be synced with its discovered targets.'),
    warn('PrometheusScrapeLimitsHit', '15m', () => `${maxBy(PROM, 'increase(prometheus_target_scrapes_exceeded_sample_limit_total[5m]) + increase(prometheus_target_scrape_pool_exceeded_label_limits_total[5m]) + increase(prometheus_target_scrape_pool_exceeded_target_limit_total[5m]) + increase(prometheus_target_scrapes_exceeded_body_size_limit_total[5m])')} > 0`,
      'Prometheus {{ $labels.pod }} drops scrapes over their limits',
      '{{ $value | humanize }} scrapes or targets exceeded a sample, label, target or body-size limit in 5 minutes: their series are missing.'),
  ],
};

export const ALERTMANAGER_GROUP = 'platform-alertmanager';

/** Alertmanager cluster health; `job` is the Alertmanager Service's name. */
export function alertmanagerRules(job: string): RuleFamily {
  const sel = (metric: string) => `${metric}{job="${job}"}`;
  return {
    group: ALERTMANAGER_GROUP,
    thresholds: {},
    alerts: [
      crit('AlertmanagerClusterDown', '5m', 'outage', () => `sum by (namespace) (${sel('up')}) / count by (namespace) (${sel('up')}) <= 0.5`,
        'Half or more of the Alertmanager cluster is down',
        'Only {{ $value | humanizePercentage }} of the Alertmanager replicas in {{ $labels.namespace }} are up: notifications and silences depend on the rest.'),
      crit('AlertmanagerClusterFailedPeers', '10m', 'outage', () => `${maxBy('namespace, pod', sel('alertmanager_cluster_failed_peers'))} > 0`,
        'Alertmanager {{ $labels.pod }} has failed peers',
        'Alertmanager {{ $labels.namespace }}/{{ $labels.pod }} cannot reach {{ $value }} peer(s): the cluster may be split and notify twice.'),
      crit('AlertmanagerClusterMembersInconsistent', '15m', 'outage', () => `${maxBy('namespace, pod', sel('alertmanager_cluster_members'))} < on (namespace) group_left() count by (namespace) (${sel('alertmanager_cluster_members')})`,
        'Alertmanager {{ $labels.pod }} does not see every peer',
        'Alertmanager {{ $labels.namespace }}/{{ $labels.pod }} sees {{ $value }} cluster member(s), fewer than the replicas scraped: a split brain.'),
      warn('AlertmanagerConfigInconsistent', '15m', () => `count by (namespace) (count_values by (namespace) ("hash", ${sel('alertmanager_config_hash')})) > 1`,
        'Alertmanager replicas in {{ $labels.namespace }} run different configurations',
        '{{ $value }} different configurations run in the Alertmanager cluster of {{ $labels.namespace }}: routing depends on the replica.'),
    ],
  };
}

export const OPERATOR_RULES: RuleFamily = {
  group: 'platform-operator',
  thresholds: {},
  alerts: [
    warn('PrometheusOperatorReconcileErrors', '10m', () => `${maxBy('namespace, controller', 'increase(prometheus_operator_reconcile_errors_total[5m])')} > 0`,
      'prometheus-operator fails to reconcile {{ $labels.controller }}',
      'The {{ $labels.controller }} controller of prometheus-operator failed {{ $value | humanize }} reconciliations in 5 minutes: changes to Prometheus, Alertmanager or their configuration are not applied.'),
    warn('PrometheusOperatorListWatchErrors', '15m', () => `${maxBy('namespace, controller', 'increase(prometheus_operator_list_operations_failed_total[5m]) + increase(prometheus_operator_watch_operations_failed_total[5m])')} > 0`,
      'prometheus-operator fails to list or watch objects ({{ $labels.controller }})',
      'The {{ $labels.controller }} controller of prometheus-operator cannot list or watch its objects (RBAC or API server trouble).'),
    warn('PrometheusOperatorSyncFailed', '10m', () => `${maxBy('namespace, controller', 'prometheus_operator_syncs{status="failed"}')} > 0`,
      'prometheus-operator cannot sync {{ $value }} object(s) ({{ $labels.controller }})',
      '{{ $value }} object(s) of the {{ $labels.controller }} controller are in a failed sync state.'),
    warn('PrometheusOperatorRejectedResources', '5m', () => `${maxBy('namespace, controller, resource', 'min_over_time(prometheus_operator_managed_resources{state="rejected"}[5m])')} > 0`,
      'prometheus-operator rejects {{ $value }} {{ $labels.resource }}(s)',
      '{{ $value }} {{ $labels.resource }} object(s) were rejected by prometheus-operator (invalid spec): their scrape or rules are not loaded.'),
    warn('PrometheusOperatorNotReady', '5m', () => `${maxBy('namespace, controller', 'min_over_time(prometheus_operator_ready[5m])')} == 0`,
      'prometheus-operator controller {{ $labels.controller }} is not ready',
      'The {{ $labels.controller }} controller of prometheus-operator has not been ready for 5 minutes.'),
    warn('KubeStateMetricsListErrors', '15m', () => `${maxBy('resource', '(increase(kube_state_metrics_list_total{result="error"}[5m]) + increase(kube_state_metrics_watch_total{result="error"}[5m]))')} > 0`,
      'kube-state-metrics fails to list or watch {{ $labels.resource }}',
      'kube-state-metrics cannot list or watch {{ $labels.resource }} (RBAC or API server trouble): the Kubernetes alerts on these objects are blind.'),
  ],
};

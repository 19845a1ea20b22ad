// Hand-written promtool cases for every PlatformComponentRules alert (see test/support/alert-cases.ts).
import { AlertCase, critical, warning } from '../support/alert-cases.js';

const N = 200; // 50 minutes at 15s
const flat = (v: number) => `${v}x${N}`;
const inc = (step: number) => `0+${step}x${N}`;
const PROM = 'job="prometheus-ai-monitoring",namespace="ai-monitoring",pod="prometheus-ai-monitoring-0",instance="10.0.3.4:9090"';
const promL = { namespace: 'ai-monitoring', pod: 'prometheus-ai-monitoring-0' };
const RW = `${PROM},remote_name="thanos-receive",url="https://thanos-receive.eu-west-1.monitoring.internal/api/v1/receive"`;
const rwL = { ...promL, remote_name: 'thanos-receive', url: 'https://thanos-receive.eu-west-1.monitoring.internal/api/v1/receive' };
const AM = (pod: string) => `job="alertmanager-ai-monitoring",namespace="ai-monitoring",pod="${pod}",instance="${pod}:9093"`;
const OP = 'job="default/prometheus-operator",namespace="default",pod="prometheus-operator-7d9",controller="prometheus"';
const opL = { namespace: 'default', controller: 'prometheus' };
const KSM = 'job="kube-state-metrics",instance="10.0.1.5:8081",resource="pods"';
const T = (component: string) => `job="ai-monitoring/thanos-${component}",namespace="ai-monitoring",pod="thanos-${component}-0"`;
const LOKI = 'job="loki",namespace="logging",pod="loki-write-0"';
const PG = 'job="ai-monitoring/ai-monitoring-grafana-db",namespace="ai-monitoring",pod="ai-monitoring-grafana-db-2"';
const pgL = { namespace: 'ai-monitoring', pod: 'ai-monitoring-grafana-db-2' };
const AGENT = 'job="monitoring-agents/alloy",namespace="monitoring-agents",pod="alloy-x7k"';
const agentL = { namespace: 'monitoring-agents', pod: 'alloy-x7k' };

const GF = (pod: string) => `job="monitoring/grafana",namespace="monitoring",pod="${pod}",instance="${pod}:3000"`;
const gfL = (pod: string) => ({ namespace: 'monitoring', pod });
const WFC = 'job="argo/argo-workflows-controller",pod="argo-workflows-workflow-controller-5d8",instance="10.0.4.2:9090"';
const ES = 'job="incident-response/alertmanager-eventsource",namespace="incident-response",pod="alertmanager-eventsource-7k2",eventsource_name="alertmanager",event_name="alerts"';
const SENSOR = 'job="incident-response/sensors",namespace="incident-response",pod="high-latency-sensor-x9",sensor_name="high-latency",trigger_name="remediate"';
const sensorL = { namespace: 'incident-response', sensor_name: 'high-latency', trigger_name: 'remediate' };

/** Counters `ok` and `bad` per step of one metric split by a label. */
const split = (metric: string, labels: string, label: string, bad: string, good: string, badStep: number, goodStep: number) => ({
  [`${metric}{${labels},${label}="${bad}"}`]: inc(badStep), [`${metric}{${labels},${label}="${good}"}`]: inc(goodStep),
});

export const PLATFORM_CASES: AlertCase[] = [
  // --- Prometheus
  { alert: 'PrometheusNotIngestingSamples', at: '20m',
    fire: { [`prometheus_tsdb_head_samples_appended_total{${PROM},type="float"}`]: flat(1000) },
    quiet: { [`prometheus_tsdb_head_samples_appended_total{${PROM},type="float"}`]: inc(1000) }, expect: [critical(promL, 'critical')] },
  { alert: 'PrometheusMissingRuleEvaluations', at: '20m',
    fire: { [`prometheus_rule_group_iterations_missed_total{${PROM},rule_group="/etc/rules/k.yaml;kubernetes-workloads"}`]: inc(1) },
    quiet: { [`prometheus_rule_group_iterations_missed_total{${PROM},rule_group="/etc/rules/k.yaml;kubernetes-workloads"}`]: flat(3) },
    expect: [warning({ ...promL, rule_group: '/etc/rules/k.yaml;kubernetes-workloads' })] },
  { alert: 'PrometheusRemoteWriteFailing', at: '20m',
    fire: { [`prometheus_remote_storage_samples_failed_total{${RW}}`]: inc(50), [`prometheus_remote_storage_samples_total{${RW}}`]: inc(950) },
    quiet: { [`prometheus_remote_storage_samples_failed_total{${RW}}`]: flat(0), [`prometheus_remote_storage_samples_total{${RW}}`]: inc(1000) },
    expect: [critical(rwL, 'critical')] },
  { alert: 'PrometheusRemoteWriteBehind', at: '20m',
    fire: { [`prometheus_remote_storage_highest_timestamp_in_seconds{${PROM}}`]: '1000+15x200', [`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${RW}}`]: flat(1000) },
    quiet: { [`prometheus_remote_storage_highest_timestamp_in_seconds{${PROM}}`]: '1000+15x200', [`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${RW}}`]: '985+15x200' },
    expect: [warning(rwL)] },
  { alert: 'PrometheusServiceDiscoveryFailing', at: '20m',
    fire: { [`prometheus_sd_kubernetes_failures_total{${PROM}}`]: inc(1) }, quiet: { [`prometheus_sd_kubernetes_failures_total{${PROM}}`]: flat(0), [`prometheus_sd_failed_configs{${PROM},name="scrape"}`]: flat(0) },
    expect: [warning(promL)] },
  { alert: 'PrometheusTargetSyncFailing', at: '20m',
    fire: { [`prometheus_target_sync_failed_total{${PROM},scrape_job="serviceMonitor/monitoring/kubelet/0"}`]: inc(1) },
    quiet: { [`prometheus_target_sync_failed_total{${PROM},scrape_job="serviceMonitor/monitoring/kubelet/0"}`]: flat(0) },
    expect: [warning({ ...promL, scrape_job: 'serviceMonitor/monitoring/kubelet/0' })] },
  { alert: 'PrometheusScrapeLimitsHit', at: '20m',
    fire: { [`prometheus_target_scrapes_exceeded_sample_limit_total{${PROM}}`]: inc(1), [`prometheus_target_scrape_pool_exceeded_label_limits_total{${PROM}}`]: flat(0), [`prometheus_target_scrape_pool_exceeded_target_limit_total{${PROM}}`]: flat(0), [`prometheus_target_scrapes_exceeded_body_size_limit_total{${PROM}}`]: flat(0) },
    quiet: { [`prometheus_target_scrapes_exceeded_sample_limit_total{${PROM}}`]: flat(0), [`prometheus_target_scrape_pool_exceeded_label_limits_total{${PROM}}`]: flat(0), [`prometheus_target_scrape_pool_exceeded_target_limit_total{${PROM}}`]: flat(0), [`prometheus_target_scrapes_exceeded_body_size_limit_total{${PROM}}`]: flat(0) },
    expect: [warning(promL)] },

  // --- Alertmanager cluster
  { alert: 'AlertmanagerClusterDown', at: '10m',
    fire: { [`up{${AM('alertmanager-ai-monitoring-0')}}`]: flat(1), [`up{${AM('alertmanager-ai-monitoring-1')}}`]: flat(0) },
    quiet: { [`up{${AM('alertmanager-ai-monitoring-0')}}`]: flat(1), [`up{${AM('alertmanager-ai-monitoring-1')}}`]: flat(1) }, expect: [critical({ namespace: 'ai-monitoring' }, 'critical')] },
  { alert: 'AlertmanagerClusterFailedPeers', at: '15m',
    fire: { [`alertmanager_cluster_failed_peers{${AM('alertmanager-ai-monitoring-0')}}`]: flat(1) }, quiet: { [`alertmanager_cluster_failed_peers{${AM('alertmanager-ai-monitoring-0')}}`]: flat(0) },
    expect: [critical({ namespace: 'ai-monitoring', pod: 'alertmanager-ai-monitoring-0' }, 'critical')] },
  { alert: 'AlertmanagerClusterMembersInconsistent', at: '20m',
    fire: { [`alertmanager_cluster_members{${AM('alertmanager-ai-monitoring-0')}}`]: flat(1), [`alertmanager_cluster_members{${AM('alertmanager-ai-monitoring-1')}}`]: flat(1) },
    quiet: { [`alertmanager_cluster_members{${AM('alertmanager-ai-monitoring-0')}}`]: flat(2), [`alertmanager_cluster_members{${AM('alertmanager-ai-monitoring-1')}}`]: flat(2) },
    expect: [critical({ namespace: 'ai-monitoring', pod: 'alertmanager-ai-monitoring-0' }, 'critical'), critical({ namespace: 'ai-monitoring', pod: 'alertmanager-ai-monitoring-1' }, 'critical')] },
  { alert: 'AlertmanagerConfigInconsistent', at: '20m',
    fire: { [`alertmanager_config_hash{${AM('alertmanager-ai-monitoring-0')}}`]: flat(111), [`alertmanager_config_hash{${AM('alertmanager-ai-monitoring-1')}}`]: flat(222) },
    quiet: { [`alertmanager_config_hash{${AM('alertmanager-ai-monitoring-0')}}`]: flat(111), [`alertmanager_config_hash{${AM('alertmanager-ai-monitoring-1')}}`]: flat(111) },
    expect: [warning({ namespace: 'ai-monitoring' })] },

  // --- prometheus-operator and kube-state-metrics
  { alert: 'PrometheusOperatorReconcileErrors', at: '15m', fire: { [`prometheus_operator_reconcile_errors_total{${OP}}`]: inc(1) }, quiet: { [`prometheus_operator_reconcile_errors_total{${OP}}`]: flat(4) }, expect: [warning(opL)] },
  { alert: 'PrometheusOperatorListWatchErrors', at: '20m',
    fire: { [`prometheus_operator_list_operations_failed_total{${OP}}`]: inc(1), [`prometheus_operator_watch_operations_failed_total{${OP}}`]: flat(0) },
    quiet: { [`prometheus_operator_list_operations_failed_total{${OP}}`]: flat(0), [`prometheus_operator_watch_operations_failed_total{${OP}}`]: flat(0) }, expect: [warning(opL)] },
  { alert: 'PrometheusOperatorSyncFailed', at: '15m', fire: { [`prometheus_operator_syncs{${OP},status="failed"}`]: flat(1) }, quiet: { [`prometheus_operator_syncs{${OP},status="failed"}`]: flat(0) }, expect: [warning(opL)] },
  { alert: 'PrometheusOperatorRejectedResources', at: '10m',
    fire: { [`prometheus_operator_managed_resources{${OP},resource="serviceMonitor",state="rejected"}`]: flat(1) },
    quiet: { [`prometheus_operator_managed_resources{${OP},resource="serviceMonitor",state="rejected"}`]: flat(0) }, expect: [warning({ ...opL, resource: 'serviceMonitor' })] },
  { alert: 'PrometheusOperatorNotReady', at: '15m', fire: { [`prometheus_operator_ready{${OP}}`]: flat(0) }, quiet: { [`prometheus_operator_ready{${OP}}`]: flat(1) }, expect: [warning(opL)] },
  { alert: 'KubeStateMetricsListErrors', at: '20m',
    fire: { [`kube_state_metrics_list_total{${KSM},result="error"}`]: inc(1), [`kube_state_metrics_watch_total{${KSM},result="error"}`]: flat(0) },
    quiet: { [`kube_state_metrics_list_total{${KSM},result="error"}`]: flat(0), [`kube_state_metrics_watch_total{${KSM},result="error"}`]: flat(0) }, expect: [warning({ resource: 'pods' })] },

  // --- Thanos
  { alert: 'ThanosCompactFailing', at: '20m',
    fire: { [`thanos_compact_group_compactions_failures_total{${T('compactor')}}`]: inc(1), [`thanos_compact_group_compactions_total{${T('compactor')}}`]: inc(2) },
    quiet: { [`thanos_compact_group_compactions_failures_total{${T('compactor')}}`]: flat(0), [`thanos_compact_group_compactions_total{${T('compactor')}}`]: inc(2) },
    expect: [warning({ job: 'ai-monitoring/thanos-compactor' })] },
  { alert: 'ThanosDownsampleFailing', at: '20m',
    fire: { [`thanos_compact_downsample_failed_total{${T('compactor')},resolution="300000"}`]: inc(1) },
    quiet: { [`thanos_compact_downsample_failed_total{${T('compactor')},resolution="300000"}`]: flat(2) }, expect: [warning({ job: 'ai-monitoring/thanos-compactor' })] },
  { alert: 'ThanosReceiveForwardFailing', at: '15m',
    fire: split('thanos_receive_forward_requests_total', T('receive'), 'result', 'error', 'success', 1, 4),
    quiet: split('thanos_receive_forward_requests_total', T('receive'), 'result', 'error', 'success', 0, 4), expect: [critical({ job: 'ai-monitoring/thanos-receive' }, 'critical')] },
  { alert: 'ThanosReceiveReplicationFailing', at: '15m',
    fire: split('thanos_receive_replications_total', T('receive'), 'result', 'error', 'success', 1, 4),
    quiet: split('thanos_receive_replications_total', T('receive'), 'result', 'error', 'success', 0, 4), expect: [critical({ job: 'ai-monitoring/thanos-receive' }, 'critical')] },
  { alert: 'ThanosReceiveHttpErrors', at: '15m',
    fire: split('http_requests_total', `${T('receive')},handler="receive",method="post"`, 'code', '503', '200', 1, 4),
    quiet: split('http_requests_total', `${T('receive')},handler="receive",method="post"`, 'code', '503', '200', 0, 4), expect: [warning({ job: 'ai-monitoring/thanos-receive' })] },
  { alert: 'ThanosStoreGrpcErrors', at: '15m',
    fire: split('grpc_server_handled_total', `${T('store')},grpc_method="Series",grpc_service="thanos.Store",grpc_type="server_stream"`, 'grpc_code', 'Unavailable', 'OK', 1, 4),
    quiet: split('grpc_server_handled_total', `${T('store')},grpc_method="Series",grpc_service="thanos.Store",grpc_type="server_stream"`, 'grpc_code', 'Unavailable', 'OK', 0, 4),
    expect: [warning({ job: 'ai-monitoring/thanos-store' })] },
  { alert: 'ThanosStoreBucketErrors', at: '15m',
    fire: { [`thanos_objstore_bucket_operation_failures_total{${T('store')},bucket="m",operation="get_range"}`]: inc(1), [`thanos_objstore_bucket_operations_total{${T('store')},bucket="m",operation="get_range"}`]: inc(5) },
    quiet: { [`thanos_objstore_bucket_operation_failures_total{${T('store')},bucket="m",operation="get_range"}`]: flat(0), [`thanos_objstore_bucket_operations_total{${T('store')},bucket="m",operation="get_range"}`]: inc(5) },
    expect: [warning({ job: 'ai-monitoring/thanos-store' })] },
  { alert: 'ThanosQueryHttpErrors', at: '15m',
    fire: split('http_requests_total', `${T('query')},handler="query_range",method="get"`, 'code', '500', '200', 1, 4),
    // The query frontend's errors are not the querier's.
    quiet: { ...split('http_requests_total', `${T('query')},handler="query_range",method="get"`, 'code', '500', '200', 0, 4), ...split('http_requests_total', `${T('query-frontend')},handler="query_range",method="get"`, 'code', '500', '200', 1, 1) },
    expect: [warning({ job: 'ai-monitoring/thanos-query' })] },
  { alert: 'ThanosQueryLatencyHigh', at: '15m',
    fire: { [`http_request_duration_seconds_bucket{${T('query')},handler="query",le="10"}`]: flat(0), [`http_request_duration_seconds_bucket{${T('query')},handler="query",le="60"}`]: inc(5), [`http_request_duration_seconds_bucket{${T('query')},handler="query",le="+Inf"}`]: inc(5) },
    quiet: { [`http_request_duration_seconds_bucket{${T('query')},handler="query",le="10"}`]: inc(5), [`http_request_duration_seconds_bucket{${T('query')},handler="query",le="60"}`]: inc(5), [`http_request_duration_seconds_bucket{${T('query')},handler="query",le="+Inf"}`]: inc(5) },
    expect: [warning({ job: 'ai-monitoring/thanos-query' })] },

  // --- Loki
  { alert: 'LokiPushErrors', at: '15m',
    fire: split('loki_request_duration_seconds_count', `${LOKI},route="loki_api_v1_push",method="POST",ws="false"`, 'status_code', '500', '204', 1, 4),
    quiet: split('loki_request_duration_seconds_count', `${LOKI},route="loki_api_v1_push",method="POST",ws="false"`, 'status_code', '500', '204', 0, 4), expect: [critical({ namespace: 'logging' }, 'critical')] },
  { alert: 'LokiDiscardingLogs', at: '20m',
    fire: { [`loki_discarded_samples_total{${LOKI},reason="line_too_long",tenant="fake"}`]: inc(3) },
    // Rate limiting has its own alert (LokiIngestionRateLimited).
    quiet: { [`loki_discarded_samples_total{${LOKI},reason="rate_limited",tenant="fake"}`]: inc(3) }, expect: [warning({ namespace: 'logging', reason: 'line_too_long' })] },
  { alert: 'LokiRingUnhealthy', at: '15m',
    fire: { [`loki_ring_members{${LOKI},name="ingester",state="Unhealthy"}`]: flat(1) }, quiet: { [`loki_ring_members{${LOKI},name="ingester",state="Unhealthy"}`]: flat(0) },
    expect: [critical({ namespace: 'logging', name: 'ingester' }, 'critical')] },
  // Last run at -90000s: 25h before the test's epoch, past the 24h default.
  { alert: 'LokiCompactorRetentionStale', at: '65m',
    fire: { [`loki_compactor_apply_retention_last_successful_run_timestamp_seconds{${LOKI}}`]: `-90000x${N * 2}` },
    quiet: { [`loki_compactor_apply_retention_last_successful_run_timestamp_seconds{${LOKI}}`]: `-3600x${N * 2}` }, expect: [warning({ namespace: 'logging' })] },

  // --- services
  { alert: 'PostgresInstanceDown', at: '10m', fire: { [`cnpg_collector_up{${PG},cluster="ai-monitoring-grafana-db"}`]: flat(0) }, quiet: { [`cnpg_collector_up{${PG},cluster="ai-monitoring-grafana-db"}`]: flat(1) }, expect: [critical(pgL, 'critical')] },
  { alert: 'PostgresReplicationLagging', at: '15m', fire: { [`cnpg_pg_replication_lag{${PG}}`]: flat(900) }, quiet: { [`cnpg_pg_replication_lag{${PG}}`]: flat(2) }, expect: [warning(pgL)] },
  { alert: 'LogAgentDroppingLogs', at: '20m', fire: { [`loki_write_dropped_entries_total{${AGENT},component_id="loki.write.default",host="loki",reason="ingester_error"}`]: inc(10) },
    quiet: { [`loki_write_dropped_entries_total{${AGENT},component_id="loki.write.default",host="loki",reason="ingester_error"}`]: flat(10) }, expect: [warning(agentL)] },
  { alert: 'LogAgentDroppingLogs', at: '20m', note: 'Promtail',
    fire: { [`promtail_dropped_entries_total{${AGENT},host="loki"}`]: inc(10) }, quiet: { [`promtail_dropped_entries_total{${AGENT},host="loki"}`]: flat(10) }, expect: [warning(agentL)] },
  { alert: 'LogAgentSendErrors', at: '20m', fire: { [`loki_write_request_duration_seconds_count{${AGENT},host="loki",status_code="429"}`]: inc(2) },
    quiet: { [`loki_write_request_duration_seconds_count{${AGENT},host="loki",status_code="204"}`]: inc(2) }, expect: [warning(agentL)] },

  { alert: 'KedaScaledObjectErrors', at: '20m',
    fire: { 'keda_scaled_object_errors_total{job="keda/keda-operator",namespace="ai-serving",pod="keda-operator-1",scaledObject="inference"}': inc(1) },
    quiet: { 'keda_scaled_object_errors_total{job="keda/keda-operator",namespace="ai-serving",pod="keda-operator-1",scaledObject="inference"}': flat(0) },
    expect: [warning({ namespace: 'ai-serving', scaledObject: 'inference' })] },

  // --- Grafana (database query errors; unified-alerting HA peers of a 2-replica Grafana)
  { alert: 'GrafanaDatabaseErrors', at: '20m',
    fire: split('grafana_database_queries_duration_seconds_count', GF('grafana-6f7-a1'), 'status', 'error', 'success', 1, 9),
    quiet: split('grafana_database_queries_duration_seconds_count', GF('grafana-6f7-a1'), 'status', 'error', 'success', 0, 9),
    expect: [warning(gfL('grafana-6f7-a1'))] },
  { alert: 'GrafanaAlertingPeersFailed', at: '15m',
    fire: { [`alertmanager_cluster_failed_peers{${GF('grafana-6f7-a1')}}`]: flat(1) },
    // The platform's Alertmanager exports the same name: its failed peers are not Grafana's.
    quiet: { [`alertmanager_cluster_failed_peers{${GF('grafana-6f7-a1')}}`]: flat(0), [`alertmanager_cluster_failed_peers{${AM('alertmanager-main-0')}}`]: flat(1) },
    expect: [warning(gfL('grafana-6f7-a1'))] },
  { alert: 'GrafanaAlertingPeersMissing', at: '20m',
    fire: { [`alertmanager_cluster_members{${GF('grafana-6f7-a1')}}`]: flat(1), [`alertmanager_cluster_members{${GF('grafana-6f7-b2')}}`]: flat(2) },
    quiet: { [`alertmanager_cluster_members{${GF('grafana-6f7-a1')}}`]: flat(2), [`alertmanager_cluster_members{${GF('grafana-6f7-b2')}}`]: flat(2) },
    expect: [warning(gfL('grafana-6f7-a1'))] },

  // --- Argo Workflows controller and Argo Events (automated response)
  { alert: 'ArgoWorkflowsControllerErrors', at: '15m',
    fire: { [`argo_workflows_error_count{${WFC},namespace="argo",cause="OperationPanic"}`]: inc(1) },
    quiet: { [`argo_workflows_error_count{${WFC},namespace="argo",cause="OperationPanic"}`]: flat(2) },
    expect: [warning({ cause: 'OperationPanic' })] },
  { alert: 'ArgoWorkflowsFailed', at: '10m', note: 'a remediation ends Failed',
    fire: { [`argo_workflows_total_count{${WFC},namespace="incident-response",phase="Failed"}`]: `0x20 1x${N - 20}`,
      [`argo_workflows_total_count{${WFC},namespace="incident-response",phase="Succeeded"}`]: flat(4) },
    // Succeeded runs, and failures in a namespace the group does not watch, do not count.
    quiet: { [`argo_workflows_total_count{${WFC},namespace="incident-response",phase="Succeeded"}`]: `4x20 5x${N - 20}`,
      [`argo_workflows_total_count{${WFC},namespace="ml-training",phase="Error"}`]: `0x20 1x${N - 20}` },
    expect: [warning({ namespace: 'incident-response' })] },
  { alert: 'ArgoWorkflowsQueueBacklog', at: '20m',
    fire: { [`argo_workflows_queue_depth_gauge{${WFC},namespace="argo",queue_name="workflow_queue"}`]: flat(450) },
    quiet: { [`argo_workflows_queue_depth_gauge{${WFC},namespace="argo",queue_name="workflow_queue"}`]: flat(3) },
    expect: [warning({ queue_name: 'workflow_queue' })] },
  { alert: 'ArgoEventsEventSendFailing', at: '15m',
    fire: { [`argo_events_events_sent_failed_total{${ES}}`]: inc(1), [`argo_events_events_sent_total{${ES}}`]: flat(7) },
    quiet: { [`argo_events_events_sent_failed_total{${ES}}`]: flat(0), [`argo_events_events_sent_total{${ES}}`]: inc(1) },
    expect: [critical({ namespace: 'incident-response', eventsource_name: 'alertmanager', event_name: 'alerts' }, 'high')] },
  { alert: 'ArgoEventsTriggerFailing', at: '30m', note: 'every submission fails',
    fire: { [`argo_events_action_failed_total{${SENSOR}}`]: inc(1), [`argo_events_action_triggered_total{${SENSOR}}`]: flat(3) },
    // The cooldown: a repeat notification at 20m fails with AlreadyExists between two runs.
    quiet: { [`argo_events_action_failed_total{${SENSOR}}`]: `0x80 1x${N - 80}`, [`argo_events_action_triggered_total{${SENSOR}}`]: `1x40 2x${N - 40}` },
    expect: [warning(sensorL)] },

  // --- model services (the issue: a Deployment with 0 available replicas / Pending pods has no `up`)
  { alert: 'ModelServiceNotRunning', at: '10m', note: 'pods Pending',
    fire: { 'kube_pod_labels{job="kube-state-metrics",namespace="ai-serving",pod="serving-0",label_app_kubernetes_io_name="model-serving"}': flat(1),
      'kube_pod_status_ready{job="kube-state-metrics",namespace="ai-serving",pod="serving-0",condition="true"}': flat(0) },
    quiet: { 'kube_pod_labels{job="kube-state-metrics",namespace="ai-serving",pod="serving-0",label_app_kubernetes_io_name="model-serving"}': flat(1),
      'kube_pod_status_ready{job="kube-state-metrics",namespace="ai-serving",pod="serving-0",condition="true"}': flat(1),
      // Another service's pods in the namespace do not count.
      'kube_pod_labels{job="kube-state-metrics",namespace="ai-serving",pod="other-0",label_app_kubernetes_io_name="other"}': flat(1),
      'kube_pod_status_ready{job="kube-state-metrics",namespace="ai-serving",pod="other-0",condition="true"}': flat(0) },
    expect: [critical({ model_service: 'inference' }, 'critical')] },
  { alert: 'ModelServiceNotRunning', at: '10m', note: 'scaled to 0, no pod at all',
    fire: { 'kube_pod_labels{job="kube-state-metrics",namespace="ai-serving",pod="other-0",label_app_kubernetes_io_name="other"}': flat(1) },
    quiet: { 'kube_pod_labels{job="kube-state-metrics",namespace="ai-serving",pod="serving-0",label_app_kubernetes_io_name="model-serving"}': flat(1),
      'kube_pod_status_ready{job="kube-state-metrics",namespace="ai-serving",pod="serving-0",condition="true"}': flat(1) },
    expect: [critical({ model_service: 'inference', namespace: 'ai-serving', label_app_kubernetes_io_name: 'model-serving' }, 'critical')] },
];

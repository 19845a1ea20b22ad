import { VectorStore } from '../../lib/ai/vector-store.js';

/**
 * Metric names the library's dashboards read, by the program that exports them. Each name was
 * checked against that program's own source or documentation (the `source` line), not guessed:
 * a panel reading anything else would show "no data". Shared by the DashboardSet unit test and
 * the platform coverage test (which also proves each exporter is deployed and scraped).
 */
export interface ExporterMetrics {
  /** Where the names were checked upstream. */
  readonly source: string;
  readonly metrics: readonly string[];
}

/** The series a Prometheus histogram `name` exposes. */
export const histogram = (name: string): string[] => [`${name}_bucket`, `${name}_count`, `${name}_sum`];

/** client_golang's process and Go collectors, which every Go program here registers (prometheus/client_golang prometheus/process_collector.go, go_collector.go). */
const GO_PROCESS = ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'go_goroutines'];

export const EXPORTER_METRICS = {
  nodeExporter: {
    source: 'prometheus/node_exporter collector/{cpu,meminfo,netdev_common,filesystem_common,diskstats_common,tcpstat_linux}.go and fixtures/e2e-output.txt',
    metrics: [
      'node_cpu_seconds_total', 'node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes',
      'node_network_receive_bytes_total', 'node_network_transmit_bytes_total', 'node_network_receive_errs_total',
      'node_network_transmit_errs_total', 'node_network_receive_drop_total', 'node_network_transmit_drop_total',
      'node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'node_disk_reads_completed_total',
      'node_disk_writes_completed_total', 'node_disk_read_bytes_total', 'node_disk_written_bytes_total',
      'node_disk_io_time_seconds_total',
      // tcpstat collector: disabled by default (registerCollector("tcpstat", defaultDisabled, ...)).
      'node_tcp_connection_states',
      // loadavg, meminfo and uname collectors (enabled by default): node_load1/5/15, node_memory_<field>_bytes, node_uname_info.
      'node_load1', 'node_load15', 'node_memory_Buffers_bytes', 'node_memory_Cached_bytes', 'node_memory_MemFree_bytes', 'node_uname_info',
    ],
  },
  kubeStateMetrics: {
    source: 'kubernetes/kube-state-metrics docs/metrics/workload/{pod,replicaset}-metrics.md, cluster/node-metrics.md, storage/persistentvolume{,claim}-metrics.md (STABLE)',
    metrics: [
      'kube_node_status_condition', 'kube_pod_info', 'kube_pod_status_phase', 'kube_pod_container_status_restarts_total',
      'kube_pod_container_resource_requests', 'kube_pod_container_resource_limits',
      'kube_node_info', 'kube_node_status_allocatable', 'kube_pod_owner', 'kube_replicaset_owner',
      'kube_persistentvolumeclaim_info', 'kube_persistentvolumeclaim_status_phase', 'kube_persistentvolumeclaim_resource_requests_storage_bytes',
      'kube_persistentvolume_status_phase',
    ],
  },
  kubelet: {
    source: 'kubernetes pkg/kubelet/metrics/metrics.go: KubeletSubsystem "kubelet" + the *Key names (VolumeStats*, RunningPods, RunningContainers, PodStartDuration, PLEGRelistDuration, RuntimeOperations*, CgroupManagerOperations, Evictions, NodeName) (kubelet /metrics)',
    metrics: [
      'kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_available_bytes',
      'kubelet_volume_stats_inodes', 'kubelet_volume_stats_inodes_used', 'kubelet_node_name', 'kubelet_running_pods', 'kubelet_running_containers',
      ...histogram('kubelet_pod_start_duration_seconds'), ...histogram('kubelet_pod_worker_duration_seconds'),
      ...histogram('kubelet_pleg_relist_duration_seconds'), ...histogram('kubelet_runtime_operations_duration_seconds'),
      ...histogram('kubelet_cgroup_manager_duration_seconds'), 'kubelet_runtime_operations_total', 'kubelet_runtime_operations_errors_total',
      'kubelet_evictions',
    ],
  },
  cadvisor: {
    source: 'google/cadvisor docs/storage/prometheus.md (kubelet /metrics/cadvisor; the network metrics are on by default in the kubelet)',
    metrics: [
      'container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'container_memory_rss',
      'container_cpu_cfs_periods_total', 'container_cpu_cfs_throttled_periods_total',
      'container_network_receive_bytes_total', 'container_network_transmit_bytes_total',
      'container_network_receive_packets_total', 'container_network_transmit_packets_total',
      'container_network_receive_packets_dropped_total', 'container_network_transmit_packets_dropped_total',
      'container_network_receive_errors_total', 'container_network_transmit_errors_total',
    ],
  },
  dcgmExporter: {
    source: 'NVIDIA/dcgm-exporter etc/default-counters.csv (DCGM field names are the metric names)',
    metrics: ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE'],
  },
  prometheus: {
    source: 'prometheus/prometheus rules/alerting.go: alertMetricName "ALERTS", alertForStateMetricName "ALERTS_FOR_STATE"',
    metrics: ['ALERTS', 'ALERTS_FOR_STATE'],
  },
  prometheusServer: {
    source: 'the /metrics of the deployed Prometheus 3.5.3 binary (.tools/deployed), run with a rule file, a remote write and an Alertmanager',
    metrics: [
      'prometheus_build_info', 'prometheus_tsdb_head_series', 'prometheus_tsdb_head_samples_appended_total', 'prometheus_config_last_reload_successful',
      'prometheus_rule_evaluation_failures_total', 'prometheus_rule_group_iterations_missed_total', 'prometheus_rule_group_last_duration_seconds',
      'prometheus_rule_group_interval_seconds', 'prometheus_target_interval_length_seconds', 'prometheus_target_sync_length_seconds',
      'prometheus_sd_discovered_targets', 'prometheus_target_scrapes_exceeded_sample_limit_total',
      'prometheus_remote_storage_highest_timestamp_in_seconds', 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
      'prometheus_remote_storage_samples_failed_total', 'prometheus_remote_storage_samples_retried_total', 'prometheus_remote_storage_samples_pending',
      'prometheus_remote_storage_shards', 'prometheus_engine_query_duration_seconds', 'prometheus_notifications_sent_total',
      'prometheus_notifications_errors_total', 'prometheus_notifications_dropped_total', ...GO_PROCESS,
    ],
  },
  alertmanager: {
    source: 'prometheus/alertmanager notify/notify.go (notifications by integration), checked on the /metrics of the deployed Alertmanager 0.28.1 binary (.tools/deployed) in cluster mode',
    metrics: [
      'alertmanager_notifications_total', 'alertmanager_notifications_failed_total', 'alertmanager_build_info', 'alertmanager_alerts',
      'alertmanager_alerts_received_total', 'alertmanager_alerts_invalid_total', 'alertmanager_silences', 'alertmanager_config_hash',
      'alertmanager_config_last_reload_successful', 'alertmanager_cluster_members', 'alertmanager_cluster_failed_peers',
      'alertmanager_cluster_health_score', ...histogram('alertmanager_notification_latency_seconds'), ...GO_PROCESS,
    ],
  },
  thanosQuery: {
    source: 'thanos-io/thanos pkg/query endpointset.go (thanos_store_nodes_grpc_connections by store_type); extprom http_requests_total by handler, code (e2e tests)',
    metrics: ['thanos_store_nodes_grpc_connections', 'http_requests_total', ...GO_PROCESS],
  },
  thanosQueryFrontend: {
    source: 'thanos-io/thanos pkg/queryfrontend roundtrip.go: thanos_query_frontend_queries_total by op',
    metrics: ['thanos_query_frontend_queries_total', 'http_requests_total', ...GO_PROCESS],
  },
  thanosReceive: {
    source: 'thanos-io/thanos pkg/receive handler.go: thanos_receive_forward_requests_total, thanos_receive_replications_total by result; objstore bucket metrics',
    metrics: ['thanos_receive_replications_total', 'thanos_receive_forward_requests_total', 'http_requests_total', 'thanos_objstore_bucket_operations_total', 'thanos_objstore_bucket_operation_failures_total', ...GO_PROCESS],
  },
  thanosStore: {
    source: 'thanos-io/thanos pkg/store bucket.go (thanos_bucket_store_blocks_loaded); thanos-io/objstore objstore.go (thanos_objstore_bucket_operations_total, _operation_failures_total by operation)',
    metrics: ['thanos_bucket_store_blocks_loaded', 'thanos_objstore_bucket_operations_total', 'thanos_objstore_bucket_operation_failures_total', ...GO_PROCESS],
  },
  thanosCompactor: {
    source: 'thanos-io/thanos pkg/compact compact.go (thanos_compact_group_compactions_total, _failures_total), cmd/thanos compact.go (thanos_compact_halted, thanos_compact_downsample_total)',
    metrics: [
      'thanos_compact_halted', 'thanos_compact_group_compactions_total', 'thanos_compact_group_compactions_failures_total', 'thanos_compact_downsample_total',
      'thanos_objstore_bucket_operations_total', 'thanos_objstore_bucket_operation_failures_total', ...GO_PROCESS,
    ],
  },
  lokiDistributor: {
    source: 'grafana/loki docs operations/observability (distributor metrics, loki_request_duration_seconds on every component); pkg/validation (loki_discarded_samples_total by reason, tenant)',
    metrics: [
      'loki_distributor_bytes_received_total', 'loki_distributor_lines_received_total', 'loki_distributor_ingester_append_failures_total',
      'loki_discarded_samples_total', ...histogram('loki_request_duration_seconds'), ...GO_PROCESS,
    ],
  },
  lokiIngester: {
    source: 'grafana/loki docs operations/observability (ingester metrics)',
    metrics: ['loki_ingester_memory_streams', 'loki_ingester_memory_chunks', 'loki_ingester_flush_queue_length', ...histogram('loki_request_duration_seconds'), ...GO_PROCESS],
  },
  grafana: {
    source: 'grafana/grafana pkg/infra/metrics/metrics.go (grafana_build_info, grafana_stat_totals_dashboard, grafana_stat_active_users); pkg/middleware request metrics (grafana_http_request_duration_seconds by handler, status_code)',
    metrics: ['grafana_build_info', 'grafana_stat_totals_dashboard', 'grafana_stat_active_users', ...histogram('grafana_http_request_duration_seconds'), ...GO_PROCESS],
  },
  apiServer: {
    source: 'kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/metrics and storage metrics (STABLE apiserver_request_total, apiserver_request_duration_seconds, apiserver_current_inflight_requests; apiserver_storage_objects, deprecated in 1.34 for apiserver_resource_objects)',
    metrics: ['apiserver_request_total', ...histogram('apiserver_request_duration_seconds'), 'apiserver_current_inflight_requests', 'apiserver_storage_objects', 'apiserver_resource_objects'],
  },
  seedModelExporter: {
    source: 'seed 1.1 custom_exporters.neural_metrics, named in DESIGN.md "Seed custom-exporter metric names" (the seed\'s own exporter)',
    metrics: [
      ...histogram('model_inference_latency_seconds'), ...histogram('model_batch_processing_seconds'),
      'model_memory_consumption_bytes', 'model_requests_total', 'model_request_errors_total',
    ],
  },
  seedVectorExporter: {
    source: 'seed 1.1 custom_exporters.vector_metrics, named in DESIGN.md "Seed custom-exporter metric names" (the seed\'s own exporter)',
    metrics: ['vector_index_operations_total', ...histogram('vector_query_latency_seconds'), 'vector_cache_hits_total', 'vector_cache_requests_total'],
  },
  pineconeServerless: {
    source: 'Pinecone docs "Monitor with Prometheus" (serverless metrics), as read by VectorStore.pineconeServerless() (lib/ai/vector-store.ts)',
    metrics: [...VectorStore.pineconeServerless({ projectId: 'p', apiKey: { name: 's', key: 'k' } }).metricNames],
  },
  vllm: {
    source: 'vllm-project/vllm docs/design metrics (V1 engine), as read by ModelServer.vllm() (lib/ai/model-server.ts)',
    metrics: [
      'vllm:request_success_total', 'vllm:generation_tokens_total', 'vllm:kv_cache_usage_perc',
      ...histogram('vllm:e2e_request_latency_seconds'), ...histogram('vllm:request_queue_time_seconds'),
    ],
  },
} satisfies Record<string, ExporterMetrics>;

export type ExporterName = keyof typeof EXPORTER_METRICS;

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
    ],
  },
  kubeStateMetrics: {
    source: 'kubernetes/kube-state-metrics docs/metrics/workload/pod-metrics.md and docs/metrics/cluster/node-metrics.md (STABLE)',
    metrics: [
      'kube_node_status_condition', 'kube_pod_info', 'kube_pod_status_phase', 'kube_pod_container_status_restarts_total',
      'kube_pod_container_resource_requests', 'kube_pod_container_resource_limits',
    ],
  },
  kubelet: {
    source: 'kubernetes pkg/kubelet/metrics: KubeletSubsystem "kubelet" + VolumeStatsUsedBytesKey / VolumeStatsCapacityBytesKey (kubelet /metrics)',
    metrics: ['kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes'],
  },
  cadvisor: {
    source: 'cAdvisor container metric descriptors (kubelet /metrics/cadvisor): container_cpu_usage_seconds_total, container_memory_working_set_bytes',
    metrics: ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes'],
  },
  dcgmExporter: {
    source: 'NVIDIA/dcgm-exporter etc/default-counters.csv (DCGM field names are the metric names)',
    metrics: ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE'],
  },
  prometheus: {
    source: 'prometheus/prometheus rules/alerting.go: alertMetricName "ALERTS", alertForStateMetricName "ALERTS_FOR_STATE"',
    metrics: ['ALERTS', 'ALERTS_FOR_STATE'],
  },
  alertmanager: {
    source: 'prometheus/alertmanager notify/notify.go: namespace "alertmanager", notifications_total and notifications_failed_total by integration',
    metrics: ['alertmanager_notifications_total', 'alertmanager_notifications_failed_total'],
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

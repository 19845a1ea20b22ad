import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BY_NAMESPACE, BY_REGION, datasourceVariable, graph, levels, namespaceVariable, newDashboard, PHYSICAL_NICS, promQuery as q,
  REAL_FILESYSTEMS, regionVariable, row, single,
} from './panels.js';

// Seed 1.2 thresholds, drawn on the panels the alerts watch.
const CPU = levels(70, 85);
const MEMORY = levels(75, 90);
const RATE = '[$__rate_interval]';
// The tcpstat collector also reports socket queue sizes in bytes as the "states" rx/tx_queued_bytes.
const TCP_STATES = 'state!~"rx_queued_bytes|tx_queued_bytes"';

/** Seed 3.2 "System Health Overview": resource utilization, network and storage panels. */
export function systemHealthDashboard(): dashboard.DashboardBuilder {
  return newDashboard('ai-system-health', 'System Health Overview', 'Cluster health: nodes, pods, network and storage (seed 2.1 and 3.2).')
    .withVariable(datasourceVariable())
    .withVariable(regionVariable())
    .withVariable(namespaceVariable())
    .withRow(row('Resource utilization'))
    .withPanel(single('Nodes ready', q(`sum(kube_node_status_condition{condition="Ready", status="true", ${BY_REGION}})`)))
    .withPanel(single('Nodes not ready', q(`sum(kube_node_status_condition{condition="Ready", status!="true", ${BY_REGION}})`), { thresholds: levels(1, 1) }))
    .withPanel(single('Pods not running', q(`sum(kube_pod_status_phase{phase=~"Pending|Failed|Unknown", ${BY_NAMESPACE}})`), { thresholds: levels(1, 5) }))
    .withPanel(single('Container restarts (1h)', q(`sum(increase(kube_pod_container_status_restarts_total{${BY_NAMESPACE}}[1h]))`), { thresholds: levels(1, 10) }))
    .withPanel(graph('Node CPU busy', [
      q(`100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle", ${BY_REGION}}${RATE})))`, '{{instance}}'),
    ], { unit: 'percent', min: 0, max: 100, thresholds: CPU, description: 'HighCpuUsage fires at 70% (warning) and 85% (critical) for 5m.' }))
    .withPanel(graph('Node memory used', [
      q(`100 * (1 - node_memory_MemAvailable_bytes{${BY_REGION}} / node_memory_MemTotal_bytes{${BY_REGION}})`, '{{instance}}'),
    ], { unit: 'percent', min: 0, max: 100, thresholds: MEMORY, description: 'HighMemoryUsage fires at 75% (warning) and 90% (critical) for 5m.' }))
    .withPanel(graph('Pods by phase', [
      q(`sum by (phase) (kube_pod_status_phase{${BY_NAMESPACE}})`, '{{phase}}'),
    ], { unit: 'short' }))
    .withPanel(graph('Restarting containers (1h)', [
      q(`topk(10, sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${BY_NAMESPACE}}[1h]))) > 0`, '{{namespace}}/{{pod}}'),
    ], { unit: 'short' }))
    .withRow(row('Network'))
    .withPanel(graph('Receive bandwidth', [
      q(`sum by (instance) (rate(node_network_receive_bytes_total{${PHYSICAL_NICS}, ${BY_REGION}}${RATE}))`, '{{instance}}'),
    ], { unit: 'Bps' }))
    .withPanel(graph('Transmit bandwidth', [
      q(`sum by (instance) (rate(node_network_transmit_bytes_total{${PHYSICAL_NICS}, ${BY_REGION}}${RATE}))`, '{{instance}}'),
    ], { unit: 'Bps' }))
    .withPanel(graph('TCP connections by state', [
      q(`sum by (state) (node_tcp_connection_states{${TCP_STATES}, ${BY_REGION}})`, '{{state}}'),
    ], { unit: 'short', description: 'From the node-exporter tcpstat collector (seed 2.1 connection states).' }))
    .withPanel(graph('Network errors and drops', [
      q(`sum by (instance) (rate(node_network_receive_errs_total{${BY_REGION}}${RATE}) + rate(node_network_transmit_errs_total{${BY_REGION}}${RATE}))`, '{{instance}} errors'),
      q(`sum by (instance) (rate(node_network_receive_drop_total{${BY_REGION}}${RATE}) + rate(node_network_transmit_drop_total{${BY_REGION}}${RATE}))`, '{{instance}} drops'),
    ], { unit: 'pps' }))
    .withRow(row('Storage'))
    .withPanel(graph('Filesystem used', [
      q(`100 * (1 - node_filesystem_avail_bytes{${REAL_FILESYSTEMS}, ${BY_REGION}} / node_filesystem_size_bytes{${REAL_FILESYSTEMS}, ${BY_REGION}})`, '{{instance}} {{mountpoint}}'),
    ], { unit: 'percent', min: 0, max: 100, thresholds: levels(80, 90) }))
    .withPanel(graph('Persistent volumes used', [
      q(`100 * kubelet_volume_stats_used_bytes{${BY_NAMESPACE}} / kubelet_volume_stats_capacity_bytes{${BY_NAMESPACE}}`, '{{namespace}}/{{persistentvolumeclaim}}'),
    ], { unit: 'percent', min: 0, max: 100, thresholds: levels(80, 90) }))
    .withPanel(graph('Disk I/O operations', [
      q(`sum by (instance) (rate(node_disk_reads_completed_total{${BY_REGION}}${RATE}))`, '{{instance}} reads'),
      q(`sum by (instance) (rate(node_disk_writes_completed_total{${BY_REGION}}${RATE}))`, '{{instance}} writes'),
    ], { unit: 'iops' }))
    .withPanel(graph('Disk throughput', [
      q(`sum by (instance) (rate(node_disk_read_bytes_total{${BY_REGION}}${RATE}))`, '{{instance}} read'),
      q(`sum by (instance) (rate(node_disk_written_bytes_total{${BY_REGION}}${RATE}))`, '{{instance}} written'),
    ], { unit: 'Bps' }))
    .withPanel(graph('Disk busy time', [
      q(`100 * max by (instance) (rate(node_disk_io_time_seconds_total{${BY_REGION}}${RATE}))`, '{{instance}}'),
    ], { unit: 'percent', min: 0, max: 100, span: 24 }));
}

/** Resource Utilization: CPU, memory and GPU per node, namespace and pod. */
export function resourceUtilizationDashboard(): dashboard.DashboardBuilder {
  const containers = `container!="", ${BY_NAMESPACE}`;
  return newDashboard('ai-resource-utilization', 'Resource Utilization', 'CPU, memory and GPU use against requests and limits (seed 1.1 and 2.1).')
    .withVariable(datasourceVariable())
    .withVariable(regionVariable())
    .withVariable(namespaceVariable())
    .withRow(row('CPU'))
    .withPanel(graph('CPU usage by pod', [
      q(`topk(20, sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${containers}}${RATE})))`, '{{namespace}}/{{pod}}'),
    ], { unit: 'short', description: 'Cores used (cAdvisor).' }))
    .withPanel(graph('CPU usage / requests by namespace', [
      q(`sum by (namespace) (rate(container_cpu_usage_seconds_total{${containers}}${RATE})) / sum by (namespace) (kube_pod_container_resource_requests{resource="cpu", ${BY_NAMESPACE}})`, '{{namespace}}'),
    ], { unit: 'percentunit' }))
    .withRow(row('Memory'))
    .withPanel(graph('Memory working set by pod', [
      q(`topk(20, sum by (namespace, pod) (container_memory_working_set_bytes{${containers}}))`, '{{namespace}}/{{pod}}'),
    ], { unit: 'bytes' }))
    .withPanel(graph('Memory working set / limit', [
      q(`topk(20, sum by (namespace, pod) (container_memory_working_set_bytes{${containers}}) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="memory", ${BY_NAMESPACE}}))`, '{{namespace}}/{{pod}}'),
    ], { unit: 'percentunit', thresholds: levels(0.75, 0.9), description: 'Pods near 100% are about to be OOM-killed.' }))
    .withRow(row('GPU'))
    .withPanel(graph('GPU utilization', [
      q(`avg by (Hostname, gpu) (DCGM_FI_DEV_GPU_UTIL{${BY_REGION}})`, '{{Hostname}} GPU {{gpu}}'),
    ], { unit: 'percent', min: 0, max: 100, description: 'DCGM exporter (seed 2.1 GPU utilization).' }))
    .withPanel(graph('GPU memory used', [
      q(`100 * avg by (Hostname, gpu) (DCGM_FI_DEV_FB_USED{${BY_REGION}} / (DCGM_FI_DEV_FB_USED{${BY_REGION}} + DCGM_FI_DEV_FB_FREE{${BY_REGION}}))`, '{{Hostname}} GPU {{gpu}}'),
    ], { unit: 'percent', min: 0, max: 100, thresholds: levels(80, 95) }))
    .withPanel(graph('GPU temperature', [
      q(`max by (Hostname, gpu) (DCGM_FI_DEV_GPU_TEMP{${BY_REGION}})`, '{{Hostname}} GPU {{gpu}}'),
    ], { unit: 'celsius', thresholds: levels(80, 90) }))
    .withPanel(graph('GPU power draw', [
      q(`sum by (Hostname) (DCGM_FI_DEV_POWER_USAGE{${BY_REGION}})`, '{{Hostname}}'),
    ], { unit: 'watt' }));
}

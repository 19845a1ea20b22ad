import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BY_CLUSTER, clusterVariable, datasourceVariable, graph, histogramQuantile, labelVariable, levels, newDashboard, PHYSICAL_NICS,
  promQuery as q, rateOf, REAL_FILESYSTEMS, row, single, sumRate,
} from './panels.js';

// The kubelet's own endpoint (the same monitor also scrapes /metrics/cadvisor and /metrics/probes).
const KUBELET = `job="kubelet", metrics_path="/metrics", instance=~"$instance", ${BY_CLUSTER}`;

/** Kubelet: pods and containers run, runtime operations, pod start and PLEG latency, evictions. */
export function kubeletDashboard(): dashboard.DashboardBuilder {
  const p99 = (histogram: string, by: string[] = ['instance']) => histogramQuantile(0.99, histogram, KUBELET, by);
  return newDashboard('k8s-kubelet', 'Kubernetes / Kubelet', 'The kubelets: what they run, how fast they start pods and talk to the container runtime.')
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable())
    .withVariable(labelVariable('instance', 'Kubelet', `label_values(kubelet_node_name{${BY_CLUSTER}}, instance)`))
    .withPanel(single('Kubelets up', q(`sum(up{${KUBELET}})`), { span: 6 }))
    .withPanel(single('Running pods', q(`sum(kubelet_running_pods{${KUBELET}})`), { span: 6 }))
    .withPanel(single('Running containers', q(`sum(kubelet_running_containers{container_state="running", ${KUBELET}})`), { span: 6 }))
    .withPanel(single('Runtime operation errors (1h)', q(`sum(increase(kubelet_runtime_operations_errors_total{${KUBELET}}[1h]))`), { span: 6, thresholds: levels(1, 10) }))
    .withRow(row('Workload'))
    .withPanel(graph('Running pods', [q(`sum by (instance) (kubelet_running_pods{${KUBELET}})`, '{{instance}}')], { unit: 'short' }))
    .withPanel(graph('Containers by state', [q(`sum by (container_state) (kubelet_running_containers{${KUBELET}})`, '{{container_state}}')], { unit: 'short' }))
    .withPanel(graph('Pod start duration p99', [q(p99('kubelet_pod_start_duration_seconds'), '{{instance}}')], {
      unit: 's', description: 'From the kubelet seeing a pod to its containers running; large model images make this minutes long.',
    }))
    .withPanel(graph('Pod worker duration p99', [q(p99('kubelet_pod_worker_duration_seconds', ['instance', 'operation_type']), '{{instance}} {{operation_type}}')], { unit: 's' }))
    .withPanel(graph('Evictions', [q(sumRate('kubelet_evictions', KUBELET, ['instance', 'eviction_signal']), '{{instance}} {{eviction_signal}}')], {
      unit: 'ops', description: 'Pods evicted per second, by the node pressure signal that caused it.',
    }))
    .withRow(row('Container runtime'))
    .withPanel(graph('Runtime operations', [q(sumRate('kubelet_runtime_operations_total', KUBELET, ['operation_type']), '{{operation_type}}')], { unit: 'ops' }))
    .withPanel(graph('Runtime operation errors', [q(sumRate('kubelet_runtime_operations_errors_total', KUBELET, ['instance', 'operation_type']), '{{instance}} {{operation_type}}')], { unit: 'ops' }))
    .withPanel(graph('Runtime operation duration p99', [q(p99('kubelet_runtime_operations_duration_seconds', ['instance', 'operation_type']), '{{instance}} {{operation_type}}')], { unit: 's' }))
    .withPanel(graph('PLEG relist duration p99', [q(p99('kubelet_pleg_relist_duration_seconds'), '{{instance}}')], {
      unit: 's', thresholds: levels(1, 10), description: 'The pod lifecycle event generator relists every second; above a few seconds the node goes NotReady (PLEG is not healthy).',
    }))
    .withPanel(graph('Cgroup manager duration p99', [q(p99('kubelet_cgroup_manager_duration_seconds', ['instance', 'operation_type']), '{{instance}} {{operation_type}}')], { unit: 's' }));
}

const NODE = `instance=~"$instance", ${BY_CLUSTER}`;

/** Node Overview: one node's CPU, load, memory, disks, filesystems and network (node-exporter). */
export function nodeOverviewDashboard(): dashboard.DashboardBuilder {
  const cpus = `count by (instance) (node_cpu_seconds_total{mode="idle", ${NODE}})`;
  return newDashboard('k8s-node-overview', 'Kubernetes / Node Overview', 'One node from node-exporter: CPU, load, memory, disks, filesystems and network.')
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable())
    .withVariable(labelVariable('instance', 'Node', `label_values(node_uname_info{${BY_CLUSTER}}, instance)`))
    .withRow(row('CPU'))
    .withPanel(graph('CPU busy by mode', [
      q(`${sumRate('node_cpu_seconds_total', `mode!="idle", ${NODE}`, ['instance', 'mode'])} / on (instance) group_left ${cpus}`, '{{instance}} {{mode}}'),
    ], { unit: 'percentunit', min: 0, max: 1, description: 'Share of all CPUs of the node in each non-idle mode (iowait: waiting on disk).' }))
    .withPanel(graph('Load per CPU', [
      q(`node_load1{${NODE}} / on (instance) group_left ${cpus}`, '{{instance}} 1m'),
      q(`node_load15{${NODE}} / on (instance) group_left ${cpus}`, '{{instance}} 15m'),
    ], { unit: 'short', thresholds: levels(1, 2), description: 'Runnable (and uninterruptible) tasks per CPU: above 1 work queues.' }))
    .withRow(row('Memory'))
    .withPanel(graph('Memory', [
      q(`node_memory_MemTotal_bytes{${NODE}} - node_memory_MemAvailable_bytes{${NODE}}`, '{{instance}} used'),
      q(`node_memory_Cached_bytes{${NODE}} + node_memory_Buffers_bytes{${NODE}}`, '{{instance}} page cache and buffers'),
      q(`node_memory_MemFree_bytes{${NODE}}`, '{{instance}} free'),
      q(`node_memory_MemTotal_bytes{${NODE}}`, '{{instance}} total'),
    ], { unit: 'bytes', span: 24 }))
    .withRow(row('Disks and filesystems'))
    .withPanel(graph('Disk busy time', [q(`max by (instance, device) (${rateOf('node_disk_io_time_seconds_total', NODE)})`, '{{instance}} {{device}}')], {
      unit: 'percentunit', min: 0, max: 1, thresholds: levels(0.8, 0.95), description: 'Share of time the device had I/O in flight: near 100% it is saturated.',
    }))
    .withPanel(graph('Disk throughput', [
      q(sumRate('node_disk_read_bytes_total', NODE, ['instance', 'device']), '{{instance}} {{device}} read'),
      q(sumRate('node_disk_written_bytes_total', NODE, ['instance', 'device']), '{{instance}} {{device}} written'),
    ], { unit: 'Bps' }))
    .withPanel(graph('Filesystem space used', [
      q(`1 - node_filesystem_avail_bytes{${REAL_FILESYSTEMS}, ${NODE}} / node_filesystem_size_bytes{${REAL_FILESYSTEMS}, ${NODE}}`, '{{instance}} {{mountpoint}}'),
    ], { unit: 'percentunit', min: 0, max: 1, thresholds: levels(0.8, 0.9), span: 24 }))
    .withRow(row('Network'))
    .withPanel(graph('Network bandwidth', [
      q(sumRate('node_network_receive_bytes_total', `${PHYSICAL_NICS}, ${NODE}`, ['instance', 'device']), '{{instance}} {{device}} received'),
      q(sumRate('node_network_transmit_bytes_total', `${PHYSICAL_NICS}, ${NODE}`, ['instance', 'device']), '{{instance}} {{device}} transmitted'),
    ], { unit: 'Bps' }))
    .withPanel(graph('Network errors and drops', [
      q(sumRate('node_network_receive_errs_total', NODE, ['instance', 'device']), '{{instance}} {{device}} receive errors'),
      q(sumRate('node_network_transmit_errs_total', NODE, ['instance', 'device']), '{{instance}} {{device}} transmit errors'),
      q(sumRate('node_network_receive_drop_total', NODE, ['instance', 'device']), '{{instance}} {{device}} receive drops'),
    ], { unit: 'pps' }));
}

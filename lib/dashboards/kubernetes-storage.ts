import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BY_CLUSTER, clusterVariable, datasourceVariable, graph, labelVariable, levels, namespaceVariable, newDashboard,
  promQuery as q, row, single,
} from './panels.js';

const PVC = `namespace=~"$namespace", persistentvolumeclaim=~"$persistentvolumeclaim", ${BY_CLUSTER}`;
const PVC_LEGEND = '{{namespace}}/{{persistentvolumeclaim}}';
// Forecast window of the "will fill" panel: what the seed's PV alerts look ahead (4 days).
const FORECAST_SECONDS = 4 * 24 * 3600;

/**
 * Persistent Volumes: space and inodes of mounted PVCs (the kubelet's volume stats, reported
 * only while a pod mounts the claim) and claim/volume phases (kube-state-metrics).
 */
export function persistentVolumesDashboard(): dashboard.DashboardBuilder {
  const used = (a: string, b: string) => `max by (namespace, persistentvolumeclaim) (${a}{${PVC}} / ${b}{${PVC}})`;
  return newDashboard('k8s-persistent-volumes', 'Kubernetes / Persistent Volumes', 'Space and inodes of persistent volume claims, their forecast and their phases.')
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable())
    .withVariable(namespaceVariable())
    .withVariable(labelVariable('persistentvolumeclaim', 'PVC', 'label_values(kube_persistentvolumeclaim_info{namespace=~"$namespace"}, persistentvolumeclaim)'))
    .withPanel(single('Claims not Bound', q(`sum(kube_persistentvolumeclaim_status_phase{phase!="Bound", ${PVC}})`), {
      thresholds: levels(1, 1), description: 'Pending claims hold their pods Pending; Lost claims lost their volume.',
    }))
    .withPanel(single('Volumes Failed', q(`sum(kube_persistentvolume_status_phase{phase="Failed", ${BY_CLUSTER}})`), { thresholds: levels(1, 1) }))
    .withPanel(single('Fullest volume', q(`max(${used('kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes')})`), {
      unit: 'percentunit', thresholds: levels(0.85, 0.97),
    }))
    .withPanel(single('Requested storage', q(`sum(kube_persistentvolumeclaim_resource_requests_storage_bytes{${PVC}})`), { unit: 'bytes' }))
    .withRow(row('Space'))
    .withPanel(graph('Volume space used', [q(used('kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes'), PVC_LEGEND)], {
      unit: 'percentunit', min: 0, max: 1, thresholds: levels(0.85, 0.97),
    }))
    .withPanel(graph('Volume space available', [q(`max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes{${PVC}})`, PVC_LEGEND)], { unit: 'bytes' }))
    .withPanel(graph('Space available in 4 days (linear forecast)', [
      q(`max by (namespace, persistentvolumeclaim) (predict_linear(kubelet_volume_stats_available_bytes{${PVC}}[6h], ${FORECAST_SECONDS}))`, PVC_LEGEND),
    ], { unit: 'bytes', span: 24, description: 'Available bytes extrapolated from the last 6h; below zero the volume fills within 4 days.' }))
    .withRow(row('Inodes'))
    .withPanel(graph('Volume inodes used', [q(used('kubelet_volume_stats_inodes_used', 'kubelet_volume_stats_inodes'), PVC_LEGEND)], {
      unit: 'percentunit', min: 0, max: 1, thresholds: levels(0.85, 0.97), description: 'A volume out of inodes refuses new files with free space left.',
    }))
    .withRow(row('Phases'))
    .withPanel(graph('Claims by phase', [q(`sum by (phase) (kube_persistentvolumeclaim_status_phase{${PVC}})`, '{{phase}}')], { unit: 'short' }))
    .withPanel(graph('Volumes by phase', [q(`sum by (phase) (kube_persistentvolume_status_phase{${BY_CLUSTER}})`, '{{phase}}')], { unit: 'short' }));
}

// Hand-written promtool cases for every KubernetesRules alert (see test/support/alert-cases.ts).
import { AlertCase, critical, cycle, levels, warning } from '../support/alert-cases.js';

const KSM = 'job="kube-state-metrics",instance="10.0.1.5:8080"';
const KUBELET = 'job="kubelet",metrics_path="/metrics",instance="10.0.2.7:10250"';
const CADVISOR = 'job="kubelet",metrics_path="/metrics/cadvisor",instance="10.0.2.7:10250"';
const NODE = 'job="node-exporter",instance="ip-10-0-2-7"';
const API = 'job="apiserver",instance="172.16.0.10:443"';
const N = 400; // samples at 15s: 100 minutes
const flat = (v: number) => `${v}x${N}`;
const k = (metric: string, labels: string) => `${metric}{${KSM},${labels}}`;

const POD = 'namespace="ai-serving",pod="inference-0"';
const CTR = `${POD},container="server"`;
const podL = { namespace: 'ai-serving', pod: 'inference-0' };
const ctrL = { ...podL, container: 'server' };

/** A two-series spec/status comparison: fires with (want, have), quiet with (want, want). */
const pair = (alert: string, at: string, want: string, have: string, labels: string, l: Record<string, string>, w: number, h: number): AlertCase => ({
  alert, at, fire: { [k(want, labels)]: flat(w), [k(have, labels)]: flat(h) },
  quiet: { [k(want, labels)]: flat(w), [k(have, labels)]: flat(w) }, expect: [warning(l)],
});

const D = 'namespace="ai-serving",deployment="inference"';
const dL = { namespace: 'ai-serving', deployment: 'inference' };
const S = 'namespace="vectors",statefulset="vector-store"';
const sL = { namespace: 'vectors', statefulset: 'vector-store' };
const DS = 'namespace="monitoring-agents",daemonset="dcgm-exporter"';
const dsL = { namespace: 'monitoring-agents', daemonset: 'dcgm-exporter' };
const J = 'namespace="ai-training",job_name="finetune-llm"';
const jL = { namespace: 'ai-training', job_name: 'finetune-llm' };
const H = 'namespace="ai-serving",horizontalpodautoscaler="inference"';
const hL = { namespace: 'ai-serving', horizontalpodautoscaler: 'inference' };
const P = 'namespace="ai-serving",poddisruptionbudget="inference"';
const pL = { namespace: 'ai-serving', poddisruptionbudget: 'inference' };
const PVC = `${KUBELET},namespace="vectors",persistentvolumeclaim="data-vector-store-0"`;
const pvcL = { namespace: 'vectors', persistentvolumeclaim: 'data-vector-store-0' };
const FS = `${NODE},device="/dev/nvme0n1p1",fstype="xfs",mountpoint="/"`;
const fsL = { instance: 'ip-10-0-2-7', device: '/dev/nvme0n1p1', mountpoint: '/' };
const nodeL = { instance: 'ip-10-0-2-7' };

/** Histogram buckets with every observation in the bucket `(lo, hi]` (or `(lo, +Inf)`). */
const histogram = (metric: string, labels: string, bounds: string[], hit: number): Record<string, string> =>
  Object.fromEntries(bounds.map((le, i) => [`${metric}_bucket{${labels},le="${le}"}`, i >= hit ? `0+10x${N}` : flat(0)]));

const freeVsTotal = (free: string, total: string, labels: string, f: number | string, t: number) => ({ [`${free}{${labels}}`]: typeof f === 'number' ? flat(f) : f, [`${total}{${labels}}`]: flat(t) });

export const KUBERNETES_CASES: AlertCase[] = [
  // --- workloads
  { alert: 'KubePodCrashLooping', at: '20m', note: 'crash-looping pod',
    fire: { [k('kube_pod_container_status_waiting_reason', `${CTR},reason="CrashLoopBackOff"`)]: flat(1) },
    quiet: { [k('kube_pod_container_status_waiting_reason', `${CTR},reason="CrashLoopBackOff"`)]: flat(0) }, expect: [warning(ctrL)] },
  { alert: 'KubePodNotReady', at: '20m',
    fire: { [k('kube_pod_status_ready', `${POD},condition="false"`)]: flat(1), [k('kube_pod_status_phase', `${POD},phase="Running"`)]: flat(1) },
    quiet: { [k('kube_pod_status_ready', `${POD},condition="false"`)]: flat(0), [k('kube_pod_status_phase', `${POD},phase="Running"`)]: flat(1) }, expect: [warning(podL)] },
  { alert: 'KubePodPending', at: '35m', note: 'pod stuck Pending',
    fire: { [k('kube_pod_status_phase', `${POD},phase="Pending"`)]: flat(1) },
    quiet: { [k('kube_pod_status_phase', `${POD},phase="Pending"`)]: `1x80 0x${N - 80}` }, expect: [warning(podL)] },
  { alert: 'KubeContainerImagePullFailing', at: '25m', note: 'image that cannot be pulled',
    fire: { [k('kube_pod_container_status_waiting_reason', `${CTR},reason="ImagePullBackOff"`)]: flat(1) },
    // A slow pull that fails once and then succeeds within the generous wait.
    quiet: { [k('kube_pod_container_status_waiting_reason', `${CTR},reason="ErrImagePull"`)]: `1x40 0x${N - 40}` },
    expect: [warning({ ...ctrL, reason: 'ImagePullBackOff' })] },
  { alert: 'KubeContainerCreateFailing', at: '20m',
    fire: { [k('kube_pod_container_status_waiting_reason', `${CTR},reason="CreateContainerConfigError"`)]: flat(1) },
    quiet: { [k('kube_pod_container_status_waiting_reason', `${CTR},reason="CreateContainerConfigError"`)]: flat(0) },
    expect: [warning({ ...ctrL, reason: 'CreateContainerConfigError' })] },
  { alert: 'KubeContainerOOMKilled', at: '22m',
    fire: { [k('kube_pod_container_status_last_terminated_reason', `${CTR},reason="OOMKilled"`)]: flat(1), [k('kube_pod_container_status_restarts_total', CTR)]: `0x80 1x${N - 80}` },
    quiet: { [k('kube_pod_container_status_last_terminated_reason', `${CTR},reason="OOMKilled"`)]: flat(1), [k('kube_pod_container_status_restarts_total', CTR)]: flat(3) },
    expect: [warning(ctrL)] },
  { alert: 'KubeDeploymentUnavailable', at: '10m', note: 'Deployment with no available replicas',
    fire: { [k('kube_deployment_spec_replicas', D)]: flat(2), [k('kube_deployment_status_replicas_available', D)]: flat(0) },
    quiet: { [k('kube_deployment_spec_replicas', D)]: flat(2), [k('kube_deployment_status_replicas_available', D)]: flat(1) },
    expect: [critical(dL, 'critical')] },
  { alert: 'KubeDeploymentReplicasMismatch', at: '30m',
    fire: { [k('kube_deployment_spec_replicas', D)]: flat(3), [k('kube_deployment_status_replicas_available', D)]: flat(2), [k('kube_deployment_status_replicas_updated', D)]: flat(3) },
    quiet: { [k('kube_deployment_spec_replicas', D)]: flat(3), [k('kube_deployment_status_replicas_available', D)]: flat(3), [k('kube_deployment_status_replicas_updated', D)]: flat(3) },
    expect: [warning(dL)] },
  { alert: 'KubeDeploymentRolloutStuck', at: '20m',
    fire: { [k('kube_deployment_status_condition', `${D},condition="Progressing",status="false"`)]: flat(1) },
    quiet: { [k('kube_deployment_status_condition', `${D},condition="Progressing",status="false"`)]: flat(0) }, expect: [warning(dL)] },
  pair('KubeDeploymentGenerationMismatch', '20m', 'kube_deployment_metadata_generation', 'kube_deployment_status_observed_generation', D, dL, 4, 3),
  pair('KubeStatefulSetReplicasMismatch', '20m', 'kube_statefulset_replicas', 'kube_statefulset_status_replicas_ready', S, sL, 3, 2),
  pair('KubeStatefulSetGenerationMismatch', '20m', 'kube_statefulset_metadata_generation', 'kube_statefulset_status_observed_generation', S, sL, 2, 1),
  pair('KubeStatefulSetRolloutStuck', '20m', 'kube_statefulset_replicas', 'kube_statefulset_status_replicas_updated', S, sL, 3, 1),
  { alert: 'KubeDaemonSetNotScheduled', at: '15m', note: 'DaemonSet not scheduled',
    fire: { [k('kube_daemonset_status_desired_number_scheduled', DS)]: flat(5), [k('kube_daemonset_status_current_number_scheduled', DS)]: flat(4) },
    quiet: { [k('kube_daemonset_status_desired_number_scheduled', DS)]: flat(5), [k('kube_daemonset_status_current_number_scheduled', DS)]: flat(5) },
    expect: [warning(dsL)] },
  { alert: 'KubeDaemonSetMisScheduled', at: '20m',
    fire: { [k('kube_daemonset_status_number_misscheduled', DS)]: flat(1) }, quiet: { [k('kube_daemonset_status_number_misscheduled', DS)]: flat(0) }, expect: [warning(dsL)] },
  { alert: 'KubeDaemonSetRolloutStuck', at: '35m',
    fire: { [k('kube_daemonset_status_desired_number_scheduled', DS)]: flat(5), [k('kube_daemonset_status_updated_number_scheduled', DS)]: flat(4), [k('kube_daemonset_status_number_available', DS)]: flat(5) },
    quiet: { [k('kube_daemonset_status_desired_number_scheduled', DS)]: flat(5), [k('kube_daemonset_status_updated_number_scheduled', DS)]: flat(5), [k('kube_daemonset_status_number_available', DS)]: flat(5) },
    expect: [warning(dsL)] },
  pair('KubeDaemonSetGenerationMismatch', '20m', 'kube_daemonset_metadata_generation', 'kube_daemonset_status_observed_generation', DS, dsL, 7, 6),
  { alert: 'KubeJobFailed', at: '1m', note: 'failed Job',
    fire: { [k('kube_job_failed', `${J},condition="true"`)]: flat(1) }, quiet: { [k('kube_job_failed', `${J},condition="true"`)]: flat(0) }, expect: [warning(jL)] },
  // Started 300000s before the epoch of the test: 83h ago, past the 72h default.
  { alert: 'KubeJobNotCompleted', at: '5m',
    fire: { [k('kube_job_status_start_time', J)]: flat(-300000), [k('kube_job_status_active', J)]: flat(1) },
    quiet: { [k('kube_job_status_start_time', J)]: flat(-200000), [k('kube_job_status_active', J)]: flat(1) }, expect: [warning(jL)] },
  { alert: 'KubeHpaMaxedOut', at: '20m',
    fire: { [k('kube_horizontalpodautoscaler_status_current_replicas', H)]: flat(10), [k('kube_horizontalpodautoscaler_spec_max_replicas', H)]: flat(10), [k('kube_horizontalpodautoscaler_spec_min_replicas', H)]: flat(2) },
    quiet: { [k('kube_horizontalpodautoscaler_status_current_replicas', H)]: flat(5), [k('kube_horizontalpodautoscaler_spec_max_replicas', H)]: flat(10), [k('kube_horizontalpodautoscaler_spec_min_replicas', H)]: flat(2) },
    expect: [warning(hL)] },
  pair('KubeHpaReplicasMismatch', '20m', 'kube_horizontalpodautoscaler_status_desired_replicas', 'kube_horizontalpodautoscaler_status_current_replicas', H, hL, 8, 5),
  { alert: 'KubePdbNoHealthyPods', at: '15m',
    fire: { [k('kube_poddisruptionbudget_status_expected_pods', P)]: flat(2), [k('kube_poddisruptionbudget_status_current_healthy', P)]: flat(0) },
    quiet: { [k('kube_poddisruptionbudget_status_expected_pods', P)]: flat(2), [k('kube_poddisruptionbudget_status_current_healthy', P)]: flat(2) }, expect: [warning(pL)] },
  { alert: 'KubePdbAtRisk', at: '20m',
    fire: { [k('kube_poddisruptionbudget_status_current_healthy', P)]: flat(1), [k('kube_poddisruptionbudget_status_desired_healthy', P)]: flat(2) },
    quiet: { [k('kube_poddisruptionbudget_status_current_healthy', P)]: flat(2), [k('kube_poddisruptionbudget_status_desired_healthy', P)]: flat(2) }, expect: [warning(pL)] },

  // --- storage
  { alert: 'KubePersistentVolumeFillingUp', at: '10m', note: 'PersistentVolume at 99%',
    fire: freeVsTotal('kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', PVC, 1e9, 100e9),
    quiet: freeVsTotal('kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', PVC, 50e9, 100e9), expect: levels(pvcL, 'high') },
  // 1000 units, 350 free, losing 24 an hour: 68% used at 75m and empty well within 96h.
  { alert: 'KubePersistentVolumeFillingUpSoon', at: '75m',
    fire: freeVsTotal('kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', PVC, `350-0.1x${N}`, 1000),
    quiet: freeVsTotal('kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', PVC, 350, 1000), expect: [warning(pvcL)] },
  { alert: 'KubePersistentVolumeInodesFillingUp', at: '10m',
    fire: freeVsTotal('kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes', PVC, 2, 100),
    quiet: freeVsTotal('kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes', PVC, 60, 100), expect: levels(pvcL, 'high') },
  { alert: 'KubePersistentVolumeInodesFillingUpSoon', at: '75m',
    fire: freeVsTotal('kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes', PVC, `350-0.1x${N}`, 1000),
    quiet: freeVsTotal('kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes', PVC, 350, 1000), expect: [warning(pvcL)] },
  { alert: 'KubePersistentVolumeErrors', at: '10m',
    fire: { [k('kube_persistentvolume_status_phase', 'persistentvolume="pv-1",phase="Failed"')]: flat(1) },
    quiet: { [k('kube_persistentvolume_status_phase', 'persistentvolume="pv-1",phase="Failed"')]: flat(0) },
    expect: [critical({ persistentvolume: 'pv-1', phase: 'Failed' }, 'high')] },

  // --- nodes and kubelet
  { alert: 'KubeNodeNotReady', at: '15m', note: 'NotReady node',
    fire: { [k('kube_node_status_condition', 'node="ip-10-0-2-7",condition="Ready",status="true"')]: flat(0) },
    quiet: { [k('kube_node_status_condition', 'node="ip-10-0-2-7",condition="Ready",status="true"')]: flat(1) },
    expect: [critical({ node: 'ip-10-0-2-7' }, 'high')] },
  { alert: 'KubeNodeUnreachable', at: '20m',
    fire: { [k('kube_node_spec_taint', 'node="ip-10-0-2-7",key="node.kubernetes.io/unreachable",effect="NoSchedule"')]: flat(1) },
    quiet: { [k('kube_node_spec_taint', 'node="ip-10-0-2-7",key="nvidia.com/gpu",effect="NoSchedule"')]: flat(1) }, expect: [warning({ node: 'ip-10-0-2-7' })] },
  { alert: 'KubeNodePressure', at: '15m',
    fire: { [k('kube_node_status_condition', 'node="ip-10-0-2-7",condition="DiskPressure",status="true"')]: flat(1) },
    quiet: { [k('kube_node_status_condition', 'node="ip-10-0-2-7",condition="DiskPressure",status="true"')]: flat(0) },
    expect: [warning({ node: 'ip-10-0-2-7', condition: 'DiskPressure' })] },
  { alert: 'KubeNodeFlapping', at: '35m',
    fire: { [k('kube_node_status_condition', 'node="ip-10-0-2-7",condition="Ready",status="true"')]: cycle([1, 1, 1, 1, 0, 0, 0, 0], N) },
    quiet: { [k('kube_node_status_condition', 'node="ip-10-0-2-7",condition="Ready",status="true"')]: flat(1) }, expect: [warning({ node: 'ip-10-0-2-7' })] },
  { alert: 'KubeletDown', at: '20m',
    fire: { [`up{${KUBELET}}`]: flat(0) }, quiet: { [`up{${KUBELET}}`]: flat(1) }, expect: [critical({ instance: '10.0.2.7:10250' }, 'critical')] },
  { alert: 'KubeletDown', at: '20m', note: 'no kubelet target at all',
    fire: { [`up{${NODE}}`]: flat(1) }, quiet: { [`up{${KUBELET}}`]: flat(1) }, expect: [critical({ job: 'kubelet', metrics_path: '/metrics' }, 'critical')] },
  { alert: 'KubeletTooManyPods', at: '20m',
    fire: { [k('kube_node_status_capacity', 'node="ip-10-0-2-7",resource="pods",unit="integer"')]: flat(2),
      [k('kube_pod_info', `${POD},node="ip-10-0-2-7"`)]: flat(1), [k('kube_pod_status_phase', `${POD},phase="Running"`)]: flat(1),
      [k('kube_pod_info', 'namespace="ai-serving",pod="inference-1",node="ip-10-0-2-7"')]: flat(1), [k('kube_pod_status_phase', 'namespace="ai-serving",pod="inference-1",phase="Running"')]: flat(1) },
    quiet: { [k('kube_node_status_capacity', 'node="ip-10-0-2-7",resource="pods",unit="integer"')]: flat(110),
      [k('kube_pod_info', `${POD},node="ip-10-0-2-7"`)]: flat(1), [k('kube_pod_status_phase', `${POD},phase="Running"`)]: flat(1) },
    expect: [warning({ node: 'ip-10-0-2-7' })] },
  { alert: 'KubeletPlegDurationHigh', at: '15m',
    fire: histogram('kubelet_pleg_relist_duration_seconds', KUBELET, ['5', '20', '+Inf'], 1),
    quiet: histogram('kubelet_pleg_relist_duration_seconds', KUBELET, ['5', '20', '+Inf'], 0), expect: [warning({ instance: '10.0.2.7:10250' })] },
  { alert: 'KubeletPodStartUpLatencyHigh', at: '25m',
    fire: histogram('kubelet_pod_start_sli_duration_seconds', KUBELET, ['30', '60', '120', '+Inf'], 2),
    quiet: histogram('kubelet_pod_start_sli_duration_seconds', KUBELET, ['30', '60', '120', '+Inf'], 0), expect: [warning({ instance: '10.0.2.7:10250' })] },
  { alert: 'KubeletClientCertificateExpiration', at: '10m',
    fire: { [`kubelet_certificate_manager_client_ttl_seconds{${KUBELET}}`]: `3600-15x${N}` },
    quiet: { [`kubelet_certificate_manager_client_ttl_seconds{${KUBELET}}`]: flat(30 * 86400) }, expect: levels({ instance: '10.0.2.7:10250' }, 'critical') },
  { alert: 'KubeletServerCertificateExpiration', at: '10m',
    fire: { [`kubelet_certificate_manager_server_ttl_seconds{${KUBELET}}`]: flat(5 * 86400) },
    quiet: { [`kubelet_certificate_manager_server_ttl_seconds{${KUBELET}}`]: flat(30 * 86400) }, expect: [warning({ instance: '10.0.2.7:10250' })] },
  { alert: 'KubeletServerCertificateExpiration', at: '10m', note: 'critical under a day',
    fire: { [`kubelet_certificate_manager_server_ttl_seconds{${KUBELET}}`]: flat(3600) },
    quiet: { [`kubelet_certificate_manager_server_ttl_seconds{${KUBELET}}`]: flat(30 * 86400) }, expect: levels({ instance: '10.0.2.7:10250' }, 'critical') },
  { alert: 'KubeletCertificateRenewalErrors', at: '20m',
    fire: { [`kubelet_certificate_manager_client_expiration_renew_errors{${KUBELET}}`]: `0+1x${N}` },
    quiet: { [`kubelet_certificate_manager_client_expiration_renew_errors{${KUBELET}}`]: flat(2) }, expect: [warning({ instance: '10.0.2.7:10250' })] },

  // --- resources
  { alert: 'KubeContainerCpuThrottled', at: '25m', note: 'container throttled at 60%',
    fire: { [`container_cpu_cfs_throttled_periods_total{${CADVISOR},${CTR}}`]: `0+6x${N}`, [`container_cpu_cfs_periods_total{${CADVISOR},${CTR}}`]: `0+10x${N}` },
    quiet: { [`container_cpu_cfs_throttled_periods_total{${CADVISOR},${CTR}}`]: `0+1x${N}`, [`container_cpu_cfs_periods_total{${CADVISOR},${CTR}}`]: `0+10x${N}` },
    expect: levels(ctrL, 'high') },
  ...(['cpu', 'memory'] as const).map((resource): AlertCase => {
    const nodes = (v: number) => ({
      [k('kube_node_status_allocatable', `node="a",resource="${resource}"`)]: flat(v), [k('kube_node_status_allocatable', `node="b",resource="${resource}"`)]: flat(v),
    });
    const pods = (v: number) => Object.fromEntries(['p1', 'p2'].flatMap((pod) => [
      [k('kube_pod_container_resource_requests', `namespace="ai-serving",pod="${pod}",container="server",node="a",resource="${resource}"`), flat(v)],
      [k('kube_pod_status_phase', `namespace="ai-serving",pod="${pod}",phase="Running"`), flat(1)],
    ]));
    return { alert: resource === 'cpu' ? 'KubeCpuOvercommit' : 'KubeMemoryOvercommit', at: '15m', fire: { ...nodes(4), ...pods(3) }, quiet: { ...nodes(4), ...pods(1) }, expect: [warning({})] };
  }),
  { alert: 'KubeQuotaAlmostFull', at: '20m',
    fire: { [k('kube_resourcequota', 'namespace="ai-training",resourcequota="gpus",resource="requests.nvidia.com/gpu",type="used"')]: flat(8), [k('kube_resourcequota', 'namespace="ai-training",resourcequota="gpus",resource="requests.nvidia.com/gpu",type="hard"')]: flat(8) },
    quiet: { [k('kube_resourcequota', 'namespace="ai-training",resourcequota="gpus",resource="requests.nvidia.com/gpu",type="used"')]: flat(4), [k('kube_resourcequota', 'namespace="ai-training",resourcequota="gpus",resource="requests.nvidia.com/gpu",type="hard"')]: flat(8) },
    expect: levels({ namespace: 'ai-training', resourcequota: 'gpus', resource: 'requests.nvidia.com/gpu' }, 'high') },

  // --- node-exporter
  { alert: 'NodeFilesystemAlmostFull', at: '35m', note: 'root filesystem full',
    fire: { ...freeVsTotal('node_filesystem_avail_bytes', 'node_filesystem_size_bytes', FS, 0, 100e9), [`node_filesystem_readonly{${FS}}`]: flat(0) },
    quiet: { ...freeVsTotal('node_filesystem_avail_bytes', 'node_filesystem_size_bytes', FS, 50e9, 100e9), [`node_filesystem_readonly{${FS}}`]: flat(0) }, expect: levels(fsL, 'high') },
  { alert: 'NodeFilesystemFillingUp', at: '75m',
    fire: { ...freeVsTotal('node_filesystem_avail_bytes', 'node_filesystem_size_bytes', FS, `350-0.5x${N}`, 1000), [`node_filesystem_readonly{${FS}}`]: flat(0) },
    quiet: { ...freeVsTotal('node_filesystem_avail_bytes', 'node_filesystem_size_bytes', FS, 350, 1000), [`node_filesystem_readonly{${FS}}`]: flat(0) }, expect: [warning(fsL)] },
  { alert: 'NodeFilesystemFilesAlmostFull', at: '35m',
    fire: { ...freeVsTotal('node_filesystem_files_free', 'node_filesystem_files', FS, 1, 100), [`node_filesystem_readonly{${FS}}`]: flat(0) },
    // A read-only filesystem with no free inodes (an image layer) is not an alert.
    quiet: { ...freeVsTotal('node_filesystem_files_free', 'node_filesystem_files', FS, 1, 100), [`node_filesystem_readonly{${FS}}`]: flat(1) }, expect: levels(fsL, 'high') },
  { alert: 'NodeFilesystemFilesFillingUp', at: '75m',
    fire: { ...freeVsTotal('node_filesystem_files_free', 'node_filesystem_files', FS, `350-0.5x${N}`, 1000), [`node_filesystem_readonly{${FS}}`]: flat(0) },
    quiet: { ...freeVsTotal('node_filesystem_files_free', 'node_filesystem_files', FS, 350, 1000), [`node_filesystem_readonly{${FS}}`]: flat(0) }, expect: [warning(fsL)] },
  { alert: 'NodeClockSkewDetected', at: '15m',
    fire: { [`node_timex_offset_seconds{${NODE}}`]: flat(-0.2) }, quiet: { [`node_timex_offset_seconds{${NODE}}`]: flat(0.001) }, expect: [warning(nodeL)] },
  { alert: 'NodeClockNotSynchronising', at: '20m',
    fire: { [`node_timex_sync_status{${NODE}}`]: flat(0), [`node_timex_maxerror_seconds{${NODE}}`]: flat(16) },
    quiet: { [`node_timex_sync_status{${NODE}}`]: flat(1), [`node_timex_maxerror_seconds{${NODE}}`]: flat(0.01) }, expect: [warning(nodeL)] },
  { alert: 'NodeNetworkErrors', at: '20m',
    fire: { [`node_network_receive_errs_total{${NODE},device="eth0"}`]: `0+5x${N}`, [`node_network_transmit_errs_total{${NODE},device="eth0"}`]: flat(0),
      [`node_network_receive_packets_total{${NODE},device="eth0"}`]: `0+100x${N}`, [`node_network_transmit_packets_total{${NODE},device="eth0"}`]: `0+100x${N}` },
    quiet: { [`node_network_receive_errs_total{${NODE},device="eth0"}`]: flat(0), [`node_network_transmit_errs_total{${NODE},device="eth0"}`]: flat(0),
      [`node_network_receive_packets_total{${NODE},device="eth0"}`]: `0+100x${N}`, [`node_network_transmit_packets_total{${NODE},device="eth0"}`]: `0+100x${N}` },
    expect: [warning({ ...nodeL, device: 'eth0' })] },
  { alert: 'NodeConntrackAlmostFull', at: '15m',
    fire: { [`node_nf_conntrack_entries{${NODE}}`]: flat(80), [`node_nf_conntrack_entries_limit{${NODE}}`]: flat(100) },
    quiet: { [`node_nf_conntrack_entries{${NODE}}`]: flat(10), [`node_nf_conntrack_entries_limit{${NODE}}`]: flat(100) }, expect: [warning(nodeL)] },
  { alert: 'NodeFileDescriptorsAlmostExhausted', at: '20m',
    fire: { [`node_filefd_allocated{${NODE}}`]: flat(95), [`node_filefd_maximum{${NODE}}`]: flat(100) },
    quiet: { [`node_filefd_allocated{${NODE}}`]: flat(10), [`node_filefd_maximum{${NODE}}`]: flat(100) }, expect: [warning(nodeL)] },
  { alert: 'NodeDiskIoSaturated', at: '40m',
    fire: { [`node_disk_io_time_weighted_seconds_total{${NODE},device="nvme0n1"}`]: `0+300x${N}` },
    quiet: { [`node_disk_io_time_weighted_seconds_total{${NODE},device="nvme0n1"}`]: `0+15x${N}` }, expect: [warning({ ...nodeL, device: 'nvme0n1' })] },
  { alert: 'NodeRaidDegraded', at: '20m',
    fire: { [`node_md_disks_required{${NODE},device="md0"}`]: flat(2), [`node_md_disks{${NODE},device="md0",state="active"}`]: flat(1) },
    quiet: { [`node_md_disks_required{${NODE},device="md0"}`]: flat(2), [`node_md_disks{${NODE},device="md0",state="active"}`]: flat(2) },
    expect: [critical({ ...nodeL, device: 'md0' }, 'critical')] },
  { alert: 'NodeRaidDiskFailure', at: '1m',
    fire: { [`node_md_disks{${NODE},device="md0",state="failed"}`]: flat(1) }, quiet: { [`node_md_disks{${NODE},device="md0",state="failed"}`]: flat(0) }, expect: [warning({ ...nodeL, device: 'md0' })] },
  { alert: 'NodeSystemdUnitFailed', at: '20m',
    fire: { [`node_systemd_unit_state{${NODE},name="containerd.service",state="failed",type="notify"}`]: flat(1) },
    quiet: { [`node_systemd_unit_state{${NODE},name="containerd.service",state="failed",type="notify"}`]: flat(0) }, expect: [warning({ ...nodeL, name: 'containerd.service' })] },

  // --- control plane
  { alert: 'KubeApiServerDown', at: '20m',
    fire: { [`up{${NODE}}`]: flat(1) }, quiet: { [`up{${API}}`]: flat(1) }, expect: [critical({}, 'critical')] },
  { alert: 'KubeApiServerErrorBudgetBurn', at: '20m',
    fire: { [`apiserver_request_total{${API},verb="GET",code="200"}`]: `0+80x${N}`, [`apiserver_request_total{${API},verb="GET",code="500"}`]: `0+20x${N}` },
    quiet: { [`apiserver_request_total{${API},verb="GET",code="200"}`]: `0+99x${N}`, [`apiserver_request_total{${API},verb="GET",code="500"}`]: `0+0x${N}`,
      [`apiserver_request_total{${API},verb="WATCH",code="500"}`]: `0+50x${N}` },
    expect: levels({}, 'critical') },
  { alert: 'KubeApiServerLatencyHigh', at: '15m',
    fire: histogram('apiserver_request_duration_seconds', `${API},verb="GET"`, ['0.5', '2', '+Inf'], 1),
    quiet: { ...histogram('apiserver_request_duration_seconds', `${API},verb="GET"`, ['0.5', '2', '+Inf'], 0),
      ...histogram('apiserver_request_duration_seconds', `${API},verb="LIST"`, ['0.5', '2', '+Inf'], 2) },
    expect: [warning({ verb: 'GET' })] },
  { alert: 'KubeClientCertificateExpiration', at: '10m',
    fire: histogram('apiserver_client_certificate_expiration_seconds', API, ['3600', '21600', '+Inf'], 1),
    quiet: histogram('apiserver_client_certificate_expiration_seconds', API, ['2592000', '31536000', '+Inf'], 1), expect: levels({}, 'critical') },
];

import type { IToleration } from 'kubernetes-models/v1/Toleration';
import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { IMAGES } from '../core/images.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateDnsLabel, validateK8sLabels } from '../core/names.js';
import { NetworkPeer } from '../core/network.js';
import { RuleSet } from '../core/rules.js';
import { ResourceSpec, Workload } from '../core/workload.js';
import { ServiceMonitor, THIRD_PARTY_SCRAPE_PROTOCOL } from '../metrics/monitors.js';
import { DCGM_EXPORTER_BINARY } from '../core/runtime-contracts.js';
import { requireAscending, resolveThresholds, ScraperRef, Threshold } from './common.js';

export const DCGM_EXPORTER_PORT = 9400;

/**
 * The DCGM fields the exporter collects (its `-f` collectors file). The upstream default set
 * plus the power limit, which the power alert compares against. No DCP profiling fields
 * (`DCGM_FI_PROF_*`): those need CAP_SYS_ADMIN, which this deployment does not grant.
 */
export const DCGM_COUNTERS: ReadonlyArray<[string, 'gauge' | 'counter', string]> = [
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).'],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'gauge', 'Memory utilization (in %).'],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).'],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).'],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).'],
  ['DCGM_FI_DEV_MEMORY_TEMP', 'gauge', 'Memory temperature (in C).'],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).'],
  ['DCGM_FI_DEV_POWER_MGMT_LIMIT', 'gauge', 'Power management limit (in W).'],
  ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'counter', 'Total energy consumption since boot (in mJ).'],
  ['DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency (in MHz).'],
  ['DCGM_FI_DEV_MEM_CLOCK', 'gauge', 'Memory clock frequency (in MHz).'],
  ['DCGM_FI_DEV_XID_ERRORS', 'gauge', 'Value of the last XID error encountered.'],
  ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'counter', 'Total number of PCIe retries.'],
];

/** Alert thresholds of {@link GpuMonitor}. */
export interface GpuThresholds {
  /** GPU utilization (%) averaged over 30m: saturated above it. @default 95 */
  readonly saturatedPercent: number;
  /** GPU utilization (%) of a GPU allocated to a pod, averaged over 1h: idle below it. @default 5 */
  readonly idlePercent: number;
  /** Framebuffer memory used / total. @default { warning: 0.9, critical: 0.98 } */
  readonly framebufferRatio: Threshold;
  /** GPU temperature in °C. @default { warning: 80, critical: 90 } */
  readonly temperatureCelsius: Threshold;
  /** Power draw / power limit, sustained 15m. @default { warning: 0.95, critical: 1 } */
  readonly powerRatio: Threshold;
}

export const DEFAULT_GPU_THRESHOLDS: GpuThresholds = {
  saturatedPercent: 95,
  idlePercent: 5,
  framebufferRatio: { warning: 0.9, critical: 0.98 },
  temperatureCelsius: { warning: 80, critical: 90 },
  powerRatio: { warning: 0.95, critical: 1 },
};

export interface GpuMonitorProps {
  /** The Prometheus that scrapes (a `MetricsStack`: its `agentNamespace` hosts the exporter). */
  readonly scraper: ScraperRef & { readonly agentNamespace?: string };
  /** Namespace of the exporter; needs Pod Security `privileged`. @default - the scraper's `agentNamespace` */
  readonly namespace?: string;
  /** Labels selecting GPU nodes; at least one. @default { 'nvidia.com/gpu.present': 'true' } (GPU feature discovery) */
  readonly nodeSelector?: Record<string, string>;
  /** @default - tolerate the `nvidia.com/gpu` taint */
  readonly tolerations?: IToleration[];
  /** @default IMAGES.dcgmExporter */
  readonly image?: string;
  /** @default { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' } */
  readonly resources?: ResourceSpec;
  /** Host directory of the kubelet pod-resources socket. @default '/var/lib/kubelet/pod-resources' */
  readonly podResourcesPath?: string;
  readonly thresholds?: Partial<GpuThresholds>;
  /** Namespace of the rules. @default - the scraper's namespace */
  readonly rulesNamespace?: string;
  readonly runbookBaseUrl?: string;
}

/**
 * NVIDIA dcgm-exporter on every GPU node (seed 2.1 "GPU utilization", 7.1 "gpu_metrics"), its
 * ServiceMonitor and the GPU rules: utilization, framebuffer memory, temperature, power and
 * XID errors, each attributed to the pod using the GPU (`namespace`, `pod`, `container`).
 *
 * Why host access: the exporter maps GPUs to pods through the kubelet's pod-resources socket
 * (a read-only hostPath) and talks to the GPUs through NVML, which needs root; it therefore
 * runs as root in the privileged agent namespace, but with no added capability (no
 * profiling metrics), no privilege escalation and a read-only root filesystem.
 */
export class GpuMonitor extends Construct {
  readonly namespace: string;
  readonly nodeSelector: Record<string, string>;
  readonly thresholds: GpuThresholds;
  readonly workload: Workload;
  readonly rules: RuleSet;

  constructor(scope: Construct, id: string, props: GpuMonitorProps) {
    super(scope, id);
    const ns = props.namespace ?? props.scraper.agentNamespace;
    if (!ns) throw invalid('namespace', ns, 'the privileged namespace for node agents (or a scraper with an agentNamespace, such as MetricsStack)');
    this.namespace = validateDnsLabel(ns, 'namespace');
    this.nodeSelector = validateK8sLabels(props.nodeSelector ?? { 'nvidia.com/gpu.present': 'true' }, 'nodeSelector');
    if (Object.keys(this.nodeSelector).length === 0) {
      throw invalid('nodeSelector', this.nodeSelector, 'at least one node label that selects GPU nodes, for example { "nvidia.com/gpu.present": "true" }');
    }
    this.thresholds = resolveThresholds('thresholds', DEFAULT_GPU_THRESHOLDS, props.thresholds);
    for (const k of ['framebufferRatio', 'temperatureCelsius', 'powerRatio'] as const) requireAscending(`thresholds.${k}`, this.thresholds[k]);

    const countersFile = '/etc/ai-monitoring/dcgm-counters.csv';
    const counters = new K8sObject(this, 'Counters', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dcgm-exporter-counters', namespace: this.namespace },
      data: { 'dcgm-counters.csv': DCGM_COUNTERS.map((c) => c.join(', ')).join('\n') + '\n' },
    });
    const podResources = props.podResourcesPath ?? '/var/lib/kubelet/pod-resources';
    // A hostPath must be absolute; the API server would only refuse it at apply time.
    // Only the kubelet's pod-resources directory: any other path (`/`) would expose the host.
    if (typeof podResources !== 'string' || !/^(\/[\w.-]+)*\/pod-resources$/.test(podResources) || /\/\.\.?\//.test(podResources)) {
      throw invalid('podResourcesPath', podResources, "the kubelet's pod-resources directory, an absolute path ending in /pod-resources like /var/lib/kubelet/pod-resources");
    }
    this.workload = new Workload(this, 'Resource', {
      name: 'dcgm-exporter',
      namespace: this.namespace,
      kind: 'DaemonSet',
      nodeSelector: this.nodeSelector,
      tolerations: props.tolerations ?? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'system-node-critical',
      podSecurityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'dcgm-exporter',
        image: props.image ?? IMAGES.dcgmExporter,
        // The binary, not the image entrypoint: dcgm-exporter-entrypoint.sh runs `ldconfig`
        // (writes /etc/ld.so.cache~) under `set -e`, which fails on the read-only root filesystem
        // before the exporter starts. The libraries are in the image's build-time cache and the
        // NVIDIA container toolkit updates it for the driver before the root is made read-only.
        command: [DCGM_EXPORTER_BINARY],
        args: ['-f', countersFile],
        env: [
          { name: 'DCGM_EXPORTER_LISTEN', value: `:${DCGM_EXPORTER_PORT}` },
          // Pod attribution: adds `namespace`, `pod` and `container` to every GPU series.
          { name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' },
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
        ports: [{ name: 'metrics', containerPort: DCGM_EXPORTER_PORT }],
        volumeMounts: [
          { name: 'pod-resources', mountPath: '/var/lib/kubelet/pod-resources', readOnly: true },
          { name: 'counters', mountPath: '/etc/ai-monitoring', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
        resources: props.resources ?? { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' },
        readinessProbe: { httpGet: { path: '/health', port: 'metrics' }, initialDelaySeconds: 45 },
        livenessProbe: { httpGet: { path: '/health', port: 'metrics' }, initialDelaySeconds: 45, periodSeconds: 5 },
        securityContext: { runAsNonRoot: false, runAsUser: 0 },
      }],
      volumes: [
        { name: 'pod-resources', hostPath: { path: podResources, type: 'Directory' } },
        { name: 'counters', configMap: { name: counters.name } },
        { name: 'tmp', emptyDir: {} },
      ],
      service: { ports: [{ name: 'metrics', port: DCGM_EXPORTER_PORT }] },
      ingressFrom: [{ peers: [NetworkPeer.of(props.scraper)] }],
    });
    new ServiceMonitor(this, 'Monitor', {
      name: 'dcgm-exporter',
      namespace: this.namespace,
      selector: this.workload.selectorLabels,
      fallbackScrapeProtocol: THIRD_PARTY_SCRAPE_PROTOCOL,
      endpoints: [{
        port: 'metrics',
        // The exporter's namespace/pod/container labels name the GPU's user, not the exporter.
        honorLabels: true,
        relabelings: [
          { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
          // A free GPU's series have no pod/container, so honorLabels would fill in the exporter
          // pod's own: it would count as allocated (and idle). Drop the exporter's.
          { action: 'labeldrop', regex: 'pod|container' },
        ],
      }],
    });
    this.rules = gpuRules(this, 'Rules', this.thresholds, validateDnsLabel(props.rulesNamespace ?? props.scraper.namespace, 'rulesNamespace'), props.runbookBaseUrl);
  }
}

function gpuRules(scope: Construct, id: string, t: GpuThresholds, namespace: string, runbookBaseUrl?: string): RuleSet {
  const rules = new RuleSet(scope, id, { name: 'ai-gpu', namespace, runbookBaseUrl });
  const rec = 'ai.gpu.records';
  const alerts = 'ai.gpu.alerts';
  const who = '{{ $labels.node }} GPU {{ $labels.gpu }} (pod {{ $labels.namespace }}/{{ $labels.pod }})';
  rules.addRecord(rec, { record: 'gpu:framebuffer_used:ratio', expr: 'DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)' });
  rules.addRecord(rec, { record: 'gpu:power_usage:ratio', expr: 'DCGM_FI_DEV_POWER_USAGE / (DCGM_FI_DEV_POWER_MGMT_LIMIT > 0)' });
  rules.addRecord(rec, { record: 'pod:gpu_utilization:avg', expr: 'avg by (namespace, pod) (DCGM_FI_DEV_GPU_UTIL{pod!=""})' });
  rules.addRecord(rec, { record: 'pod:gpu_framebuffer_used_bytes:sum', expr: 'sum by (namespace, pod) (DCGM_FI_DEV_FB_USED{pod!=""}) * 1048576' });
  rules.addRecord(rec, { record: 'pod:gpu_power_watts:sum', expr: 'sum by (namespace, pod) (DCGM_FI_DEV_POWER_USAGE{pod!=""})' });
  rules.addRecord(rec, { record: 'namespace:gpu_utilization:avg', expr: 'avg by (namespace) (DCGM_FI_DEV_GPU_UTIL{pod!=""})' });
  rules.addRecord(rec, { record: 'node:gpu_utilization:avg', expr: 'avg by (node) (DCGM_FI_DEV_GPU_UTIL)' });

  rules.addAlert(alerts, {
    alert: 'GpuSaturated', expr: `avg_over_time(DCGM_FI_DEV_GPU_UTIL[30m]) > ${t.saturatedPercent}`, for: '30m',
    severity: 'warning', incidentClass: 'medium',
    summary: 'GPU saturated on {{ $labels.node }}',
    description: `${who} has been over ${t.saturatedPercent}% busy for an hour ({{ $value | humanize }}%): add capacity or spread the load.`,
  });
  rules.addAlert(alerts, {
    alert: 'GpuAllocatedIdle', expr: `avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[1h]) < ${t.idlePercent}`, for: '1h',
    severity: 'warning', incidentClass: 'medium',
    summary: 'GPU allocated to {{ $labels.namespace }}/{{ $labels.pod }} is idle',
    description: `${who} is allocated but under ${t.idlePercent}% busy ({{ $value | humanize }}%): release it or fix the workload.`,
  });
  const levels: Array<[string, string, Threshold, string, string]> = [
    ['GpuFramebufferMemoryHigh', 'gpu:framebuffer_used:ratio', t.framebufferRatio, '5m', 'uses {{ $value | humanizePercentage }} of its framebuffer memory'],
    ['GpuTemperatureHigh', 'DCGM_FI_DEV_GPU_TEMP', t.temperatureCelsius, '5m', 'runs at {{ $value }}°C'],
    ['GpuPowerNearLimit', 'gpu:power_usage:ratio', t.powerRatio, '15m', 'draws {{ $value | humanizePercentage }} of its power limit and is likely throttled'],
  ];
  for (const [alert, metric, level, forDuration, what] of levels) {
    for (const severity of ['warning', 'critical'] as const) {
      rules.addAlert(alerts, {
        alert, expr: `${metric} ${alert === 'GpuPowerNearLimit' && severity === 'critical' ? '>=' : '>'} ${level[severity]}`, for: forDuration,
        severity, incidentClass: severity === 'critical' ? 'high' : 'medium',
        summary: `${alert.replace(/([a-z])([A-Z])/g, '$1 $2')} on {{ $labels.node }}`,
        description: `${who} ${what}.`,
      });
    }
  }
  rules.addAlert(alerts, {
    alert: 'GpuXidError', expr: 'DCGM_FI_DEV_XID_ERRORS > 0',
    severity: 'critical', incidentClass: 'high',
    summary: 'GPU XID error {{ $value }} on {{ $labels.node }}',
    description: `${who} reported XID error {{ $value }} (a driver-detected GPU fault; 48, 63, 64, 74, 79 and 94/95 usually need the GPU drained and reset).`,
  });
  rules.addAlert(alerts, {
    alert: 'GpuExporterDown', expr: 'up{job="dcgm-exporter"} == 0', for: '10m',
    severity: 'warning', incidentClass: 'medium',
    summary: 'GPU metrics missing from {{ $labels.node }}',
    description: 'dcgm-exporter on {{ $labels.node }} has not been scraped for 10 minutes; GPU alerts for that node are blind.',
  });
  return rules;
}

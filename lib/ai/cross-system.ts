import { Construct } from 'constructs';
import { validateDnsLabel } from '../core/names.js';
import { RuleSet } from '../core/rules.js';
import { requireAscending, resolveThresholds, Threshold } from './common.js';

/** Thresholds of the correlation alerts. */
export interface CrossSystemThresholds {
  /** GPU utilization (%) of a model's pods above which slow responses are blamed on the GPU. @default 90 */
  readonly gpuSaturatedPercent: number;
  /** Node memory used share above which errors are blamed on memory pressure. @default 0.9 */
  readonly nodeMemoryRatio: number;
  /** Model latency (seconds, 5m average) that counts as slow. @default { warning: 0.1, critical: 0.2 } (seed 1.2) */
  readonly latencySeconds: Threshold;
}

export const DEFAULT_CROSS_SYSTEM_THRESHOLDS: CrossSystemThresholds = {
  gpuSaturatedPercent: 90,
  nodeMemoryRatio: 0.9,
  latencySeconds: { warning: 0.1, critical: 0.2 },
};

export interface CrossSystemRulesProps {
  /** Namespace of the rules (the Prometheus namespace). */
  readonly namespace: string;
  readonly thresholds?: Partial<CrossSystemThresholds>;
  readonly runbookBaseUrl?: string;
}

/**
 * Cross-system coordination (seed 7.2): recording rules that join the AI series with the
 * infrastructure series, so one query answers "is this model slow because its GPU is full?"
 * or "do these errors come with node memory pressure?". The joins rely on the label contract
 * of docs/ai.md: model series carry `namespace` and `pod` of the serving pod (PodMonitor),
 * dcgm-exporter series carry the same for the pod using the GPU (`honorLabels`),
 * kube-state-metrics' `kube_pod_info` maps `namespace`/`pod` to `node`, and node-exporter
 * series carry the node name as `instance`.
 */
export class CrossSystemRules extends Construct {
  readonly rules: RuleSet;
  readonly thresholds: CrossSystemThresholds;

  constructor(scope: Construct, id: string, props: CrossSystemRulesProps) {
    super(scope, id);
    const namespace = validateDnsLabel(props.namespace, 'namespace');
    const t = this.thresholds = resolveThresholds('thresholds', DEFAULT_CROSS_SYSTEM_THRESHOLDS, props.thresholds);
    requireAscending('thresholds.latencySeconds', t.latencySeconds);
    const rules = this.rules = new RuleSet(this, 'Resource', { name: 'ai-cross-system', namespace, runbookBaseUrl: props.runbookBaseUrl });
    const g = 'ai.cross-system.records';
    const alerts = 'ai.cross-system.alerts';
    const modelPods = 'group by (namespace, pod, model, model_server) (model_pod:requests:rate5m)';

    // Infrastructure side, keyed like the model series.
    rules.addRecord(g, {
      record: 'node:memory_utilization:ratio',
      expr: '1 - sum by (node) (label_replace(node_memory_MemAvailable_bytes, "node", "$1", "instance", "(.*)"))'
        + ' / sum by (node) (label_replace(node_memory_MemTotal_bytes, "node", "$1", "instance", "(.*)"))',
    });
    rules.addRecord(g, {
      record: 'pod:node_memory_utilization:ratio',
      expr: 'max by (namespace, pod) (kube_pod_info{node!=""} * on (node) group_left () node:memory_utilization:ratio)',
    });
    rules.addRecord(g, {
      record: 'pod:node_memory_pressure:bool',
      expr: 'max by (namespace, pod) (kube_pod_info{node!=""} * on (node) group_left () max by (node) (kube_node_status_condition{condition="MemoryPressure", status="true"}))',
    });
    // The joins: infrastructure values labelled with the model each pod serves.
    rules.addRecord(g, { record: 'model_pod:gpu_utilization:avg', expr: `pod:gpu_utilization:avg * on (namespace, pod) group_right () ${modelPods}` });
    rules.addRecord(g, { record: 'model_pod:node_memory_utilization:ratio', expr: `pod:node_memory_utilization:ratio * on (namespace, pod) group_right () ${modelPods}` });
    rules.addRecord(g, {
      record: 'model_pod:latency_seconds_per_gpu_utilization:ratio',
      expr: 'model_pod:latency_seconds:avg5m / on (namespace, pod, model, model_server) (model_pod:gpu_utilization:avg > 0)',
    });

    for (const severity of ['warning', 'critical'] as const) {
      rules.addAlert(alerts, {
        alert: 'ModelLatencyGpuBound',
        expr: `model_pod:latency_seconds:avg5m > ${t.latencySeconds[severity]}`
          + ` and on (namespace, pod, model, model_server) model_pod:gpu_utilization:avg > ${t.gpuSaturatedPercent}`,
        for: '10m', severity, incidentClass: severity === 'critical' ? 'high' : 'medium',
        summary: 'Model {{ $labels.model }} is slow because its GPU is saturated',
        description: `Pod {{ $labels.namespace }}/{{ $labels.pod }} answers in {{ $value | humanizeDuration }} on average while its GPU is over ${t.gpuSaturatedPercent}% busy: scale out the model rather than debugging it.`,
      });
    }
    rules.addAlert(alerts, {
      alert: 'ModelErrorsUnderMemoryPressure',
      expr: 'model_pod:request_errors:rate5m > 0'
        + ` and on (namespace, pod) (pod:node_memory_utilization:ratio > ${t.nodeMemoryRatio} or pod:node_memory_pressure:bool > 0)`,
      for: '5m', severity: 'warning', incidentClass: 'medium',
      summary: 'Model {{ $labels.model }} fails while its node is short of memory',
      description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} returns {{ $value | humanize }} errors/s and its node is under memory pressure: look at the node before the model.',
    });
  }
}

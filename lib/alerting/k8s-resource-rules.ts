import { FamilyAlert, FamilyContext, FamilyRecord, maxBy, RuleFamily } from './rule-family.js';

// Resource use against requests, limits and quotas: cAdvisor's CFS counters (kubelet
// /metrics/cadvisor) and kube-state-metrics' requests, allocatable and quotas.

/** Requests of pods that hold them (Pending or Running), summed over the cluster. */
const requested = (c: FamilyContext, resource: string) =>
  `sum(sum by (namespace, pod) (kube_pod_container_resource_requests{resource="${resource}"}) and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"}) == 1))`;

/** Allocatable capacity left when the largest node is lost. */
const nMinusOne = (resource: string) =>
  `(sum(kube_node_status_allocatable{resource="${resource}"}) - max(kube_node_status_allocatable{resource="${resource}"}))`;

const overcommit = (alert: string, resource: string, what: string): FamilyAlert => ({
  alert, severity: 'warning', for: '10m',
  // (R > N) > 0 keeps R where R > N and R > 0: the requests are summed once.
  expr: (c) => `(${requested(c, resource)} > ${nMinusOne(resource)}) > 0`,
  summary: `Cluster ${what} requests do not survive the loss of a node`,
  description: `Pods request more ${what} than the cluster can allocate without its largest node: a node failure leaves pods Pending.`,
});

/**
 * Throttled share of CFS periods per container, read once for both levels (every container's
 * counters). Only containers over the lower level are recorded: each level compares the value
 * as before, and the record adds a series per throttled container, not per container.
 */
const THROTTLED: FamilyRecord = {
  record: 'namespace_pod_container:container_cpu_cfs_throttled_periods:percent_increase5m_over_warning',
  expr: (c) => `sum by (namespace, pod, container) (increase(${c.m('container_cpu_cfs_throttled_periods_total', 'container!=""')}[5m])) / sum by (namespace, pod, container) (increase(${c.m('container_cpu_cfs_periods_total', 'container!=""')}[5m])) * 100`
    + ` > ${Math.min(c.t.throttlingWarningPercent, c.t.throttlingCriticalPercent)}`,
};

const throttled = (severity: 'warning' | 'critical'): FamilyAlert => ({
  alert: 'KubeContainerCpuThrottled', severity, category: 'performance', for: '15m', record: THROTTLED,
  expr: (c) => `${THROTTLED.record} > ${c.t[severity === 'warning' ? 'throttlingWarningPercent' : 'throttlingCriticalPercent']}`,
  summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is CPU throttled',
  description: '{{ printf "%.0f" $value }}% of the CFS periods of container {{ $labels.container }} in pod {{ $labels.namespace }}/{{ $labels.pod }} were throttled by its CPU limit over 15 minutes.',
});

const quota = (severity: 'warning' | 'critical'): FamilyAlert => ({
  alert: 'KubeQuotaAlmostFull', severity, for: '15m',
  expr: (c) => `${maxBy('namespace, resourcequota, resource', c.m('kube_resourcequota', 'type="used"'))} / ${maxBy('namespace, resourcequota, resource', c.m('kube_resourcequota', 'type="hard"'))} * 100 > ${c.t[severity === 'warning' ? 'quotaWarningPercent' : 'quotaCriticalPercent']}`,
  summary: 'Namespace {{ $labels.namespace }} has used most of its {{ $labels.resource }} quota',
  description: 'ResourceQuota {{ $labels.namespace }}/{{ $labels.resourcequota }} is {{ printf "%.0f" $value }}% used for {{ $labels.resource }}: new pods may be refused.',
});

export const RESOURCE_RULES: RuleFamily = {
  group: 'kubernetes-resources',
  thresholds: { throttlingWarningPercent: 25, throttlingCriticalPercent: 50, quotaWarningPercent: 90, quotaCriticalPercent: 99 },
  alerts: [
    throttled('warning'),
    throttled('critical'),
    overcommit('KubeCpuOvercommit', 'cpu', 'CPU'),
    overcommit('KubeMemoryOvercommit', 'memory', 'memory'),
    quota('warning'),
    quota('critical'),
  ],
};

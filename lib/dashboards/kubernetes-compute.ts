import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BY_CLUSTER, clusterVariable, datasourceVariable, graph, joinPods, labelVariable, levels, namespaceVariable, newDashboard,
  pickVariable, podResources, podsOnNode, podWorkload, promQuery as q, rateOf, row, single, workloadVariable,
} from './panels.js';

/**
 * "Compute Resources" dashboards: CPU and memory use against requests, limits and allocatable
 * capacity, for the cluster, a namespace, workloads, a pod and a node. One view description per
 * dashboard; the panels are the same function of it, so the five views read alike.
 * Sources: cAdvisor in the kubelet (container_* series; `container!=""` drops the per-pod cgroup
 * totals that would count each pod twice) and kube-state-metrics (requests, limits, owners).
 */

type Variable = dashboard.QueryVariableBuilder | dashboard.DatasourceVariableBuilder | dashboard.TextBoxVariableBuilder;

interface ComputeView {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Variables after `$datasource` and `$cluster`. */
  readonly variables: Variable[];
  /** Labels every panel groups by, and the legend that names a group. */
  readonly by: readonly string[];
  readonly legend: string;
  /** Matchers of the cAdvisor and kube-state-metrics series. */
  readonly matchers: string;
  /** Restricts per-pod series to the view's pods and adds the grouping labels they lack (workload, node). */
  readonly scope?: (perPod: string) => string;
  /** Matchers of kube_node_status_allocatable: adds utilisation and commitment stats against node capacity. */
  readonly capacity?: string;
  /** Repeats CPU and memory per pod (views whose groups hold several pods). */
  readonly perPod?: boolean;
}

const POD_LEGEND = '{{namespace}}/{{pod}}';

function sumBy(by: readonly string[], expr: string): string {
  return `sum by (${by.join(', ')}) (${expr})`;
}

/** The per-container series of a view, before aggregation. */
function series(v: ComputeView) {
  const scoped = (e: string) => (v.scope ? v.scope(e) : e);
  const containers = `container!="", ${v.matchers}`;
  return {
    cpu: scoped(rateOf('container_cpu_usage_seconds_total', containers)),
    throttled: scoped(rateOf('container_cpu_cfs_throttled_periods_total', containers)),
    periods: scoped(rateOf('container_cpu_cfs_periods_total', containers)),
    memory: scoped(`container_memory_working_set_bytes{${containers}}`),
    rss: scoped(`container_memory_rss{${containers}}`),
    requests: (r: 'cpu' | 'memory') => scoped(podResources('requests', r, v.matchers)),
    limits: (r: 'cpu' | 'memory') => scoped(podResources('limits', r, v.matchers)),
  };
}

/** Utilisation and commitment of the view's pods against the allocatable capacity of its nodes. */
function capacityStats(d: dashboard.DashboardBuilder, v: ComputeView, capacity: string): void {
  const s = series(v);
  const allocatable = (r: string) => `sum(kube_node_status_allocatable{resource="${r}", ${capacity}})`;
  const stat = (title: string, expr: string, r: string, description: string) =>
    d.withPanel(single(title, q(`${expr} / ${allocatable(r)}`), { unit: 'percentunit', span: 4, thresholds: levels(0.8, 1), description }));
  stat('CPU utilisation', `sum(${s.cpu})`, 'cpu', 'Cores used by containers / allocatable cores of the nodes.');
  stat('CPU requests commitment', `sum(${s.requests('cpu')})`, 'cpu', 'Cores requested by Pending and Running pods / allocatable cores. Above 100% new pods stay Pending.');
  stat('CPU limits commitment', `sum(${s.limits('cpu')})`, 'cpu', 'Core limits / allocatable cores: overcommit above 100%.');
  stat('Memory utilisation', `sum(${s.memory})`, 'memory', 'Working set of containers / allocatable memory of the nodes.');
  stat('Memory requests commitment', `sum(${s.requests('memory')})`, 'memory', 'Memory requested by Pending and Running pods / allocatable memory.');
  stat('Memory limits commitment', `sum(${s.limits('memory')})`, 'memory', 'Memory limits / allocatable memory: above 100% the node can run out and OOM-kill.');
}

function computeDashboard(v: ComputeView): dashboard.DashboardBuilder {
  const d = newDashboard(v.uid, v.title, v.description)
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable());
  v.variables.forEach((x) => d.withVariable(x));
  if (v.capacity) capacityStats(d, v, v.capacity);
  const s = series(v);
  const g = (expr: string) => sumBy(v.by, expr);
  d.withRow(row('CPU'))
    .withPanel(graph('CPU usage', [q(g(s.cpu), v.legend)], { unit: 'short', description: 'Cores used (cAdvisor container_cpu_usage_seconds_total).' }))
    .withPanel(graph('CPU usage / requests', [q(`${g(s.cpu)} / ${g(s.requests('cpu'))}`, v.legend)], {
      unit: 'percentunit', description: 'Above 100% the containers use spare node capacity they did not request; far below, the requests reserve cores nobody uses.',
    }))
    .withPanel(graph('CPU usage / limits', [q(`${g(s.cpu)} / ${g(s.limits('cpu'))}`, v.legend)], {
      unit: 'percentunit', thresholds: levels(0.8, 0.95), description: 'Containers at their limit are throttled. Only containers with a CPU limit count.',
    }))
    .withPanel(graph('CPU throttling', [q(`${g(s.throttled)} / ${g(s.periods)}`, v.legend)], {
      unit: 'percentunit', min: 0, max: 1, thresholds: levels(0.25, 0.5), description: 'Share of CFS periods in which the containers were throttled at their CPU limit.',
    }))
    .withRow(row('Memory'))
    .withPanel(graph('Memory working set', [q(g(s.memory), v.legend)], { unit: 'bytes', description: 'What the kubelet compares with the limit (and evicts on).' }))
    .withPanel(graph('Memory RSS', [q(g(s.rss), v.legend)], { unit: 'bytes', description: 'Anonymous memory, which cannot be reclaimed without swap.' }))
    .withPanel(graph('Memory working set / requests', [q(`${g(s.memory)} / ${g(s.requests('memory'))}`, v.legend)], {
      unit: 'percentunit', description: 'Above 100% the pods are the first the kubelet evicts under node memory pressure.',
    }))
    .withPanel(graph('Memory working set / limits', [q(`${g(s.memory)} / ${g(s.limits('memory'))}`, v.legend)], {
      unit: 'percentunit', thresholds: levels(0.75, 0.9), description: 'At 100% the container is OOM-killed. Only containers with a memory limit count.',
    }));
  if (v.perPod) {
    const byPod = ['namespace', 'pod'];
    d.withRow(row('Pods'))
      .withPanel(graph('CPU usage by pod', [q(sumBy(byPod, s.cpu), POD_LEGEND)], { unit: 'short' }))
      .withPanel(graph('Memory working set by pod', [q(sumBy(byPod, s.memory), POD_LEGEND)], { unit: 'bytes' }));
  }
  return d;
}

const NAMESPACE = `namespace=~"$namespace", ${BY_CLUSTER}`;

/** Compute Resources / Cluster: use and commitment against capacity, per namespace. */
export function clusterComputeDashboard(): dashboard.DashboardBuilder {
  return computeDashboard({
    uid: 'k8s-compute-cluster', title: 'Kubernetes / Compute Resources / Cluster',
    description: 'CPU and memory of the cluster: use and commitment against allocatable capacity, and per namespace.',
    variables: [], by: ['namespace'], legend: '{{namespace}}', matchers: BY_CLUSTER, capacity: BY_CLUSTER,
  });
}

/** Compute Resources / Namespace: per pod of the selected namespaces. */
export function namespaceComputeDashboard(): dashboard.DashboardBuilder {
  return computeDashboard({
    uid: 'k8s-compute-namespace', title: 'Kubernetes / Compute Resources / Namespace',
    description: 'CPU and memory of the pods of the selected namespaces against their requests and limits.',
    variables: [namespaceVariable()], by: ['namespace', 'pod'], legend: POD_LEGEND, matchers: NAMESPACE,
  });
}

/** Compute Resources / Workload: per Deployment, StatefulSet, DaemonSet or Job, then per pod. */
export function workloadComputeDashboard(): dashboard.DashboardBuilder {
  return computeDashboard({
    uid: 'k8s-compute-workload', title: 'Kubernetes / Compute Resources / Workload',
    description: 'CPU and memory per workload (a ReplicaSet\'s pods count for its Deployment), then per pod of the selected workloads.',
    variables: [
      namespaceVariable(),
      workloadVariable(),
    ],
    by: ['namespace', 'workload', 'workload_type'], legend: '{{namespace}}/{{workload}} ({{workload_type}})', matchers: NAMESPACE,
    scope: (e) => joinPods(e, podWorkload(NAMESPACE, '$workload'), ['workload', 'workload_type']),
    perPod: true,
  });
}

/** Compute Resources / Pod: per container of one pod. */
export function podComputeDashboard(): dashboard.DashboardBuilder {
  return computeDashboard({
    uid: 'k8s-compute-pod', title: 'Kubernetes / Compute Resources / Pod',
    description: 'CPU and memory per container of one pod against the container\'s requests and limits.',
    variables: [
      labelVariable('namespace', 'Namespace', 'label_values(kube_pod_info, namespace)'),
      pickVariable('pod', 'Pod', 'label_values(kube_pod_info{namespace=~"$namespace"}, pod)'),
    ],
    by: ['container'], legend: '{{container}}', matchers: `pod="$pod", ${NAMESPACE}`,
  });
}

/** Compute Resources / Node: the pods of one node, against its allocatable capacity. */
export function nodeComputeDashboard(): dashboard.DashboardBuilder {
  return computeDashboard({
    uid: 'k8s-compute-node', title: 'Kubernetes / Compute Resources / Node',
    description: 'CPU and memory of the pods scheduled on the selected nodes (kube_pod_info node), against the nodes\' allocatable capacity.',
    variables: [labelVariable('node', 'Node', 'label_values(kube_node_info, node)')],
    by: ['node', 'namespace', 'pod'], legend: '{{node}} {{namespace}}/{{pod}}', matchers: BY_CLUSTER,
    scope: (e) => joinPods(e, podsOnNode(BY_CLUSTER), ['node']),
    capacity: `node=~"$node", ${BY_CLUSTER}`,
  });
}

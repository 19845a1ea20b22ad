import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BY_CLUSTER, clusterVariable, datasourceVariable, graph, joinPods, namespaceVariable, newDashboard, pickVariable, podWorkload,
  promQuery as q, rateOf, row, workloadVariable,
} from './panels.js';

/**
 * "Networking" dashboards: pod traffic from cAdvisor's container_network_* counters, which the
 * kubelet reports per pod network namespace (and interface), summed here per namespace, pod or
 * interface. `pod!=""` keeps the pod series only (a node's own traffic is on Node Overview).
 */

interface NetworkView {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: Array<dashboard.QueryVariableBuilder | dashboard.TextBoxVariableBuilder>;
  readonly by: readonly string[];
  readonly legend: string;
  readonly matchers: string;
  /** Restricts per-pod series to the view's pods, adding the grouping labels they lack (workload). */
  readonly scope?: (perPod: string) => string;
}

function networkDashboard(v: NetworkView): dashboard.DashboardBuilder {
  const m = `pod!="", ${v.matchers}`;
  const sumRate = (metric: string) => `sum by (${v.by.join(', ')}) (${v.scope ? v.scope(rateOf(metric, m)) : rateOf(metric, m)})`;
  const pair = (title: string, rx: string, tx: string, unit: string, description: string) => graph(title, [
    q(sumRate(rx), `${v.legend} received`),
    q(`-${sumRate(tx)}`, `${v.legend} transmitted`),
  ], { unit, description: `${description} Transmit is drawn below zero.` });
  const d = newDashboard(v.uid, v.title, v.description)
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable());
  v.variables.forEach((x) => d.withVariable(x));
  return d.withRow(row('Bandwidth'))
    .withPanel(graph('Receive bandwidth', [q(sumRate('container_network_receive_bytes_total'), v.legend)], { unit: 'Bps' }))
    .withPanel(graph('Transmit bandwidth', [q(sumRate('container_network_transmit_bytes_total'), v.legend)], { unit: 'Bps' }))
    .withRow(row('Packets'))
    .withPanel(pair('Packets', 'container_network_receive_packets_total', 'container_network_transmit_packets_total', 'pps', 'Packets per second.'))
    .withPanel(pair('Dropped packets', 'container_network_receive_packets_dropped_total', 'container_network_transmit_packets_dropped_total', 'pps',
      'Drops mean full queues or a NetworkPolicy/conntrack limit.'))
    .withPanel(pair('Errors', 'container_network_receive_errors_total', 'container_network_transmit_errors_total', 'pps', 'Interface errors.'));
}

/** Networking / Cluster: traffic per namespace. */
export function clusterNetworkDashboard(): dashboard.DashboardBuilder {
  return networkDashboard({
    uid: 'k8s-network-cluster', title: 'Kubernetes / Networking / Cluster', description: 'Pod network traffic of the cluster per namespace.',
    variables: [], by: ['namespace'], legend: '{{namespace}}', matchers: BY_CLUSTER,
  });
}

/** Networking / Namespace: traffic per pod of the selected namespaces. */
export function namespaceNetworkDashboard(): dashboard.DashboardBuilder {
  return networkDashboard({
    uid: 'k8s-network-namespace', title: 'Kubernetes / Networking / Namespace', description: 'Network traffic per pod of the selected namespaces.',
    variables: [namespaceVariable()], by: ['namespace', 'pod'], legend: '{{namespace}}/{{pod}}', matchers: `namespace=~"$namespace", ${BY_CLUSTER}`,
  });
}

/** Networking / Workload: traffic per workload (a ReplicaSet's pods count for its Deployment). */
export function workloadNetworkDashboard(): dashboard.DashboardBuilder {
  const namespace = `namespace=~"$namespace", ${BY_CLUSTER}`;
  return networkDashboard({
    uid: 'k8s-network-workload', title: 'Kubernetes / Networking / Workload', description: 'Network traffic per workload of the selected namespaces.',
    variables: [namespaceVariable(), workloadVariable()],
    by: ['namespace', 'workload', 'workload_type'], legend: '{{namespace}}/{{workload}} ({{workload_type}})', matchers: namespace,
    scope: (e) => joinPods(e, podWorkload(namespace, '$workload'), ['workload', 'workload_type']),
  });
}

/** Networking / Pod: traffic per interface of one pod. */
export function podNetworkDashboard(): dashboard.DashboardBuilder {
  return networkDashboard({
    uid: 'k8s-network-pod', title: 'Kubernetes / Networking / Pod', description: 'Network traffic per interface of one pod.',
    variables: [namespaceVariable(), pickVariable('pod', 'Pod', 'label_values(kube_pod_info{namespace=~"$namespace"}, pod)')],
    by: ['interface'], legend: '{{interface}}', matchers: `namespace=~"$namespace", pod="$pod", ${BY_CLUSTER}`,
  });
}

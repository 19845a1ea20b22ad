import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { invalid } from '../core/errors.js';
import {
  alertmanagerOverviewDashboard, grafanaOverviewDashboard, lokiOverviewDashboard, prometheusOverviewDashboard, thanosOverviewDashboard,
} from './component-dashboards.js';
import { apiServerDashboard } from './kubernetes-apiserver.js';
import {
  clusterComputeDashboard, namespaceComputeDashboard, nodeComputeDashboard, podComputeDashboard, workloadComputeDashboard,
} from './kubernetes-compute.js';
import { clusterNetworkDashboard, namespaceNetworkDashboard, podNetworkDashboard, workloadNetworkDashboard } from './kubernetes-network.js';
import { kubeletDashboard, nodeOverviewDashboard } from './kubernetes-nodes.js';
import { persistentVolumesDashboard } from './kubernetes-storage.js';

/** Families of the Kubernetes dashboards (`DashboardSetProps.kubernetes`). */
export type KubernetesDashboardFamily = 'compute' | 'networking' | 'storage' | 'nodes' | 'kubelet' | 'apiServer';
/** Dashboards of the platform's own components (`DashboardSetProps.components`). */
export type ComponentDashboard = 'prometheus' | 'alertmanager' | 'thanos' | 'loki' | 'grafana';

/** On/off per family; a family left out of the object is on. */
export type FamilyToggles<K extends string> = { readonly [F in K]?: boolean };

type Factory = () => dashboard.DashboardBuilder;

export const KUBERNETES_DASHBOARDS: Readonly<Record<KubernetesDashboardFamily, readonly Factory[]>> = {
  compute: [clusterComputeDashboard, namespaceComputeDashboard, workloadComputeDashboard, podComputeDashboard, nodeComputeDashboard],
  networking: [clusterNetworkDashboard, namespaceNetworkDashboard, workloadNetworkDashboard, podNetworkDashboard],
  storage: [persistentVolumesDashboard],
  nodes: [nodeOverviewDashboard],
  kubelet: [kubeletDashboard],
  apiServer: [apiServerDashboard],
};

export const COMPONENT_DASHBOARDS: Readonly<Record<ComponentDashboard, readonly Factory[]>> = {
  prometheus: [prometheusOverviewDashboard],
  alertmanager: [alertmanagerOverviewDashboard],
  thanos: [thanosOverviewDashboard],
  loki: [lokiOverviewDashboard],
  grafana: [grafanaOverviewDashboard],
};

/** The dashboards of the families a toggle turns on: `true` all, `false`/undefined none, an object all but those set to false. */
export function selectFamilies<K extends string>(prop: string, value: boolean | FamilyToggles<K> | undefined, families: Readonly<Record<K, readonly Factory[]>>): Factory[] {
  if (value === undefined || value === false) return [];
  if (value === true) return Object.values<readonly Factory[]>(families).flat();
  if (typeof value !== 'object' || value === null) throw invalid(prop, value, 'true, false or an object of per-family booleans');
  const names = Object.keys(families) as K[];
  for (const [k, v] of Object.entries(value)) {
    if (!names.includes(k as K)) throw invalid(`${prop}.${k}`, k, `one of ${names.join(', ')}`);
    if (typeof v !== 'boolean') throw invalid(`${prop}.${k}`, v, 'true or false');
  }
  return names.filter((n) => (value as FamilyToggles<K>)[n] !== false).flatMap((n) => families[n]);
}

/**
 * The component dashboards for a platform: a family the user did not set is on only when its
 * component is deployed (a Loki dashboard without Loki would show "no data").
 */
export function deployedComponents(value: boolean | FamilyToggles<ComponentDashboard> | undefined, deployed: Record<ComponentDashboard, boolean>): FamilyToggles<ComponentDashboard> | boolean | undefined {
  if (value === true) return { ...deployed };
  if (typeof value !== 'object' || value === null) return value; // selectFamilies reports it
  return { ...deployed, ...value };
}

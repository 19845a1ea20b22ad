import { Construct } from 'constructs';
import { RuleSet } from '../core/rules.js';
import { CONTROL_PLANE_RULES } from './k8s-control-plane-rules.js';
import { NODE_RULES } from './k8s-node-rules.js';
import { RESOURCE_RULES } from './k8s-resource-rules.js';
import { STORAGE_RULES } from './k8s-storage-rules.js';
import { WORKLOAD_RULES } from './k8s-workload-rules.js';
import { NODE_EXPORTER_RULES } from './node-exporter-rules.js';
import { addFamily, RuleFamily, RuleGroupOptions } from './rule-family.js';

export type { RuleGroupOptions } from './rule-family.js';

export interface KubernetesRulesProps {
  readonly namespace: string;
  /** Name of the PrometheusRule. @default 'kubernetes-rules' */
  readonly name?: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Labels on every alert. */
  readonly commonLabels?: Record<string, string>;
  /** Pods, containers, Deployments, StatefulSets, DaemonSets, Jobs, HPAs, PDBs (kube-state-metrics). `false` for none. @default - on */
  readonly workloads?: RuleGroupOptions | false;
  /** PersistentVolume space and inodes, flat and forecast, and PV errors. @default - on */
  readonly storage?: RuleGroupOptions | false;
  /** Node conditions and the kubelet (up, pods, PLEG, pod start, certificates). @default - on */
  readonly nodes?: RuleGroupOptions | false;
  /** CPU throttling, CPU and memory overcommit, quota use. @default - on */
  readonly resources?: RuleGroupOptions | false;
  /** Host filesystems, clock, network, conntrack, file descriptors, disks, RAID, systemd (node-exporter). @default - on */
  readonly nodeExporter?: RuleGroupOptions | false;
  /** API server availability, error-budget burn, latency and client certificates. @default - on */
  readonly controlPlane?: RuleGroupOptions | false;
}

const FAMILIES: Array<[keyof KubernetesRulesProps, RuleFamily]> = [
  ['workloads', WORKLOAD_RULES],
  ['storage', STORAGE_RULES],
  ['nodes', NODE_RULES],
  ['resources', RESOURCE_RULES],
  ['nodeExporter', NODE_EXPORTER_RULES],
  ['controlPlane', CONTROL_PLANE_RULES],
];

/**
 * Day-one Kubernetes alerts, written for this library from the documented meaning of the
 * kube-state-metrics v2.15, kubelet/cAdvisor, node-exporter v1.9.1 and API server metrics: one
 * rule group per family, each optional and tunable (thresholds, `for`, namespaces, single alerts).
 * Defaults suit AI workloads: long-running GPU Jobs (72h before "not completed") and large images
 * (20m before an image-pull failure pages).
 */
export class KubernetesRules extends Construct {
  readonly ruleSet: RuleSet;
  /** Alert names by group, as added. */
  readonly groups: Record<string, string[]> = {};

  constructor(scope: Construct, id: string, props: KubernetesRulesProps) {
    super(scope, id);
    this.ruleSet = new RuleSet(this, 'Resource', {
      name: props.name ?? 'kubernetes-rules',
      namespace: props.namespace,
      runbookBaseUrl: props.runbookBaseUrl,
      commonLabels: props.commonLabels,
    });
    for (const [key, family] of FAMILIES) {
      const names = addFamily(this.ruleSet, family, props[key] as RuleGroupOptions | false | undefined, key);
      if (names.length) this.groups[family.group] = names;
    }
  }

  /** The rule groups in Prometheus' rule-file form (for promtool and tests). */
  renderGroups(): Array<Record<string, unknown>> {
    return this.ruleSet.renderGroups();
  }
}

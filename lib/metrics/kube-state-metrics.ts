import { Construct } from 'constructs';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { IMAGES } from '../core/images.js';
import { validateDnsLabel } from '../core/names.js';
import { NetworkPeer } from '../core/network.js';
import { RbacGrant } from '../core/rbac.js';
import { ResourceSpec, Workload } from '../core/workload.js';
import { ServiceMonitor } from './monitors.js';

export interface KubeStateMetricsProps {
  readonly namespace: string;
  /**
   * Name of the Deployment, its ServiceAccount, Service, ClusterRole(Binding), NetworkPolicy and
   * ServiceMonitor (so the `job` label too). @default 'ai-monitoring-kube-state-metrics'
   */
  readonly name?: string;
  readonly scraperLabels: Record<string, string>;
  /** @default IMAGES.kubeStateMetrics */
  readonly image?: string;
  /** @default { cpu: '100m', memory: '190Mi', memoryLimit: '250Mi' } */
  readonly resources?: ResourceSpec;
}

/**
 * The only API resources kube-state-metrics watches: those whose `kube_*` metrics a rule or
 * dashboard of the library reads (test/policy/security-policy.test.ts derives the list from the
 * synthesized platform and fails when this one differs; Secrets are never listed). Both the
 * RBAC and the exporter's `--resources` follow it, so nothing else (Secrets above all) is listed.
 */
export const KUBE_STATE_METRICS_RESOURCES: readonly string[] = [
  'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'resourcequotas',
  'daemonsets', 'deployments', 'replicasets', 'statefulsets',
  'jobs', 'horizontalpodautoscalers', 'poddisruptionbudgets',
];

/** The API group of each resource kube-state-metrics may be asked to watch (for its RBAC). */
const API_GROUPS: Record<string, string> = {
  pods: '', nodes: '', persistentvolumes: '', persistentvolumeclaims: '', resourcequotas: '', namespaces: '', services: '',
  deployments: 'apps', statefulsets: 'apps', daemonsets: 'apps', replicasets: 'apps',
  jobs: 'batch', cronjobs: 'batch', horizontalpodautoscalers: 'autoscaling', poddisruptionbudgets: 'policy',
};

/** One RBAC rule per API group, list and watch only. */
function rbacRules(resources: readonly string[]): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) byGroup.set(API_GROUPS[r], [...(byGroup.get(API_GROUPS[r]) ?? []), r]);
  return [...byGroup].map(([group, rs]) => ({ apiGroups: [group], resources: rs, verbs: ['list', 'watch'] }));
}

/** Pod labels kube-state-metrics exports on `kube_pod_labels` (the model-service alerts select pods by them). */
export const KSM_POD_LABELS: readonly string[] = ['app', 'app.kubernetes.io/name', 'model'];

/** kube-state-metrics (seed 2.1: node status, pod health) with read-only, wildcard-free RBAC. */
export class KubeStateMetrics extends Construct {
  /** Name of the workload and of every object it derives (see the `name` prop). */
  readonly name: string;
  readonly workload: Workload;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name ?? DEFAULT_NAMES.kubeStateMetrics, 'name');
    this.workload = new Workload(this, 'Resource', {
      name: this.name,
      namespace: props.namespace,
      kind: 'Deployment',
      automountServiceAccountToken: true,
      containers: [{
        name: 'kube-state-metrics',
        image: props.image ?? IMAGES.kubeStateMetrics,
        args: ['--port=8080', '--telemetry-port=8081', `--resources=${KUBE_STATE_METRICS_RESOURCES.join(',')}`, `--metric-labels-allowlist=pods=[${KSM_POD_LABELS.join(',')}]`],
        ports: [{ name: 'http', containerPort: 8080 }, { name: 'telemetry', containerPort: 8081 }],
        resources: props.resources ?? { cpu: '100m', memory: '190Mi', memoryLimit: '250Mi' },
        readinessProbe: { httpGet: { path: '/readyz', port: 'telemetry' } },
        livenessProbe: { httpGet: { path: '/livez', port: 'http' } },
      }],
      service: { ports: [{ name: 'http', port: 8080 }, { name: 'telemetry', port: 8081 }] },
      ingressFrom: [{ peers: [NetworkPeer.pods(props.scraperLabels)] }],
    });
    new RbacGrant(this, 'Rbac', {
      name: this.name,
      serviceAccount: this.workload.serviceAccountName,
      serviceAccountNamespace: props.namespace,
      rules: rbacRules(KUBE_STATE_METRICS_RESOURCES),
    });
    new ServiceMonitor(this, 'Monitor', {
      name: this.name,
      namespace: props.namespace,
      selector: this.workload.selectorLabels,
      // honorLabels: the namespace/pod labels describe the reported object, not the exporter.
      endpoints: [{ port: 'http', honorLabels: true }, { port: 'telemetry' }],
    });
  }
}

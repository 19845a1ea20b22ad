import { Construct } from 'constructs';
import { IMAGES } from '../core/images.js';
import { NetworkPeer } from '../core/network.js';
import { RbacGrant } from '../core/rbac.js';
import { ResourceSpec, Workload } from '../core/workload.js';
import { ServiceMonitor } from './monitors.js';

export interface KubeStateMetricsProps {
  readonly namespace: string;
  readonly scraperLabels: Record<string, string>;
  /** @default IMAGES.kubeStateMetrics */
  readonly image?: string;
  /** @default { cpu: '100m', memory: '190Mi', memoryLimit: '250Mi' } */
  readonly resources?: ResourceSpec;
}

/** The API resources kube-state-metrics reports on, listed so RBAC has no wildcard. */
const WATCHED: Array<[string, string[]]> = [
  ['', ['configmaps', 'secrets', 'nodes', 'pods', 'services', 'serviceaccounts', 'resourcequotas', 'replicationcontrollers', 'limitranges', 'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints']],
  ['apps', ['statefulsets', 'daemonsets', 'deployments', 'replicasets']],
  ['batch', ['cronjobs', 'jobs']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
  ['networking.k8s.io', ['networkpolicies', 'ingresses']],
  ['storage.k8s.io', ['storageclasses', 'volumeattachments']],
  ['discovery.k8s.io', ['endpointslices']],
  ['certificates.k8s.io', ['certificatesigningrequests']],
  ['admissionregistration.k8s.io', ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']],
  ['coordination.k8s.io', ['leases']],
];

/** Pod labels kube-state-metrics exports on `kube_pod_labels` (the model-service alerts select pods by them). */
export const KSM_POD_LABELS: readonly string[] = ['app', 'app.kubernetes.io/name', 'model'];

/** kube-state-metrics (seed 2.1: node status, pod health) with read-only, wildcard-free RBAC. */
export class KubeStateMetrics extends Construct {
  readonly workload: Workload;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    this.workload = new Workload(this, 'Resource', {
      name: 'kube-state-metrics',
      namespace: props.namespace,
      kind: 'Deployment',
      automountServiceAccountToken: true,
      containers: [{
        name: 'kube-state-metrics',
        image: props.image ?? IMAGES.kubeStateMetrics,
        args: ['--port=8080', '--telemetry-port=8081', `--metric-labels-allowlist=pods=[${KSM_POD_LABELS.join(',')}]`],
        ports: [{ name: 'http', containerPort: 8080 }, { name: 'telemetry', containerPort: 8081 }],
        resources: props.resources ?? { cpu: '100m', memory: '190Mi', memoryLimit: '250Mi' },
        readinessProbe: { httpGet: { path: '/readyz', port: 'telemetry' } },
        livenessProbe: { httpGet: { path: '/livez', port: 'http' } },
      }],
      service: { ports: [{ name: 'http', port: 8080 }, { name: 'telemetry', port: 8081 }] },
      ingressFrom: [{ peers: [NetworkPeer.pods(props.scraperLabels)] }],
    });
    new RbacGrant(this, 'Rbac', {
      name: 'kube-state-metrics',
      serviceAccount: this.workload.serviceAccountName,
      serviceAccountNamespace: props.namespace,
      rules: WATCHED.map(([apiGroup, resources]) => ({ apiGroups: [apiGroup], resources, verbs: ['list', 'watch'] })),
    });
    new ServiceMonitor(this, 'Monitor', {
      name: 'kube-state-metrics',
      namespace: props.namespace,
      selector: this.workload.selectorLabels,
      // honorLabels: the namespace/pod labels describe the reported object, not the exporter.
      endpoints: [{ port: 'http', honorLabels: true }, { port: 'telemetry' }],
    });
  }
}

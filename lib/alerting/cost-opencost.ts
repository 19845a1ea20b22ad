import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { IMAGES } from '../core/images.js';
import { validateDnsLabel } from '../core/names.js';
import { FLOWS, NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { RbacGrant } from '../core/rbac.js';
import { ResourceSpec, Workload } from '../core/workload.js';
import { PodMonitor } from '../metrics/monitors.js';

/** OpenCost's HTTP port: metrics (`/metrics`), API and health (`/healthz`). */
export const OPENCOST_PORT = 9003;

/** The Prometheus OpenCost reads usage from and that scrapes it (a `MetricsStack` fits). */
export interface CostPrometheusRef extends PodsRef {
  /** In-cluster URL of the Prometheus HTTP API. */
  readonly url: string;
  /** Lets a client into the Prometheus pods' NetworkPolicy (as `MetricsStack.allowIngress`). */
  allowIngress?(flow: NetworkFlow): void;
}

export interface OpenCostProps {
  readonly prometheus: CostPrometheusRef;
  /** Namespace to run in; must exist. @default - the Prometheus namespace */
  readonly namespace?: string;
  /** @default 'opencost' */
  readonly name?: string;
  /** `CLUSTER_ID` when the series carry no cluster label. @default 'default-cluster' */
  readonly clusterId?: string;
  /** @default IMAGES.opencost */
  readonly image?: string;
  /** @default { cpu: '10m', memory: '256Mi', memoryLimit: '1Gi' } */
  readonly resources?: ResourceSpec;
  /**
   * Let OpenCost fetch on-demand prices from the cloud provider's public pricing API over
   * HTTPS. Without it OpenCost falls back to its default price sheet.
   * @default true
   */
  readonly pricingApiEgress?: boolean;
}

/**
 * OpenCost as a Prometheus cost exporter (seed 4.1 `cost_metrics`): one Deployment through
 * `Workload`, read-only cluster RBAC (the rules of OpenCost's Helm chart, without writes),
 * a NetworkPolicy allowing only Prometheus to scrape it and it to query Prometheus, and a
 * PodMonitor at OpenCost's recommended 1m interval with `honorLabels` (its series
 * describe other pods, whose `namespace`/`pod` labels must win).
 */
export class OpenCost extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly workload: Workload;

  constructor(scope: Construct, id: string, props: OpenCostProps) {
    super(scope, id);
    if (!props.prometheus?.url) throw invalid('prometheus', props.prometheus, 'a Prometheus with url, namespace and podLabels (a MetricsStack)');
    this.name = validateDnsLabel(props.name ?? 'opencost', 'name');
    this.namespace = validateDnsLabel(props.namespace ?? props.prometheus.namespace, 'namespace');
    const promPort = Number(/:(\d+)/.exec(props.prometheus.url.replace(/^https?:\/\//, ''))?.[1] ?? 9090);
    this.workload = new Workload(this, 'Resource', {
      name: this.name,
      namespace: this.namespace,
      kind: 'Deployment',
      component: 'cost-exporter',
      automountServiceAccountToken: true, // reads nodes, pods and volumes from the API server
      containers: [{
        name: 'opencost',
        image: props.image ?? IMAGES.opencost,
        ports: [{ name: 'http', containerPort: OPENCOST_PORT }],
        env: [
          { name: 'PROMETHEUS_SERVER_ENDPOINT', value: props.prometheus.url },
          { name: 'CLUSTER_ID', value: props.clusterId ?? 'default-cluster' },
        ],
        resources: props.resources ?? { cpu: '10m', memory: '256Mi', memoryLimit: '1Gi' },
        readinessProbe: { httpGet: { path: '/healthz', port: OPENCOST_PORT }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/healthz', port: OPENCOST_PORT }, initialDelaySeconds: 30, periodSeconds: 20 },
        // The root filesystem is read-only: OpenCost writes its price and config cache here.
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'configs', mountPath: '/var/configs' }],
      }],
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'configs', emptyDir: {} }],
      service: { ports: [{ name: 'http', port: OPENCOST_PORT }] },
      ingressFrom: [{ peers: [NetworkPeer.of(props.prometheus)], ports: [OPENCOST_PORT] }],
      egressTo: [
        { peers: [NetworkPeer.of(props.prometheus)], ports: [promPort] },
        ...(props.pricingApiEgress ?? true ? [FLOWS.httpsEgress()] : []),
      ],
    });
    // OpenCost queries Prometheus: open Prometheus' side of the flow too.
    props.prometheus.allowIngress?.({ peers: [NetworkPeer.pods(this.workload.selectorLabels, this.namespace)], ports: [promPort] });
    const read = ['get', 'list', 'watch'];
    new RbacGrant(this, 'Rbac', {
      name: this.name,
      serviceAccount: this.workload.serviceAccountName,
      serviceAccountNamespace: this.namespace,
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps', 'nodes', 'pods', 'services', 'resourcequotas', 'replicationcontrollers', 'limitranges',
            'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints'],
          verbs: read,
        },
        { apiGroups: ['apps'], resources: ['statefulsets', 'deployments', 'daemonsets', 'replicasets'], verbs: read },
        { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: read },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: read },
        { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: read },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: read },
      ],
    });
    // Scrape the pod on its named port; the Service is for API clients.
    new PodMonitor(this, 'Monitor', {
      name: this.name,
      namespace: this.namespace,
      selector: this.workload.selectorLabels,
      endpoints: [{ port: 'http', interval: '1m', honorLabels: true }],
    });
  }
}

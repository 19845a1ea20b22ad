import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, requireInt, requireObject, within } from '../core/errors.js';
import { IMAGES, requirePinnedImage, versionOfImage } from '../core/images.js';
import { K8sObject } from '../core/k8s-object.js';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { DISCOVERY_LABELS } from '../core/labels.js';
import { statefulSetName, validateDnsLabel, validateK8sLabels, validatePromLabelName, validatePromLabels } from '../core/names.js';
import { FLOWS, NetworkAllow, NetworkFlow, NetworkPeer, requireFlow } from '../core/network.js';
import { PlatformNamespace } from '../core/namespace.js';
import { RbacGrant } from '../core/rbac.js';
import { requireNoInlineCredential } from '../core/credentials.js';
import { requireSafeUrl } from '../core/url.js';
import { MAX_REPLICAS, ResourceSpec, restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../core/workload.js';
import { Duration, Size } from '../core/units.js';
import { ApiServerMonitor } from './apiserver-monitor.js';
import { KubeletMonitor } from './kubelet-monitor.js';
import { KubeStateMetrics, KubeStateMetricsProps } from './kube-state-metrics.js';
import { MonitorProps, PodMonitor, ServiceMonitor } from './monitors.js';
import { NODE_EXPORTER_PORT, NodeExporter, NodeExporterProps } from './node-exporter.js';

export interface MetricsStackProps {
  /** Region, written as the `region` external label of every series. */
  readonly region: string;
  /** Cluster name, written as the `cluster` external label. @default - the region */
  readonly cluster?: string;
  /** Namespace of Prometheus and the cluster-level exporters. @default 'ai-monitoring' */
  readonly namespace?: string;
  /**
   * Namespace of node agents that need host access (node-exporter; also the log agent and
   * dcgm-exporter). Labelled `privileged` for Pod Security admission, with the reason.
   * @default 'monitoring-agents'
   */
  readonly agentNamespace?: string;
  /**
   * Name of the Prometheus object; its ServiceAccount, ClusterRole, Service, PDB, policy and
   * self-monitor are `prometheus-<name>`. @default 'ai-monitoring'
   */
  readonly name?: string;
  /** @default 2 (an HA pair, deduplicated by the `prometheus_replica` label) */
  readonly replicas?: number;
  /** @default '30d' */
  readonly retention?: Duration | string;
  /** @default '100GB' */
  readonly retentionSize?: Size | string;
  /** @default '15s' */
  readonly scrapeInterval?: Duration | string;
  /** Must not exceed the scrape interval. @default '10s' */
  readonly scrapeTimeout?: Duration | string;
  /**
   * How often rule groups without their own interval are evaluated.
   * @default - 30s (prometheus-operator's default), or the scrape interval when that is longer
   */
  readonly evaluationInterval?: Duration | string;
  /** Persistent volume per replica. @default - retentionSize plus 25% headroom for the WAL and compaction */
  readonly volumeSize?: Size | string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default { cpu: '1', memory: '4Gi', memoryLimit: '8Gi' } */
  readonly resources?: ResourceSpec;
  /** @default true */
  readonly walCompression?: boolean;
  /**
   * `--rules.alert.for-grace-period`: after a restart Prometheus restores the `for` state only of
   * alerts whose `for` is at least this (upstream default 10m, longer than the seed's 1m and 5m,
   * so a restart would restart every wait and re-page firing alerts). test/failure proves it.
   * @default '1m' (the seed's shortest `for`)
   */
  readonly forGracePeriod?: Duration | string;
  /** `--rules.alert.for-outage-tolerance`: the longest outage after which `for` state is still restored. @default '1h' */
  readonly forOutageTolerance?: Duration | string;
  /** @default IMAGES.prometheus */
  readonly image?: string;
  /** Prometheus version of `image`, for the operator. Required when the image tag is not a version. @default - read from the image tag */
  readonly version?: string;
  /** Extra external labels (besides `cluster` and `region`). */
  readonly externalLabels?: Record<string, string>;
  /** node-exporter on every node; `false` for none, or its options. @default true (named 'ai-monitoring-node-exporter') */
  readonly nodeExporter?: boolean | NodeExporterOptions;
  /** kube-state-metrics; `false` for none, or its options. @default true (named 'ai-monitoring-kube-state-metrics') */
  readonly kubeStateMetrics?: boolean | KubeStateMetricsOptions;
  /** Scrape the kubelet and cAdvisor (ServiceMonitor 'ai-monitoring-kubelet'). @default true */
  readonly kubelet?: boolean;
  /** Scrape the API server (`default/kubernetes`) for the control-plane alerts (ServiceMonitor 'ai-monitoring-apiserver'). @default true */
  readonly apiServer?: boolean;
  /**
   * Namespace of prometheus-operator, whose pods (port `http`) are scraped for its reconcile,
   * sync and rejected-resource metrics (PodMonitor 'ai-monitoring-prometheus-operator'); `false` not to scrape it.
   * @default 'default' (where the release bundle installs it)
   */
  readonly operatorNamespace?: string | false;
}

/** An Alertmanager that Prometheus sends alerts to. */
export interface AlertmanagerEndpoint {
  readonly namespace: string;
  /** Service name. */
  readonly name: string;
  /** @default 'web' */
  readonly port?: string;
  /** prometheus-operator Alertmanager API version. @default 'v2' */
  readonly apiVersion?: 'v2';
}

/** Options of the node-exporter a MetricsStack runs (its namespace and scraper are the stack's). */
export type NodeExporterOptions = Omit<NodeExporterProps, 'namespace' | 'scraperLabels' | 'scraperNamespace'>;
/** Options of the kube-state-metrics a MetricsStack runs (its namespace and scraper are the stack's). */
export type KubeStateMetricsOptions = Omit<KubeStateMetricsProps, 'namespace' | 'scraperLabels'>;

/** `true`/absent: the defaults; `false`: none; an object: those options. */
function exporterOptions<T extends object>(prop: string, value: boolean | T | undefined): T | undefined {
  if (value === undefined || value === true) return {} as T;
  if (value === false) return undefined;
  return requireObject<T>(prop, value, 'true, false or an options object');
}

/** Label that names the Prometheus replica; Thanos and Grafana deduplicate on it. */
export const REPLICA_LABEL = 'prometheus_replica';

/**
 * Prometheus through prometheus-operator (seed 1.1 and 2.1): an HA pair with persistent
 * storage, retention by time and size, its own least-privilege RBAC, NetworkPolicy and PDB,
 * and the exporters of the seed's infrastructure metrics. Monitors and rules are selected by
 * the `app.kubernetes.io/part-of: ai-monitoring` label in any namespace.
 */
export class MetricsStack extends Construct {
  readonly namespace: string;
  readonly agentNamespace: string;
  readonly name: string;
  readonly region: string;
  readonly cluster: string;
  readonly replicas: number;
  readonly retention: Duration;
  readonly retentionSize: Size;
  readonly scrapeInterval: Duration;
  readonly scrapeTimeout: Duration;
  readonly evaluationInterval: Duration;
  readonly volumeSize: Size;
  readonly forGracePeriod: Duration;
  readonly forOutageTolerance: Duration;
  /** Labels of the Prometheus pods (for NetworkPolicy peers of scraped workloads). */
  readonly podLabels: Record<string, string>;
  /** In-cluster URL of the Prometheus HTTP API. */
  readonly url: string;
  readonly resource: K8sObject;
  private readonly serviceAccount: K8sObject;
  private readonly alertmanagers: AlertmanagerEndpoint[] = [];
  private readonly remoteWrites: Array<Record<string, unknown>> = [];
  private readonly egressFlows: NetworkFlow[] = [];
  private readonly ingressFlows: NetworkFlow[] = [];
  private thanos?: Record<string, unknown>;
  private readonly externalLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: MetricsStackProps) {
    super(scope, id);
    this.region = validateDnsLabel(props.region, 'region');
    this.cluster = validateDnsLabel(props.cluster ?? props.region, 'cluster');
    this.namespace = validateDnsLabel(props.namespace ?? DEFAULT_NAMES.namespace, 'namespace');
    this.agentNamespace = validateDnsLabel(props.agentNamespace ?? 'monitoring-agents', 'agentNamespace');
    this.name = validateDnsLabel(props.name ?? DEFAULT_NAMES.prometheus, 'name');
    // The operator runs StatefulSet prometheus-<name>; the library adds Service prometheus-<name>.
    statefulSetName('name', this.name, `prometheus-${this.name}`);
    this.replicas = requireInt('replicas', props.replicas ?? 2, 1, MAX_REPLICAS);
    this.retention = Duration.of(props.retention ?? '30d', 'retention');
    this.retentionSize = Size.of(props.retentionSize ?? '100GB', 'retentionSize');
    this.scrapeInterval = Duration.of(props.scrapeInterval ?? '15s', 'scrapeInterval');
    this.scrapeTimeout = Duration.of(props.scrapeTimeout ?? '10s', 'scrapeTimeout');
    // 30s, not the 15s scrape interval: evaluating every 15s doubles the rule set's cost (the
    // rules benchmark measures it) and gains at most 15s of alert latency on rates over minutes.
    const defaultEvaluation = Duration.of('30s', 'evaluationInterval');
    this.evaluationInterval = props.evaluationInterval !== undefined
      ? Duration.of(props.evaluationInterval, 'evaluationInterval')
      : (this.scrapeInterval.isLongerThan(defaultEvaluation) ? this.scrapeInterval : defaultEvaluation);
    if (this.retention.milliseconds === 0) throw invalid('retention', props.retention, 'a duration above 0s');
    if (this.scrapeInterval.milliseconds === 0) throw invalid('scrapeInterval', props.scrapeInterval, 'a duration above 0s');
    if (this.scrapeTimeout.milliseconds === 0) throw invalid('scrapeTimeout', props.scrapeTimeout, 'a duration above 0s');
    if (this.evaluationInterval.milliseconds === 0) throw invalid('evaluationInterval', props.evaluationInterval, 'a duration above 0s');
    if (this.scrapeTimeout.isLongerThan(this.scrapeInterval)) {
      throw invalid('scrapeTimeout', this.scrapeTimeout.toPrometheus(), `at most the scrapeInterval (${this.scrapeInterval})`);
    }
    this.forGracePeriod = Duration.of(props.forGracePeriod ?? '1m', 'forGracePeriod');
    this.forOutageTolerance = Duration.of(props.forOutageTolerance ?? '1h', 'forOutageTolerance');
    this.volumeSize = props.volumeSize
      ? Size.of(props.volumeSize, 'volumeSize')
      : Size.gibibytes(Math.ceil((this.retentionSize.bytes * 1.25) / 2 ** 30));
    if (this.volumeSize.bytes === 0) throw invalid('volumeSize', props.volumeSize, 'a size above 0B');
    if (this.retentionSize.isLargerThan(this.volumeSize)) {
      throw invalid('retentionSize', this.retentionSize.toPrometheus(), `at most the volume size (${this.volumeSize})`);
    }
    const image = requirePinnedImage(props.image ?? IMAGES.prometheus, 'image');
    const version = versionOfImage(image, props.version);
    this.externalLabels = { cluster: this.cluster, region: this.region, ...validatePromLabels(props.externalLabels ?? {}, 'externalLabels') };
    Object.keys(this.externalLabels).forEach((k) => validatePromLabelName(k, `externalLabels.${k}`));
    if (props.storageClassName) validateDnsLabel(props.storageClassName, 'storageClassName');
    this.podLabels = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': this.name };
    this.url = `http://prometheus-${this.name}.${this.namespace}.svc:9090`;
    const resources = props.resources ?? { cpu: '1', memory: '4Gi', memoryLimit: '8Gi' };

    new PlatformNamespace(this, 'Namespace', { name: this.namespace });
    new PlatformNamespace(this, 'AgentNamespace', {
      name: this.agentNamespace,
      podSecurity: 'privileged',
      podSecurityReason: 'node agents (node-exporter, log agent, dcgm-exporter) need host network, PID and read-only hostPath mounts, which baseline and restricted forbid',
    });

    const serviceAccount = `prometheus-${this.name}`;
    this.serviceAccount = new K8sObject(this, 'ServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace: this.namespace },
    });
    new RbacGrant(this, 'Rbac', {
      name: serviceAccount,
      serviceAccount,
      serviceAccountNamespace: this.namespace,
      rules: [
        { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        { nonResourceURLs: ['/metrics', '/metrics/cadvisor'], verbs: ['get'] },
      ],
    });

    const discovery = { matchLabels: { ...DISCOVERY_LABELS } };
    const containerSecurity = restrictedContainerSecurityContext();
    this.resource = new K8sObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: this.name, namespace: this.namespace },
      spec: Lazy.any({
        produce: () => ({
          image,
          version,
          replicas: this.replicas,
          replicaExternalLabelName: REPLICA_LABEL,
          externalLabels: this.externalLabels,
          retention: this.retention.toPrometheus(),
          retentionSize: this.retentionSize.toPrometheus(),
          scrapeInterval: this.scrapeInterval.toPrometheus(),
          scrapeTimeout: this.scrapeTimeout.toPrometheus(),
          evaluationInterval: this.evaluationInterval.toPrometheus(),
          walCompression: props.walCompression ?? true,
          rules: { alert: { forGracePeriod: this.forGracePeriod.toPrometheus(), forOutageTolerance: this.forOutageTolerance.toPrometheus() } },
          serviceAccountName: serviceAccount,
          podMetadata: { labels: this.podLabels },
          serviceMonitorSelector: discovery,
          serviceMonitorNamespaceSelector: {},
          podMonitorSelector: discovery,
          podMonitorNamespaceSelector: {},
          probeSelector: discovery,
          probeNamespaceSelector: {},
          scrapeConfigSelector: discovery,
          scrapeConfigNamespaceSelector: {},
          ruleSelector: discovery,
          ruleNamespaceSelector: {},
          resources: {
            requests: { cpu: resources.cpu, memory: resources.memory },
            limits: { memory: resources.memoryLimit ?? resources.memory },
          },
          securityContext: restrictedPodSecurityContext(1000),
          containers: ['prometheus', 'config-reloader'].map((name) => ({ name, securityContext: containerSecurity })),
          initContainers: [{ name: 'init-config-reloader', securityContext: containerSecurity }],
          topologySpreadConstraints: this.replicas > 1 ? spreadConstraints(this.podLabels) : undefined,
          storage: {
            volumeClaimTemplate: {
              spec: {
                accessModes: ['ReadWriteOnce'],
                ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
                resources: { requests: { storage: this.volumeSize.toKubernetesGi() } },
              },
            },
          },
          ...(this.alertmanagers.length
            ? { alerting: { alertmanagers: this.alertmanagers.map((a) => ({ namespace: a.namespace, name: a.name, port: a.port ?? 'web', apiVersion: a.apiVersion ?? 'v2' })) } }
            : {}),
          ...(this.remoteWrites.length ? { remoteWrite: this.remoteWrites } : {}),
          ...(this.thanos ? { thanos: this.thanos } : {}),
        }),
      }),
    });

    new K8sObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `prometheus-${this.name}`, namespace: this.namespace, labels: this.podLabels },
      spec: {
        selector: this.podLabels,
        ports: [{ name: 'web', port: 9090, targetPort: 'web' }],
        sessionAffinity: 'ClientIP',
      },
    });

    if (this.replicas > 1) {
      new K8sObject(this, 'Pdb', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: `prometheus-${this.name}`, namespace: this.namespace },
        spec: { maxUnavailable: 1, selector: { matchLabels: this.podLabels } },
      });
    }

    // The flow arrays are handed to NetworkAllow by reference and rendered at synthesis, so
    // flows added later through allowIngress/allowEgress land in the policy.
    this.ingressFlows.push(
      // Prometheus scrapes itself (web, config reloader, sidecar); query clients are admitted
      // one by one (allowIngress) by the constructs that run them, never the whole namespace.
      { peers: [NetworkPeer.pods(this.podLabels)], ports: [9090, 8080, 10902] },
    );
    this.egressFlows.push(
      { peers: [NetworkPeer.allPods('Prometheus scrapes targets in any namespace (monitors select them at runtime)')] },
      // Host-network targets: node-exporter and kubelet, reachable only by node IP.
      { peers: [NetworkPeer.anywhere('host-network targets (node-exporter, kubelet) are reachable only by node IP')], ports: [NODE_EXPORTER_PORT, 10250] },
      FLOWS.kubeApiServer(),
    );
    new NetworkAllow(this, 'NetworkPolicy', {
      name: `prometheus-${this.name}`,
      namespace: this.namespace,
      podLabels: this.podLabels,
      ingress: this.ingressFlows,
      egress: this.egressFlows,
    });

    const nodeExporter = exporterOptions<NodeExporterOptions>('nodeExporter', props.nodeExporter);
    if (nodeExporter) {
      within('nodeExporter', () => new NodeExporter(this, 'NodeExporter', { ...nodeExporter, namespace: this.agentNamespace, scraperLabels: this.podLabels, scraperNamespace: this.namespace }));
    }
    const ksm = exporterOptions<KubeStateMetricsOptions>('kubeStateMetrics', props.kubeStateMetrics);
    if (ksm) within('kubeStateMetrics', () => new KubeStateMetrics(this, 'KubeStateMetrics', { ...ksm, namespace: this.namespace, scraperLabels: this.podLabels }));
    if (props.kubelet ?? true) new KubeletMonitor(this, 'Kubelet', { namespace: this.namespace });
    if (props.apiServer ?? true) new ApiServerMonitor(this, 'ApiServer', { namespace: this.namespace });
    if (props.operatorNamespace !== false) {
      // The bundle's operator pods; the monitor lives beside them (no NetworkPolicy there).
      new PodMonitor(this, 'OperatorMonitor', {
        name: DEFAULT_NAMES.operatorMonitor,
        namespace: validateDnsLabel(props.operatorNamespace ?? 'default', 'operatorNamespace'),
        selector: { 'app.kubernetes.io/name': 'prometheus-operator' },
        endpoints: [{ port: 'http' }],
      });
    }
    new ServiceMonitor(this, 'SelfMonitor', {
      name: `prometheus-${this.name}`,
      namespace: this.namespace,
      selector: this.podLabels,
      endpoints: [{ port: 'web' }],
    });
  }

  /** Scrape a Service's endpoints. The monitor gets the discovery label automatically. */
  addServiceMonitor(id: string, props: MonitorProps): ServiceMonitor {
    validateK8sLabels(props.selector, 'selector');
    return new ServiceMonitor(this, id, props);
  }

  /** Scrape pods directly (no Service needed). */
  addPodMonitor(id: string, props: MonitorProps): PodMonitor {
    validateK8sLabels(props.selector, 'selector');
    return new PodMonitor(this, id, props);
  }

  /** Send alerts to an Alertmanager Service (wired by the incident-routing construct). */
  addAlertmanager(endpoint: AlertmanagerEndpoint): void {
    this.alertmanagers.push(endpoint);
  }

  /** Add a remote-write destination (prometheus-operator RemoteWriteSpec); credentials belong in its Secret references, not the URL. */
  addRemoteWrite(spec: Record<string, unknown>): void {
    if (!spec || typeof spec !== 'object') throw invalid('remoteWrite', spec, 'a prometheus-operator RemoteWriteSpec');
    requireSafeUrl('remoteWrite.url', spec.url);
    // Headers, bearerToken, basicAuth/oauth2 fields and every nested URL (oauth2.tokenUrl, proxyUrl).
    requireNoInlineCredential('remoteWrite', spec, (prop, value) => { requireSafeUrl(prop, value); });
    this.remoteWrites.push(spec);
  }

  /** Annotate the Prometheus pods' ServiceAccount (for example an IRSA role for the Thanos sidecar). */
  addServiceAccountAnnotation(key: string, value: string): void {
    this.serviceAccount.metadata.addAnnotation(key, value);
  }

  /** Configure the Thanos sidecar (prometheus-operator ThanosSpec). */
  setThanos(spec: Record<string, unknown>): void {
    this.thanos = spec;
  }

  /** Allow another flow out of the Prometheus pods (for example remote write to another region). */
  allowEgress(flow: NetworkFlow): void {
    this.egressFlows.push(requireFlow(`prometheus.egress[${this.egressFlows.length}]`, flow));
  }

  /** Allow another client into the Prometheus pods (for example Grafana in another namespace). */
  allowIngress(flow: NetworkFlow): void {
    this.ingressFlows.push(requireFlow(`prometheus.ingress[${this.ingressFlows.length}]`, flow));
  }
}

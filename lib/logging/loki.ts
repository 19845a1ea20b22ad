import { createHash } from 'node:crypto';
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { toYaml } from '../core/yaml.js';
import { invalid, requireInt } from '../core/errors.js';
import { IMAGES } from '../core/images.js';
import { K8sObject } from '../core/k8s-object.js';
import { requireDerivedName, validateDnsLabel } from '../core/names.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';
import { FLOWS, NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { restrictedPodSecurityContext, Workload } from '../core/workload.js';
import { Duration, Size } from '../core/units.js';
import { buildLokiConfig, LOKI_DATA_DIR, LOKI_GOSSIP_PORT, LOKI_GRPC_PORT, LOKI_HTTP_PORT, LOKI_RULES_DIR, LOKI_TENANT } from './loki-config.js';
import { LokiComponent, LokiMode } from './loki-mode.js';
import { LokiStorage } from './loki-storage.js';

export interface LokiProps {
  readonly namespace: string;
  /** Prefix of every object name. @default 'loki' */
  readonly name?: string;
  /** @default LokiMode.distributed() */
  readonly mode?: LokiMode;
  /** @default - LokiStorage.filesystem() for one single-binary replica; required otherwise */
  readonly storage?: LokiStorage;
  /** Compactor retention; at least 24h (Loki's index period). @default '30d' */
  readonly retention?: Duration | string;
  /** Per-tenant ingestion rate, per second (`ingestion_rate_mb`). @default '10MB' */
  readonly ingestionRate?: Size | string;
  /** Burst above the rate (`ingestion_burst_size_mb`); at least the rate. @default - twice the rate */
  readonly ingestionBurst?: Size | string;
  /**
   * Active streams per tenant across the cluster (`max_global_streams_per_user`; Loki's default
   * 5000 is below what `pod_name` as a label produces on a busy cluster, and a push over it is
   * refused with 429). Streams, not bytes, drive it: the seed's 10MB/s from 2,500 pods with two
   * containers each, stdout and stderr and two or three `level` values in use is about 25,000
   * streams of 0.4KB/s; the default is 50,000 (2x that). Each active stream holds an open chunk
   * in the memory of RF ingesters.
   * @default 50000
   */
  readonly maxStreams?: number;
  /**
   * Base URL of the Grafana the ruler's alert links open (`ruler.external_url`; the links go to
   * Explore on the datasource `LOKI_DATASOURCE_UID`, `ruler.datasource_uid`). Without it Loki
   * writes relative links. @default - Grafana's `rootUrl` in a MonitoringPlatform, else the query URL
   */
  readonly externalUrl?: string;
  /**
   * Compressed chunk target (`chunk_target_size`). Loki cuts chunks of about 1.5MB; chunks far
   * larger hold streams in ingester memory for hours and slow queries, so 256KB-8MB is allowed.
   * @default '1536KB'
   */
  readonly chunkTargetSize?: Size | string;
  /** @default '30m' */
  readonly chunkIdlePeriod?: Duration | string;
  /** @default '2h' */
  readonly maxChunkAge?: Duration | string;
  /** First day of the TSDB v13 schema; never change it once data exists (add a period instead). @default '2024-04-01' */
  readonly schemaFrom?: string;
  /** Alertmanager the ruler sends log alerts to, e.g. `http://alertmanager-ai-monitoring.ai-monitoring.svc:9093`. @default - no notifications */
  readonly alertmanagerUrl?: string;
  /** Pods behind `alertmanagerUrl` (e.g. `IncidentRouting`), to narrow the ruler's egress. @default - every pod of the URL's namespace */
  readonly alertmanagerPods?: PodsRef;
  /** ConfigMap with the ruler's `rules.yaml` (see {@link LogAlertRules}). @default - no rules mounted */
  readonly rulesConfigMap?: string;
  /** Pods allowed to scrape `/metrics` (the MetricsStack). */
  readonly scraper?: PodsRef;
  /** @default IMAGES.loki */
  readonly image?: string;
}

/** Which component serves a client's calls on which port (distributed mode). */
const CALLS: ReadonlyArray<[client: LokiComponent, server: LokiComponent, port: number]> = [
  ['distributor', 'ingester', LOKI_GRPC_PORT],
  ['querier', 'ingester', LOKI_GRPC_PORT],
  ['ruler', 'ingester', LOKI_GRPC_PORT],
  ['query-frontend', 'query-scheduler', LOKI_GRPC_PORT],
  ['querier', 'query-scheduler', LOKI_GRPC_PORT],
  ['querier', 'query-frontend', LOKI_GRPC_PORT], // queriers return results to the frontend
  ['querier', 'index-gateway', LOKI_GRPC_PORT],
  ['ruler', 'index-gateway', LOKI_GRPC_PORT],
  ['query-frontend', 'index-gateway', LOKI_GRPC_PORT],
  ['query-frontend', 'querier', LOKI_HTTP_PORT], // live tailing (frontend.tail_proxy_url)
  ['querier', 'compactor', LOKI_HTTP_PORT], // delete requests (common.compactor_address)
  ['query-frontend', 'compactor', LOKI_HTTP_PORT],
  ['ruler', 'compactor', LOKI_HTTP_PORT],
  // Sharded rulers ask each other for their groups (rules and alerts APIs).
  ['ruler', 'ruler', LOKI_GRPC_PORT],
];
/** Components that read or write the object store. */
const OBJECT_STORE_USERS: readonly LokiComponent[] = ['ingester', 'querier', 'compactor', 'index-gateway', 'ruler'];

/**
 * Grafana Loki (seed 3.1), in microservices mode or as one binary. Every component is a
 * {@link Workload} (restricted security context, PDB and spreading when replicated, its own
 * NetworkPolicy with one rule per call between components), the configuration is generated
 * from typed props, the ingesters keep their WAL on persistent volumes, one compactor applies
 * retention, and the components gossip their rings over a headless memberlist Service.
 */
export class Loki extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly mode: LokiMode;
  readonly storage: LokiStorage;
  readonly retention: Duration;
  readonly ingestionRate: Size;
  readonly ingestionBurst: Size;
  readonly chunkTargetSize: Size;
  readonly maxStreams: number;
  /** The rendered `loki.yaml`. */
  readonly config: string;
  /** Push endpoint for log agents. */
  readonly pushUrl: string;
  /** Query endpoint (Grafana datasource URL). */
  readonly queryUrl: string;
  /**
   * Rules and alerts API (`/prometheus/api/v1/rules`, `/loki/api/v1/rules`): the ruler in the
   * distributed mode (the query-frontend answers 404 there), else the single binary.
   */
  readonly rulesUrl?: string;
  /** Labels shared by every Loki pod (memberlist peers). */
  readonly podLabels: Record<string, string>;
  readonly workloads: Partial<Record<LokiComponent | 'all', Workload>> = {};

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name ?? 'loki', 'name');
    requireDerivedName('name', this.name, { name: `${this.name}-memberlist`, what: 'the headless memberlist Service' });
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    this.mode = props.mode ?? LokiMode.distributed();
    const single = this.mode.kind === 'single-binary';
    if (!props.storage && !(single && this.mode.replicas === 1)) {
      throw invalid('storage', props.storage, 'LokiStorage.s3(...) for the distributed mode or more than one replica');
    }
    this.storage = props.storage ?? LokiStorage.filesystem();
    if (!this.storage.isObjectStore && !(single && this.mode.replicas === 1)) {
      throw invalid('storage', 'filesystem', 'an object store (LokiStorage.s3) when Loki runs more than one pod');
    }
    this.retention = Duration.of(props.retention ?? '30d', 'retention');
    if (this.retention.isShorterThan(Duration.hours(24))) throw invalid('retention', this.retention.toPrometheus(), 'at least 24h (Loki\'s index period)');
    this.ingestionRate = Size.of(props.ingestionRate ?? '10MB', 'ingestionRate');
    if (this.ingestionRate.bytes === 0) throw invalid('ingestionRate', props.ingestionRate, 'a rate above 0');
    this.ingestionBurst = Size.of(props.ingestionBurst ?? this.ingestionRate.times(2), 'ingestionBurst');
    if (this.ingestionRate.isLargerThan(this.ingestionBurst)) {
      throw invalid('ingestionBurst', this.ingestionBurst.toPrometheus(), `at least the ingestion rate (${this.ingestionRate})`);
    }
    this.chunkTargetSize = Size.of(props.chunkTargetSize ?? '1536KB', 'chunkTargetSize');
    if (this.chunkTargetSize.isLargerThan(Size.mebibytes(8)) || Size.bytes(256 * 1024).isLargerThan(this.chunkTargetSize)) {
      throw invalid('chunkTargetSize', this.chunkTargetSize.toPrometheus(), 'a compressed chunk size between 256KB and 8MB (Loki\'s default is 1536KB; see docs/logging.md)');
    }
    this.maxStreams = requireInt('maxStreams', props.maxStreams ?? 50000, 1);
    const schemaFrom = props.schemaFrom ?? '2024-04-01';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(schemaFrom)) throw invalid('schemaFrom', schemaFrom, 'a date like 2024-04-01');
    if (props.alertmanagerUrl !== undefined) requireUrlWithoutCredential('alertmanagerUrl', props.alertmanagerUrl);
    if (props.alertmanagerUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(props.alertmanagerUrl)) {
      throw invalid('alertmanagerUrl', props.alertmanagerUrl, 'an http(s) URL');
    }
    const svc = (c: string) => `${this.name}-${c}.${this.namespace}.svc.cluster.local`;
    const multiPod = !single || this.mode.replicas > 1;
    this.podLabels = { 'app.kubernetes.io/instance': this.name };
    this.pushUrl = `http://${single ? `${this.name}.${this.namespace}.svc.cluster.local` : svc('distributor')}:${LOKI_HTTP_PORT}/loki/api/v1/push`;
    this.queryUrl = `http://${single ? `${this.name}.${this.namespace}.svc.cluster.local` : svc('query-frontend')}:${LOKI_HTTP_PORT}`;
    if (this.mode.ruler) this.rulesUrl = single ? this.queryUrl : `http://${svc('ruler')}:${LOKI_HTTP_PORT}`;
    const rulerOn = this.mode.ruler;
    const externalUrl = props.externalUrl ?? this.queryUrl;
    if (props.externalUrl !== undefined) requireUrlWithoutCredential('externalUrl', props.externalUrl);
    if (!/^https?:\/\/[^\s/]+/.test(externalUrl)) throw invalid('externalUrl', props.externalUrl, 'an http(s) URL like https://grafana.example.com');

    const configObject = buildLokiConfig({
      storage: this.storage,
      replicationFactor: this.mode.replicationFactor,
      memberlistJoin: multiPod ? [`dns+${svc('memberlist')}:${LOKI_GOSSIP_PORT}`] : undefined,
      retention: this.retention,
      ingestionRate: this.ingestionRate,
      ingestionBurst: this.ingestionBurst,
      maxStreams: this.maxStreams,
      chunks: {
        targetSize: this.chunkTargetSize,
        idlePeriod: Duration.of(props.chunkIdlePeriod ?? '30m', 'chunkIdlePeriod'),
        maxAge: Duration.of(props.maxChunkAge ?? '2h', 'maxChunkAge'),
      },
      schemaFrom,
      addresses: single ? undefined : {
        scheduler: `${svc('query-scheduler')}:${LOKI_GRPC_PORT}`,
        indexGateway: `dns+${svc('index-gateway')}:${LOKI_GRPC_PORT}`,
        compactor: `http://${svc('compactor')}:${LOKI_HTTP_PORT}`,
        querier: `http://${svc('querier')}:${LOKI_HTTP_PORT}`,
      },
      ruler: rulerOn ? { alertmanagerUrl: props.alertmanagerUrl, externalUrl, evaluationInterval: Duration.minutes(1), sharding: this.mode.replicas > 1 } : undefined,
    });
    this.config = `# Generated by @aeon-nova/ai-monitoring (Loki). Do not edit: change the construct props.\n${toYaml(configObject)}`;
    new K8sObject(this, 'Config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace: this.namespace },
      data: { 'loki.yaml': this.config },
    });

    if (multiPod) {
      // One headless Service for the gossip ring of every component; addresses are published
      // before readiness because a pod only becomes ready after it joined the ring.
      new K8sObject(this, 'Memberlist', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${this.name}-memberlist`, namespace: this.namespace },
        spec: {
          clusterIP: 'None',
          publishNotReadyAddresses: true,
          selector: this.podLabels,
          ports: [{ name: 'tcp-gossip', port: LOKI_GOSSIP_PORT, targetPort: LOKI_GOSSIP_PORT, protocol: 'TCP' }],
        },
      });
    }

    const image = props.image ?? IMAGES.loki;
    const checksum = createHash('sha256').update(this.config).digest('hex').slice(0, 16);
    const credentials = this.storage.credentials;
    const build = (component: LokiComponent | 'all', kind: 'Deployment' | 'StatefulSet', replicas: number, persistent: boolean): Workload => {
      const name = component === 'all' ? this.name : `${this.name}-${component}`;
      const target = component === 'all' ? 'all' : component;
      const volumes = [
        { name: 'config', configMap: { name: this.name } },
        { name: 'tmp', emptyDir: {} },
        ...(persistent ? [] : [{ name: 'data', emptyDir: {} }]),
        ...(props.rulesConfigMap && (target === 'all' || target === 'ruler') ? [{ name: 'rules', configMap: { name: props.rulesConfigMap } }] : []),
      ];
      const w = new Workload(this, component === 'all' ? 'Resource' : component, {
        name,
        namespace: this.namespace,
        kind,
        component: component === 'all' ? 'loki' : component,
        replicas,
        podSecurityContext: restrictedPodSecurityContext(10001), // the image's loki user
        podAnnotations: { 'checksum/config': checksum },
        terminationGracePeriodSeconds: component === 'ingester' || component === 'all' ? 300 : undefined,
        containers: [{
          name: 'loki',
          image,
          args: [
            '-config.file=/etc/loki/config/loki.yaml',
            `-target=${target}`,
            ...(credentials?.secretRef ? ['-config.expand-env=true'] : []),
          ],
          env: credentials?.env.length ? credentials.env : undefined,
          ports: [
            { name: 'http', containerPort: LOKI_HTTP_PORT },
            { name: 'grpc', containerPort: LOKI_GRPC_PORT },
            ...(multiPod ? [{ name: 'gossip', containerPort: LOKI_GOSSIP_PORT }] : []),
          ],
          volumeMounts: [
            { name: 'config', mountPath: '/etc/loki/config', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'data', mountPath: LOKI_DATA_DIR },
            ...(volumes.some((v) => v.name === 'rules') ? [{ name: 'rules', mountPath: `${LOKI_RULES_DIR}/${LOKI_TENANT}`, readOnly: true }] : []),
          ],
          resources: this.mode.resources[component],
          readinessProbe: { httpGet: { path: '/ready', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 10 },
        }],
        volumes,
        volumeClaims: persistent ? [{ name: 'data', size: this.mode.volumeSize, storageClassName: this.mode.storageClassName }] : undefined,
        service: {
          ports: [{ name: 'http', port: LOKI_HTTP_PORT }, { name: 'grpc', port: LOKI_GRPC_PORT }],
          // Clients resolve every pod of these (scheduler and index-gateway lookups, StatefulSet identity).
          headless: ['ingester', 'query-scheduler', 'index-gateway', 'compactor'].includes(component),
        },
        egressTo: this.storage.isObjectStore && (component === 'all' || OBJECT_STORE_USERS.includes(component)) ? [FLOWS.httpsEgress()] : [],
      });
      // The shared instance label is not part of the selector, so it is added to the pod template only.
      w.resource.addJsonPatch(JsonPatch.add('/spec/template/metadata/labels/app.kubernetes.io~1instance', this.name));
      const sa = w.node.findChild('ServiceAccount') as ApiObject;
      Object.entries(credentials?.serviceAccountAnnotations ?? {}).forEach(([k, v]) => sa.metadata.addAnnotation(k, v));
      if (multiPod) {
        const gossip: NetworkFlow = { peers: [NetworkPeer.pods(this.podLabels)], ports: [LOKI_GOSSIP_PORT] };
        w.allowIngress(gossip);
        w.allowEgress(gossip);
      }
      if (props.scraper) w.allowIngress({ peers: [NetworkPeer.of(props.scraper)], ports: [LOKI_HTTP_PORT] });
      this.workloads[component] = w;
      return w;
    };

    if (single) {
      const w = build('all', 'StatefulSet', this.mode.replicas, true);
      if (multiPod) {
        const self: NetworkFlow = { peers: [NetworkPeer.pods(w.selectorLabels)], ports: [LOKI_HTTP_PORT, LOKI_GRPC_PORT] };
        w.allowIngress(self);
        w.allowEgress(self);
      }
    } else {
      const r = this.mode.replicas;
      build('distributor', 'Deployment', r, false);
      const ingester = build('ingester', 'StatefulSet', this.mode.ingesterReplicas, true);
      // One ingester per zone before a second lands in any: with RF 3 a zone outage then takes
      // at most one replica of each stream (the spread is otherwise soft, see spreadConstraints).
      if (this.mode.ingesterReplicas > 1) {
        ingester.resource.addJsonPatch(JsonPatch.replace('/spec/template/spec/topologySpreadConstraints/0/whenUnsatisfiable', 'DoNotSchedule'));
      }
      build('querier', 'Deployment', r, false);
      build('query-frontend', 'Deployment', r, false);
      build('query-scheduler', 'Deployment', r, false);
      // Exactly one compactor applies retention; a StatefulSet never runs two copies of it.
      build('compactor', 'StatefulSet', 1, false);
      build('index-gateway', 'Deployment', r, false);
      if (rulerOn) build('ruler', 'Deployment', r, false);
      for (const [client, server, port] of CALLS) {
        const c = this.workloads[client];
        const s = this.workloads[server];
        if (!c || !s) continue;
        s.allowIngress({ peers: [NetworkPeer.pods(c.selectorLabels)], ports: [port] });
        c.allowEgress({ peers: [NetworkPeer.pods(s.selectorLabels)], ports: [port] });
      }
    }
    if (props.alertmanagerUrl && rulerOn) {
      const url = new URL(props.alertmanagerUrl);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      // `<service>.<namespace>.svc...` hosts are in-cluster: allow that namespace only.
      const ns = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.|$)/.exec(url.hostname)?.[1];
      const peer = props.alertmanagerPods ? NetworkPeer.of(props.alertmanagerPods)
        : ns ? NetworkPeer.namespace(ns) : NetworkPeer.anywhere('an Alertmanager outside the cluster, address unknown at synthesis');
      this.workloads[single ? 'all' : 'ruler']!.allowEgress({ peers: [peer], ports: [port] });
    }
  }

  /** The workload that receives pushes (distributor, or the single binary). */
  get writeWorkload(): Workload {
    return (this.workloads.distributor ?? this.workloads.all)!;
  }

  /** The workload that serves queries (query-frontend, or the single binary). */
  get readWorkload(): Workload {
    return (this.workloads['query-frontend'] ?? this.workloads.all)!;
  }

  /** Pods serving queries, for a Grafana datasource's egress (`DatasourceEndpoint.pods`). */
  get queryPods(): PodsRef {
    return { namespace: this.namespace, podLabels: this.readWorkload.selectorLabels };
  }

  /** Pods that send log alerts (the Alertmanager's ingress) and serve the rules API (`rulesUrl`). */
  get rulerPods(): PodsRef | undefined {
    const w = this.workloads.ruler ?? this.workloads.all;
    return w ? { namespace: this.namespace, podLabels: w.selectorLabels } : undefined;
  }

  /** Lets log agents push (to the distributors). */
  allowPushFrom(peer: NetworkPeer): void {
    this.writeWorkload.allowIngress({ peers: [peer], ports: [LOKI_HTTP_PORT] });
  }

  /** Lets a query client (Grafana) reach the query endpoint and, when separate, the rules API. */
  allowQueryFrom(peer: NetworkPeer): void {
    this.readWorkload.allowIngress({ peers: [peer], ports: [LOKI_HTTP_PORT] });
    const ruler = this.workloads.ruler;
    if (ruler) ruler.allowIngress({ peers: [peer], ports: [LOKI_HTTP_PORT] });
  }

}

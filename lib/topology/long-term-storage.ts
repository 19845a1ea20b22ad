import { Construct } from 'constructs';
import { invalid, requireInt } from '../core/errors.js';
import { IMAGES, requirePinnedImage, versionOfImage } from '../core/images.js';
import { validateDnsLabel } from '../core/names.js';
import { FLOWS, NetworkFlow, NetworkPeer } from '../core/network.js';
import { RuleSet } from '../core/rules.js';
import { Size } from '../core/units.js';
import { MAX_REPLICAS, ResourceSpec } from '../core/workload.js';
import { MetricsStack, REPLICA_LABEL } from '../metrics/metrics-stack.js';
import { ObjectStorage, ObjectStorageRef } from './object-storage.js';
import { RetentionTier, RetentionTiers } from './retention-tiers.js';
import { ThanosCompactor } from './thanos-compactor.js';
import { THANOS_GRPC_PORT } from './thanos-component.js';
import { ThanosQuery } from './thanos-query.js';
import { ThanosQueryFrontend } from './thanos-query-frontend.js';
import { ThanosStore } from './thanos-store.js';

/** Annotation that binds a Kubernetes ServiceAccount to an IAM role on EKS (IRSA). */
export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

export interface LongTermStorageProps {
  /** The Prometheus that gets the sidecar; its namespace hosts the Thanos components. */
  readonly metrics: MetricsStack;
  /** The region's metrics bucket. */
  readonly objectStorage: ObjectStorage;
  /** Retention per resolution. @default RetentionTiers.seed() (raw 7d, 5m 30d, 1h 365d) */
  readonly tiers?: RetentionTiers | RetentionTier[];
  /**
   * IAM role for bucket access, annotated on every ServiceAccount that touches the bucket
   * (Prometheus for the sidecar, store, compactor, receive).
   * @default - no annotation: credentials come from the objstore Secret or the node
   */
  readonly roleArn?: string;
  /** @default IMAGES.thanos */
  readonly image?: string;
  /** Thanos version of `image` (the sidecar's `thanos.version`). Required when the image tag is not a version. @default - read from the image tag */
  readonly version?: string;
  /** @default 2 */
  readonly storeReplicas?: number;
  /** @default 2 */
  readonly queryReplicas?: number;
  /** Serve the Query's StoreAPI over mutual TLS with this `kubernetes.io/tls` Secret (see ThanosQuery). @default - plaintext gRPC */
  readonly queryGrpcServerTlsSecret?: string;
  /** @default '20GB' */
  readonly storeVolumeSize?: Size | string;
  /** @default '100GB' */
  readonly compactorVolumeSize?: Size | string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default { cpu: '100m', memory: '256Mi', memoryLimit: '512Mi' } */
  readonly sidecarResources?: ResourceSpec;
  /** Base URL of the alerts' runbooks. @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
}

/**
 * Long-term storage for one region's Prometheus with Thanos (seed 1.1 persistence, 8.1 tiers):
 * the sidecar uploads 2h blocks to the bucket, the Store Gateway serves them, the Compactor
 * downsamples and applies the retention tiers, Query deduplicates the HA pair on
 * `prometheus_replica`, and Query Frontend (the dashboards' datasource) splits and caches.
 */
export class LongTermStorage extends Construct {
  readonly namespace: string;
  readonly tiers: RetentionTiers;
  readonly objectStorage: ObjectStorageRef;
  readonly serviceAccountAnnotations?: Record<string, string>;
  readonly store: ThanosStore;
  readonly compactor: ThanosCompactor;
  readonly query: ThanosQuery;
  readonly queryFrontend: ThanosQueryFrontend;
  /** Prometheus-compatible URL of the global view, for Grafana datasources. */
  readonly queryUrl: string;
  readonly image: string;
  /** Alerts on the storage path (`thanos` PrometheusRule); RegionalReplica adds replication alerts. */
  readonly rules: RuleSet;

  constructor(scope: Construct, id: string, props: LongTermStorageProps) {
    super(scope, id);
    this.namespace = validateDnsLabel(props.metrics.namespace, 'namespace');
    this.image = requirePinnedImage(props.image ?? IMAGES.thanos, 'image');
    // Checked here so that a bad value names this construct's prop, not the component's.
    for (const k of ['storeReplicas', 'queryReplicas'] as const) if (props[k] !== undefined) requireInt(k, props[k]!, 1, MAX_REPLICAS);
    for (const k of ['storeVolumeSize', 'compactorVolumeSize'] as const) if (props[k] !== undefined) Size.of(props[k]!, k);
    this.tiers = props.tiers instanceof RetentionTiers
      ? props.tiers
      : props.tiers ? new RetentionTiers({ tiers: props.tiers }) : RetentionTiers.seed();
    // The annotation is not checked by the API server: a typo would leave Thanos without bucket access.
    if (props.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(props.roleArn)) {
      throw invalid('roleArn', props.roleArn, 'an IAM role ARN like arn:aws:iam::123456789012:role/thanos');
    }
    this.serviceAccountAnnotations = props.roleArn ? { [IRSA_ANNOTATION]: props.roleArn } : undefined;
    this.objectStorage = props.objectStorage.bind(this, 'ObjectStorage', this.namespace, 'thanos-objstore');
    const scraper = { namespace: props.metrics.namespace, podLabels: props.metrics.podLabels };
    const common = { namespace: this.namespace, scraper, image: this.image, serviceAccountAnnotations: this.serviceAccountAnnotations };

    // Sidecar: prometheus-operator mounts the objstore Secret and, with it set, turns off local
    // compaction so that every 2h block is uploaded once.
    const sidecar = props.sidecarResources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '512Mi' };
    props.metrics.setThanos({
      image: this.image,
      version: versionOfImage(this.image, props.version),
      objectStorageConfig: { name: this.objectStorage.secretName, key: this.objectStorage.key },
      resources: { requests: { cpu: sidecar.cpu, memory: sidecar.memory }, limits: { memory: sidecar.memoryLimit ?? sidecar.memory } },
    });
    props.metrics.allowEgress(FLOWS.httpsEgress());
    // The sidecar runs under the Prometheus pods' ServiceAccount.
    if (props.roleArn) props.metrics.addServiceAccountAnnotation(IRSA_ANNOTATION, props.roleArn);

    this.query = new ThanosQuery(this, 'Query', {
      ...common,
      replicaLabels: [REPLICA_LABEL],
      replicas: props.queryReplicas,
      grpcServerTlsSecret: props.queryGrpcServerTlsSecret,
      serviceAccountAnnotations: undefined,
    });
    const queryClients: NetworkFlow[] = [{ peers: [NetworkPeer.pods(this.query.workload.selectorLabels)], ports: [THANOS_GRPC_PORT] }];
    this.store = new ThanosStore(this, 'Store', {
      ...common,
      objectStorage: this.objectStorage,
      replicas: props.storeReplicas,
      volumeSize: props.storeVolumeSize,
      storageClassName: props.storageClassName,
      clients: queryClients,
    });
    this.compactor = new ThanosCompactor(this, 'Compactor', {
      ...common,
      objectStorage: this.objectStorage,
      tiers: this.tiers,
      volumeSize: props.compactorVolumeSize,
      storageClassName: props.storageClassName,
    });
    this.queryFrontend = new ThanosQueryFrontend(this, 'QueryFrontend', { ...common, query: this.query, serviceAccountAnnotations: undefined });
    this.queryUrl = this.queryFrontend.httpUrl;

    this.rules = new RuleSet(this, 'Rules', { name: 'thanos', namespace: this.namespace, runbookBaseUrl: props.runbookBaseUrl });
    this.rules.addAlert('thanos', {
      alert: 'ThanosCompactHalted',
      expr: 'thanos_compact_halted == 1',
      for: '5m',
      severity: 'warning',
      incidentClass: 'medium',
      summary: 'Thanos compactor halted',
      description: 'The compactor of {{ $labels.namespace }} stopped on an error: retention tiers and downsampling are not applied until it is fixed and restarted.',
    });

    // The sidecars of the HA pair, found through prometheus-operator's governing Service.
    this.query.addEndpoint(`dnssrv+_grpc._tcp.prometheus-operated.${props.metrics.namespace}.svc.cluster.local`,
      { peers: [NetworkPeer.of(scraper)], ports: [THANOS_GRPC_PORT] });
    // ...and the sidecars admit this Query only (not every pod of the namespace).
    props.metrics.allowIngress({ peers: [NetworkPeer.pods(this.query.workload.selectorLabels)], ports: [THANOS_GRPC_PORT] });
    this.query.addEndpoint(this.store.grpcSrvAddress, { peers: [NetworkPeer.pods(this.store.workload.selectorLabels)], ports: [THANOS_GRPC_PORT] });
  }

  /** Clients allowed into the Query Frontend (for example Grafana in another namespace). */
  allowQueryClient(flow: NetworkFlow): void {
    this.queryFrontend.workload.allowIngress(flow);
  }
}

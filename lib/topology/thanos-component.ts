import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { requireInt } from '../core/errors.js';
import { IMAGES, requirePinnedImage } from '../core/images.js';
import { NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { Size } from '../core/units.js';
import { MAX_REPLICAS, ResourceSpec, Workload } from '../core/workload.js';
import { PodMonitor } from '../metrics/monitors.js';
import { ObjectStorageRef } from './object-storage.js';

/** Thanos' conventional ports: StoreAPI gRPC, HTTP (API, UI, /metrics), remote write. */
export const THANOS_GRPC_PORT = 10901;
export const THANOS_HTTP_PORT = 10902;
export const THANOS_REMOTE_WRITE_PORT = 19291;
const OBJSTORE_DIR = '/etc/thanos/objstore';
/** Where a `kubernetes.io/tls` Secret (tls.crt, tls.key, ca.crt) of the internal CA is mounted. */
export const TLS_DIR = '/etc/thanos/tls';

/** The volume and mount of a `kubernetes.io/tls` Secret at `TLS_DIR`, read-only. */
export function tlsSecretMount(secretName: string): { volumes: IVolume[]; volumeMounts: IVolumeMount[] } {
  return {
    volumes: [{ name: 'tls', secret: { secretName, items: ['tls.crt', 'tls.key', 'ca.crt'].map((k) => ({ key: k, path: k })) } }],
    volumeMounts: [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }],
  };
}
const DATA_DIR = '/var/thanos/data';

/** Props every Thanos component shares (given by `LongTermStorage`). */
export interface ThanosCommonProps {
  readonly namespace: string;
  /** Pods allowed to scrape `/metrics` (the platform's Prometheus). */
  readonly scraper: PodsRef;
  /** @default IMAGES.thanos */
  readonly image?: string;
  /** ServiceAccount annotations, for example the IRSA role that grants bucket access. */
  readonly serviceAccountAnnotations?: Record<string, string>;
}

export interface ThanosComponentProps extends ThanosCommonProps {
  readonly name: string;
  /** Thanos subcommand: store, compact, query, query-frontend, receive. */
  readonly command: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly replicas: number;
  /** Flags after the subcommand; a function is called at synthesis, so later additions appear. */
  readonly args: () => string[];
  readonly resources: ResourceSpec;
  /** Mount this objstore.yml Secret and pass `--objstore.config-file`. */
  readonly objectStorage?: ObjectStorageRef;
  /** A persistent data volume (StatefulSets), mounted at the path `dataDir` returns. */
  readonly volumeSize?: Size;
  readonly storageClassName?: string;
  /** Serve the StoreAPI on gRPC. @default true */
  readonly grpc?: boolean;
  readonly extraPorts?: Array<{ readonly name: string; readonly containerPort: number }>;
  /** Headless Service, so `dnssrv+` discovery sees every pod. @default false */
  readonly headless?: boolean;
  readonly env?: IEnvVar[];
  readonly volumes?: IVolume[];
  readonly volumeMounts?: IVolumeMount[];
  readonly ingressFrom?: NetworkFlow[];
  readonly egressTo?: NetworkFlow[];
}

/**
 * One Thanos component on the platform's `Workload` baseline: pinned image, restricted
 * security context, HTTP probes on Thanos' `/-/ready` and `/-/healthy`, an objstore Secret
 * mounted read-only, a ServiceMonitor, and a NetworkPolicy that lets Prometheus scrape it.
 */
export class ThanosComponent extends Construct {
  /** Where a component keeps its local data (a PVC for StatefulSets). */
  static readonly dataDir = DATA_DIR;

  readonly workload: Workload;
  readonly serviceName: string;
  /** `host:port` of the StoreAPI inside the cluster. */
  readonly grpcAddress: string;
  /** `dnssrv+` address that resolves every pod's StoreAPI (headless Services). */
  readonly grpcSrvAddress: string;
  readonly httpUrl: string;

  constructor(scope: Construct, id: string, props: ThanosComponentProps) {
    super(scope, id);
    const image = requirePinnedImage(props.image ?? IMAGES.thanos, 'image');
    requireInt('replicas', props.replicas, 1, MAX_REPLICAS);
    const grpc = props.grpc ?? true;
    const ports = [
      { name: 'http', containerPort: THANOS_HTTP_PORT },
      ...(grpc ? [{ name: 'grpc', containerPort: THANOS_GRPC_PORT }] : []),
      ...(props.extraPorts ?? []),
    ];
    const objstore = props.objectStorage;
    const volumes: IVolume[] = [
      ...(objstore ? [{ name: 'objstore', secret: { secretName: objstore.secretName, items: [{ key: objstore.key, path: objstore.key }] } }] : []),
      ...(props.volumeSize || props.kind === 'StatefulSet' ? [] : [{ name: 'data', emptyDir: {} }]),
      ...(props.volumes ?? []),
    ];
    const mounts: IVolumeMount[] = [
      ...(objstore ? [{ name: 'objstore', mountPath: OBJSTORE_DIR, readOnly: true }] : []),
      { name: 'data', mountPath: DATA_DIR },
      ...(props.volumeMounts ?? []),
    ];
    const args = Lazy.any({
      produce: () => [
        props.command,
        `--http-address=0.0.0.0:${THANOS_HTTP_PORT}`,
        ...(grpc ? [`--grpc-address=0.0.0.0:${THANOS_GRPC_PORT}`] : []),
        ...(objstore ? [`--objstore.config-file=${OBJSTORE_DIR}/${objstore.key}`] : []),
        '--log.format=logfmt',
        ...props.args(),
      ],
    }) as unknown as string[];
    this.workload = new Workload(this, 'Resource', {
      name: props.name,
      namespace: props.namespace,
      kind: props.kind,
      component: props.command,
      replicas: props.replicas,
      serviceAccountAnnotations: props.serviceAccountAnnotations,
      containers: [{
        name: 'thanos',
        image,
        args,
        env: props.env,
        ports,
        volumeMounts: mounts,
        resources: props.resources,
        readinessProbe: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' }, periodSeconds: 30, failureThreshold: 4 },
      }],
      volumes: volumes.length ? volumes : undefined,
      volumeClaims: props.kind === 'StatefulSet'
        ? [{ name: 'data', size: props.volumeSize ?? Size.gibibytes(10), storageClassName: props.storageClassName }]
        : undefined,
      service: {
        headless: props.headless,
        ports: ports.map((p) => ({ name: p.name, port: p.containerPort })),
      },
      ingressFrom: [
        { peers: [NetworkPeer.of(props.scraper)], ports: [THANOS_HTTP_PORT] },
        ...(props.ingressFrom ?? []),
      ],
      egressTo: props.egressTo,
    });
    this.serviceName = this.workload.serviceName!;
    const host = `${this.serviceName}.${props.namespace}.svc.cluster.local`;
    this.grpcAddress = `${host}:${THANOS_GRPC_PORT}`;
    this.grpcSrvAddress = `dnssrv+_grpc._tcp.${host}`;
    this.httpUrl = `http://${this.serviceName}.${props.namespace}.svc:${THANOS_HTTP_PORT}`;
    // A PodMonitor: it selects the pods' own labels, which the Service does not carry.
    new PodMonitor(this, 'Monitor', {
      name: props.name,
      namespace: props.namespace,
      selector: this.workload.selectorLabels,
      endpoints: [{ port: 'http' }],
    });
  }
}

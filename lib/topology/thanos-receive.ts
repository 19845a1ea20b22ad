import { Construct } from 'constructs';
import { invalid, requireInt } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { FLOWS, NetworkFlow, NetworkPeer } from '../core/network.js';
import { Duration, Size } from '../core/units.js';
import { MAX_REPLICAS, ResourceSpec } from '../core/workload.js';
import { ObjectStorageRef } from './object-storage.js';
import { THANOS_GRPC_PORT, THANOS_REMOTE_WRITE_PORT, ThanosCommonProps, ThanosComponent, TLS_DIR, tlsSecretMount } from './thanos-component.js';
import { validateDnsSubdomain } from '../core/names.js';

/** External label that names the receiving replica; Query deduplicates on it. */
export const RECEIVE_REPLICA_LABEL = 'receive_replica';
/** Receive's tenant label (its `--receive.tenant-label-name` default). */
export const RECEIVE_TENANT_LABEL = 'tenant_id';

export interface ThanosReceiveProps extends ThanosCommonProps {
  readonly objectStorage: ObjectStorageRef;
  /** @default 3 */
  readonly replicas?: number;
  /** Copies of every series across replicas; write quorum is floor(n/2)+1. @default 3 */
  readonly replicationFactor?: number;
  /** Local TSDB retention; blocks are in the bucket after 2h. @default '1d' */
  readonly localRetention?: Duration | string;
  /** @default '20GB' */
  readonly volumeSize?: Size | string;
  readonly storageClassName?: string;
  /** @default { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' } */
  readonly resources?: ResourceSpec;
  /** Remote-write senders (other regions). */
  readonly writers: NetworkFlow[];
  /** StoreAPI clients (Thanos Query). */
  readonly clients: NetworkFlow[];
  /**
   * Serve remote write over mutual TLS (`--remote-write.server-tls-*`): a `kubernetes.io/tls`
   * Secret with the receivers' certificate and the internal CA that writers' client certificates
   * must be signed by. Thanos Receive checks no bearer token, so the client certificate is what
   * authenticates a writer at the pod. @default - plain HTTP
   */
  readonly remoteWriteTlsSecret?: string;
}

/**
 * Thanos Receive: the remote-write endpoint of real-time replication (seed 8.2). A hashring of
 * StatefulSet pods that replicate each write, keep it in a local TSDB, serve it over the
 * StoreAPI and upload 2h blocks to the region's bucket.
 */
export class ThanosReceive extends ThanosComponent {
  /** In-cluster remote-write URL. */
  readonly remoteWriteUrl: string;

  constructor(scope: Construct, id: string, props: ThanosReceiveProps) {
    const name = 'thanos-receive';
    const replicas = requireInt('replicas', props.replicas ?? 3, 1, MAX_REPLICAS);
    const factor = requireInt('replicationFactor', props.replicationFactor ?? 3, 1, MAX_REPLICAS);
    if (factor > replicas) throw invalid('replicationFactor', factor, `at most the replica count (${replicas})`);
    const retention = Duration.of(props.localRetention ?? '1d', 'localRetention');
    const tls = props.remoteWriteTlsSecret === undefined ? undefined : tlsSecretMount(validateDnsSubdomain(props.remoteWriteTlsSecret, 'remoteWriteTlsSecret'));
    const host = (pod: string) => `${pod}.${name}.${props.namespace}.svc.cluster.local:${THANOS_GRPC_PORT}`;
    const hashring = [{ hashring: 'default', endpoints: Array.from({ length: replicas }, (_, i) => host(`${name}-${i}`)) }];
    super(scope, id, {
      ...props,
      name,
      command: 'receive',
      kind: 'StatefulSet',
      replicas,
      headless: true,
      extraPorts: [{ name: 'remote-write', containerPort: THANOS_REMOTE_WRITE_PORT }],
      volumeSize: Size.of(props.volumeSize ?? '20GB', 'volumeSize'),
      resources: props.resources ?? { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' },
      env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      volumes: [{ name: 'hashring', configMap: { name: `${name}-hashring` } }, ...(tls?.volumes ?? [])],
      volumeMounts: [{ name: 'hashring', mountPath: '/etc/thanos/hashring', readOnly: true }, ...(tls?.volumeMounts ?? [])],
      args: () => [
        `--remote-write.address=0.0.0.0:${THANOS_REMOTE_WRITE_PORT}`,
        `--tsdb.path=${ThanosComponent.dataDir}`,
        `--tsdb.retention=${retention.toPrometheus()}`,
        `--label=${RECEIVE_REPLICA_LABEL}="$(POD_NAME)"`,
        `--receive.replication-factor=${factor}`,
        '--receive.hashrings-file=/etc/thanos/hashring/hashrings.json',
        `--receive.local-endpoint=${host('$(POD_NAME)')}`,
        ...(tls ? [`--remote-write.server-tls-cert=${TLS_DIR}/tls.crt`, `--remote-write.server-tls-key=${TLS_DIR}/tls.key`, `--remote-write.server-tls-client-ca=${TLS_DIR}/ca.crt`] : []),
      ],
      ingressFrom: [
        ...props.writers.map((f) => ({ ...f, ports: f.ports ?? [THANOS_REMOTE_WRITE_PORT] })),
        ...props.clients,
      ],
      egressTo: [FLOWS.httpsEgress()],
    });
    // Replicas forward writes to each other over gRPC.
    const self = NetworkPeer.pods(this.workload.selectorLabels);
    this.workload.allowIngress({ peers: [self], ports: [THANOS_GRPC_PORT] });
    this.workload.allowEgress({ peers: [self], ports: [THANOS_GRPC_PORT] });
    new K8sObject(this, 'Hashring', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-hashring`, namespace: props.namespace },
      data: { 'hashrings.json': JSON.stringify(hashring, null, 2) },
    });
    this.remoteWriteUrl = `${tls ? 'https' : 'http'}://${this.serviceName}.${props.namespace}.svc:${THANOS_REMOTE_WRITE_PORT}/api/v1/receive`;
  }
}

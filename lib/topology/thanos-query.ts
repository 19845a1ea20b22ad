import { Construct } from 'constructs';
import { invalid, requireUnique } from '../core/errors.js';
import { validateDnsSubdomain, validatePromLabelName } from '../core/names.js';
import { NetworkFlow } from '../core/network.js';
import { ResourceSpec } from '../core/workload.js';
import { ThanosCommonProps, ThanosComponent, TLS_DIR, tlsSecretMount } from './thanos-component.js';

export interface ThanosQueryProps extends ThanosCommonProps {
  /** Labels that name a replica; series differing only in them are deduplicated. */
  readonly replicaLabels: string[];
  /** @default 2 */
  readonly replicas?: number;
  /** @default { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' } */
  readonly resources?: ResourceSpec;
  /** @default 'thanos-query' */
  readonly name?: string;
  /**
   * Serve the StoreAPI over mutual TLS (`--grpc-server-tls-*`): a `kubernetes.io/tls` Secret with
   * this Query's certificate (tls.crt, tls.key) and the internal CA (ca.crt) clients must be signed by.
   * @default - plaintext gRPC
   */
  readonly grpcServerTlsSecret?: string;
  /**
   * Dial every endpoint over mutual TLS (`--grpc-client-tls-*`; Thanos has no per-endpoint TLS, so
   * such a Query dials only TLS endpoints): the Secret holds the client certificate and the CA.
   * @default - plaintext gRPC
   */
  readonly grpcClientTls?: { readonly secretName: string; readonly serverName?: string };
}

const ENDPOINT = /^(dnssrv\+|dns\+)?[a-z0-9_]([-a-z0-9_.]*[a-z0-9])?(:\d{1,5})?$/;

/**
 * Thanos Query: PromQL over every StoreAPI (sidecars, store gateways, receivers, other regions'
 * queries), deduplicating along the replica labels. Endpoints are added with `addEndpoint`.
 */
export class ThanosQuery extends ThanosComponent {
  readonly replicaLabels: readonly string[];
  private readonly endpoints: string[];

  constructor(scope: Construct, id: string, props: ThanosQueryProps) {
    const endpoints: string[] = [];
    const labels = [...props.replicaLabels];
    labels.forEach((l, i) => validatePromLabelName(l, `replicaLabels[${i}]`));
    const server = props.grpcServerTlsSecret === undefined ? undefined : validateDnsSubdomain(props.grpcServerTlsSecret, 'grpcServerTlsSecret');
    const client = props.grpcClientTls && { secretName: validateDnsSubdomain(props.grpcClientTls.secretName, 'grpcClientTls.secretName'), serverName: props.grpcClientTls.serverName === undefined ? undefined : validateDnsSubdomain(props.grpcClientTls.serverName, 'grpcClientTls.serverName') };
    if (server && client && server !== client.secretName) throw invalid('grpcClientTls.secretName', client.secretName, `the Secret of grpcServerTlsSecret (${server}): one certificate per Query`);
    const tls = server ?? client?.secretName;
    const mount = tls ? tlsSecretMount(tls) : undefined;
    super(scope, id, {
      ...props,
      name: props.name ?? 'thanos-query',
      volumes: mount?.volumes,
      volumeMounts: mount?.volumeMounts,
      command: 'query',
      kind: 'Deployment',
      replicas: props.replicas ?? 2,
      resources: props.resources ?? { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' },
      args: () => [
        ...labels.map((l) => `--query.replica-label=${l}`),
        // Long ranges read the 5m and 1h blocks instead of raw samples.
        '--query.auto-downsampling',
        ...endpoints.map((e) => `--endpoint=${e}`),
        ...(server ? [`--grpc-server-tls-cert=${TLS_DIR}/tls.crt`, `--grpc-server-tls-key=${TLS_DIR}/tls.key`, `--grpc-server-tls-client-ca=${TLS_DIR}/ca.crt`] : []),
        ...(client ? ['--grpc-client-tls-secure', `--grpc-client-tls-cert=${TLS_DIR}/tls.crt`, `--grpc-client-tls-key=${TLS_DIR}/tls.key`, `--grpc-client-tls-ca=${TLS_DIR}/ca.crt`,
          ...(client.serverName ? [`--grpc-client-server-name=${client.serverName}`] : [])] : []),
      ],
    });
    this.replicaLabels = labels;
    this.endpoints = endpoints;
  }

  /** Deduplicate along one more replica label (for example a receiver's replica label). */
  addReplicaLabel(label: string): void {
    validatePromLabelName(label, 'replicaLabel');
    requireUnique('replicaLabel', label, this.replicaLabels);
    (this.replicaLabels as string[]).push(label);
  }

  /** Query another StoreAPI (`host:port`, or `dnssrv+` for every pod of a headless Service). */
  addEndpoint(address: string, egress?: NetworkFlow): void {
    if (!ENDPOINT.test(address)) throw invalid('endpoint', address, 'a StoreAPI address like host:10901 or dnssrv+_grpc._tcp.service.namespace.svc.cluster.local');
    requireUnique('endpoint', address, this.endpoints);
    this.endpoints.push(address);
    if (egress) this.workload.allowEgress(egress);
  }
}

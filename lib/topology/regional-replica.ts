import { Construct } from 'constructs';
import { invalid, requireInt } from '../core/errors.js';
import { NetworkFlow, NetworkPeer } from '../core/network.js';
import { validateDnsSubdomain, validateMetricName } from '../core/names.js';
import { validateRe2 } from '../core/regex.js';
import { requireSecretKeyRef, SecretKeyRef } from '../core/secrets.js';
import { MetricsStack } from '../metrics/metrics-stack.js';
import { LongTermStorage, LongTermStorageProps } from './long-term-storage.js';
import { ObjectStorage } from './object-storage.js';
import { THANOS_GRPC_PORT, THANOS_REMOTE_WRITE_PORT } from './thanos-component.js';
import { RECEIVE_REPLICA_LABEL, RECEIVE_TENANT_LABEL, ThanosReceive } from './thanos-receive.js';
import { ThanosStore } from './thanos-store.js';
import { RegionRole, RegionSpec, Topology, validateCidr } from './topology.js';

/**
 * Series replicated in real time (seed 8.2 "critical metrics, alert states, system health"):
 * alert states, target health and the SLO recording rules, as `__name__` regexes.
 */
export const CRITICAL_SERIES: readonly string[] = ['ALERTS', 'ALERTS_FOR_STATE', 'up', 'slo:.+'];

/** TLS of the remote write to the other regions' receivers. Secrets live in the Prometheus namespace. */
export interface RemoteWriteTls {
  /** The CA bundle (PEM) that signed the receivers' server certificates. */
  readonly caSecret: SecretKeyRef;
  /** Name verified in the receivers' certificates, the same for every remote. @default - the host of each receive URL */
  readonly serverName?: string;
}

/** Authentication of the remote write to the other regions' receivers. */
export interface RemoteWriteAuth {
  /** Sent as `Authorization: Bearer <token>`; the Secret lives in the Prometheus namespace. */
  readonly bearerTokenSecret: SecretKeyRef;
}

export interface RegionalReplicaProps extends Omit<LongTermStorageProps, 'metrics'> {
  readonly topology: Topology;
  /** Which region of the topology this chart is. */
  readonly region: string;
  readonly metrics: MetricsStack;
  /**
   * Metric-name regexes remote-written to the other regions (an allow-list).
   * @default CRITICAL_SERIES
   */
  readonly replicatedSeries?: string[];
  /**
   * Secondary only: the bucket that receives the primary's bucket by S3 replication (backup
   * storage). A read-only Store Gateway serves it, so the primary's history stays queryable
   * here on failover. No compactor runs on it: the primary's compactor already did the work.
   */
  readonly replicaObjectStorage?: ObjectStorage;
  /** Thanos Receive replicas; the replication factor is min(3, replicas). @default 3 */
  readonly receiveReplicas?: number;
  /** CA (and server name) the remote write verifies the receivers with. @default - the system's CAs */
  readonly remoteWriteTls?: RemoteWriteTls;
  /** Credentials of the remote write, checked by whatever fronts the receivers. @default - none */
  readonly remoteWriteAuth?: RemoteWriteAuth;
}

/**
 * One region of the multi-region topology (seed 8.2). Every region gets long-term storage and
 * a Thanos Receive; its Prometheus remote-writes the allow-listed critical series to the other
 * regions' receivers (real-time replication). The primary's Query also federates the other
 * regions' Query (global view). A secondary serves its backup bucket, filled by S3 replication
 * from the primary (batch replication, see the Pulumi program).
 */
export class RegionalReplica extends Construct {
  readonly region: RegionSpec;
  readonly role: RegionRole;
  readonly storage: LongTermStorage;
  readonly receive: ThanosReceive;
  /** Store Gateway over the replicated primary bucket (secondary with `replicaObjectStorage`). */
  readonly replicaStore?: ThanosStore;
  readonly replicatedSeries: readonly string[];
  /** Grafana's datasource URL: this region's view (the global one in the primary). */
  readonly queryUrl: string;

  constructor(scope: Construct, id: string, props: RegionalReplicaProps) {
    super(scope, id);
    this.region = props.topology.get(props.region);
    this.role = this.region.role;
    if (props.metrics.region !== props.region) {
      throw invalid('metrics.region', props.metrics.region, `the replica's region (${props.region})`);
    }
    if (props.replicaObjectStorage && this.role !== 'secondary') {
      throw invalid('replicaObjectStorage', props.replicaObjectStorage.bucket, `absent in the primary (${props.region}): only a secondary holds the replicated bucket`);
    }
    this.replicatedSeries = props.replicatedSeries ?? CRITICAL_SERIES;
    if (this.replicatedSeries.length === 0) throw invalid('replicatedSeries', [], 'a non-empty allow-list of metric-name regexes');
    this.replicatedSeries.forEach((re, i) => {
      // Prometheus matches relabel regexes with RE2 (no lookaround, no backreferences).
      validateRe2(re, `replicatedSeries[${i}]`);
      // Plain names must be valid metric names; regexes are checked for syntax above.
      if (/^[\w:]+$/.test(re)) validateMetricName(re, `replicatedSeries[${i}]`);
    });

    const others = props.topology.others(props.region);
    const remoteWriteSecurity = this.remoteWriteSecurity(props, others);
    const peers = (specs: RegionSpec[]) => specs.map((r) => NetworkPeer.cidr(r.cidr));
    this.storage = new LongTermStorage(this, 'Storage', props);
    const query = this.storage.query;
    const namespace = this.storage.namespace;
    const scraper = { namespace: props.metrics.namespace, podLabels: props.metrics.podLabels };
    const queryPeer = NetworkPeer.pods(query.workload.selectorLabels);

    this.receive = new ThanosReceive(this, 'Receive', {
      namespace,
      scraper,
      image: this.storage.image,
      serviceAccountAnnotations: this.storage.serviceAccountAnnotations,
      objectStorage: this.storage.objectStorage,
      replicas: props.receiveReplicas === undefined ? undefined : requireInt('receiveReplicas', props.receiveReplicas, 1),
      // Each series on up to 3 receivers: a write needs 2 of 3, so one receiver may be down.
      replicationFactor: props.receiveReplicas === undefined ? undefined : Math.min(3, props.receiveReplicas),
      storageClassName: props.storageClassName,
      writers: [{ peers: peers(others), ports: [THANOS_REMOTE_WRITE_PORT] }],
      clients: [{ peers: [queryPeer], ports: [THANOS_GRPC_PORT] }],
    });
    query.addEndpoint(this.receive.grpcSrvAddress, { peers: [NetworkPeer.pods(this.receive.workload.selectorLabels)], ports: [THANOS_GRPC_PORT] });
    // A replicated copy differs from its source only by the receiver's labels: deduplicate them.
    query.addReplicaLabel(RECEIVE_REPLICA_LABEL);
    query.addReplicaLabel(RECEIVE_TENANT_LABEL);

    // Real-time replication: remote write of the allow-list to every other region's receiver.
    const keep = this.replicatedSeries.join('|');
    for (const other of others) {
      props.metrics.addRemoteWrite({
        name: `replica-${other.region}`,
        url: other.receiveUrl,
        writeRelabelConfigs: [{ sourceLabels: ['__name__'], regex: keep, action: 'keep' }],
        ...remoteWriteSecurity,
      });
      props.metrics.allowEgress(this.remoteFlow(other, other.receiveUrl));
    }

    if (others.length) {
      this.storage.rules.addAlert('replication', {
        alert: 'MetricsReplicationFailing',
        expr: 'sum by (remote_name) (rate(prometheus_remote_storage_samples_failed_total{remote_name=~"replica-.+"}[5m])) > 0',
        for: '15m',
        severity: 'critical',
        incidentClass: 'high',
        summary: 'Real-time replication to another region is failing',
        description: 'Prometheus fails to remote-write critical series through {{ $labels.remote_name }}; the other region loses its replica of alert states and health.',
      });
    }

    if (this.role === 'primary') {
      // Global view: the other regions' Query serve their StoreAPI to this one.
      for (const other of others) {
        query.addEndpoint(other.queryEndpoint, { peers: [NetworkPeer.cidr(other.cidr)], ports: [Number(other.queryEndpoint.split(':')[1])] });
      }
    } else {
      query.workload.allowIngress({ peers: [NetworkPeer.cidr(props.topology.primary.cidr)], ports: [THANOS_GRPC_PORT] });
      if (props.replicaObjectStorage) {
        const ref = props.replicaObjectStorage.bind(this, 'ReplicaObjectStorage', namespace, 'thanos-objstore-replica');
        this.replicaStore = new ThanosStore(this, 'ReplicaStore', {
          namespace,
          scraper,
          image: this.storage.image,
          serviceAccountAnnotations: this.storage.serviceAccountAnnotations,
          name: 'thanos-store-replica',
          objectStorage: ref,
          replicas: 1,
          storageClassName: props.storageClassName,
          clients: [{ peers: [queryPeer], ports: [THANOS_GRPC_PORT] }],
        });
        query.addEndpoint(this.replicaStore.grpcSrvAddress, { peers: [NetworkPeer.pods(this.replicaStore.workload.selectorLabels)], ports: [THANOS_GRPC_PORT] });
      }
    }
    this.queryUrl = this.storage.queryUrl;
  }

  /**
   * Admits another address range to the cross-region ports (Query gRPC, Receive remote write),
   * for example the subnets of a load balancer that does not preserve client addresses.
   */
  allowFrom(cidr: string): void {
    const peers = [NetworkPeer.cidr(validateCidr(cidr))];
    this.storage.query.workload.allowIngress({ peers, ports: [THANOS_GRPC_PORT] });
    this.receive.workload.allowIngress({ peers, ports: [THANOS_REMOTE_WRITE_PORT] });
  }

  /** prometheus-operator RemoteWriteSpec `tlsConfig` and `authorization`, from Secrets only. */
  private remoteWriteSecurity(props: RegionalReplicaProps, others: RegionSpec[]): Record<string, unknown> {
    const { remoteWriteTls: tls, remoteWriteAuth: auth } = props;
    if (!tls && !auth) return {};
    // Without https, tlsConfig is ignored and a token would cross regions in clear.
    for (const other of others) {
      if (!other.receiveUrl.startsWith('https://')) {
        throw invalid(`topology.${other.region}.receiveUrl`, other.receiveUrl, 'an https URL when remoteWriteTls or remoteWriteAuth is set');
      }
    }
    const out: Record<string, unknown> = {};
    if (tls) {
      const ca = requireSecretKeyRef('remoteWriteTls.caSecret', tls.caSecret, "the receivers' CA bundle");
      if (tls.serverName !== undefined) validateDnsSubdomain(tls.serverName, 'remoteWriteTls.serverName');
      out.tlsConfig = { ca: { secret: ca }, ...(tls.serverName ? { serverName: tls.serverName } : {}) };
    }
    if (auth) {
      out.authorization = { type: 'Bearer', credentials: requireSecretKeyRef('remoteWriteAuth.bearerTokenSecret', auth.bearerTokenSecret, 'the bearer token') };
    }
    return out;
  }

  private remoteFlow(other: RegionSpec, url: string): NetworkFlow {
    const m = /^(https?):\/\/[^/:]+(?::(\d+))?/.exec(url)!;
    const port = m[2] ? Number(m[2]) : m[1] === 'https' ? 443 : 80;
    return { peers: [NetworkPeer.cidr(other.cidr)], ports: [port] };
  }
}

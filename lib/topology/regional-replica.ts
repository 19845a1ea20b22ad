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
import { ThanosQuery } from './thanos-query.js';
import { ThanosStore } from './thanos-store.js';
import { urlError } from '../core/url.js';
import { RegionRole, RegionSpec, Topology, validateCidr } from './topology.js';
import { MAX_REPLICAS } from '../core/workload.js';

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

/**
 * Mutual TLS of the cross-region traffic, checked at the pods: a `kubernetes.io/tls` Secret in
 * the metrics namespace with this region's certificate (tls.crt, tls.key) and the internal CA
 * (ca.crt) that signs every region's certificates. Thanos Receive serves remote write with it
 * and requires a client certificate from the CA; the secondary's Query serves gRPC with it; the
 * primary dials the other regions' Query through a `thanos-query-remote` that presents it.
 */
export interface CrossRegionTls {
  readonly secretName: string;
  /** Name verified in the other regions' certificates. @default - the host of each address */
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
  /** Credentials of the remote write, checked by whatever fronts the receivers (Thanos Receive checks no token). @default - none */
  readonly remoteWriteAuth?: RemoteWriteAuth;
  /**
   * Mutual TLS at the pods for remote write and Query-to-Query gRPC. Without it the cross-region
   * ports admit no one but the ranges given to `allowFrom` (the load balancer's own addresses):
   * a port that authenticates no one is never opened to a whole peer VPC.
   * @default - no TLS; cross-region ports admit only `allowFrom` ranges
   */
  readonly crossRegionTls?: CrossRegionTls;
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
  /** Primary with `crossRegionTls`: the Query that dials the other regions' Query over mutual TLS. */
  readonly remoteQuery?: ThanosQuery;
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
    if (!Array.isArray(this.replicatedSeries) || this.replicatedSeries.length === 0) throw invalid('replicatedSeries', this.replicatedSeries, 'a non-empty allow-list of metric-name regexes');
    if (this.replicatedSeries.length > 200) throw invalid('replicatedSeries', `${this.replicatedSeries.length} entries`, 'at most 200 metric-name regexes (one relabel regex joins them all)');
    this.replicatedSeries.forEach((re, i) => {
      // Prometheus matches relabel regexes with RE2 (no lookaround, no backreferences).
      validateRe2(re, `replicatedSeries[${i}]`);
      // Plain names must be valid metric names; regexes are checked for syntax above.
      if (/^[\w:]+$/.test(re)) validateMetricName(re, `replicatedSeries[${i}]`);
    });

    const others = props.topology.others(props.region);
    const tls = props.crossRegionTls && {
      secretName: validateDnsSubdomain(props.crossRegionTls.secretName, 'crossRegionTls.secretName'),
      serverName: props.crossRegionTls.serverName === undefined ? undefined : validateDnsSubdomain(props.crossRegionTls.serverName, 'crossRegionTls.serverName'),
    };
    const remoteWriteSecurity = this.remoteWriteSecurity(props, others, tls);
    // Peer regions reach the pods directly only when the pods authenticate them (mutual TLS).
    const peers = (specs: RegionSpec[]) => (tls ? specs.map((r) => NetworkPeer.cidr(r.cidr)) : []);
    this.storage = new LongTermStorage(this, 'Storage', { ...props, queryGrpcServerTlsSecret: this.role === 'secondary' ? tls?.secretName : undefined });
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
      replicas: props.receiveReplicas === undefined ? undefined : requireInt('receiveReplicas', props.receiveReplicas, 1, MAX_REPLICAS),
      // Each series on up to 3 receivers: a write needs 2 of 3, so one receiver may be down.
      replicationFactor: props.receiveReplicas === undefined ? undefined : Math.min(3, props.receiveReplicas),
      storageClassName: props.storageClassName,
      writers: peers(others).length ? [{ peers: peers(others), ports: [THANOS_REMOTE_WRITE_PORT] }] : [],
      remoteWriteTlsSecret: tls?.secretName,
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
      // Global view: the other regions' Query serve their StoreAPI to this one. With TLS through
      // a Query of its own, since Thanos' client TLS applies to every endpoint of a Query.
      const dialer = tls && others.length ? new ThanosQuery(this, 'RemoteQuery', {
        namespace,
        scraper,
        image: this.storage.image,
        name: 'thanos-query-remote',
        replicaLabels: [],
        grpcClientTls: tls,
      }) : query;
      for (const other of others) {
        dialer.addEndpoint(other.queryEndpoint, { peers: [NetworkPeer.cidr(other.cidr)], ports: [Number(other.queryEndpoint.split(':')[1])] });
      }
      if (dialer !== query) {
        this.remoteQuery = dialer;
        query.addEndpoint(dialer.grpcAddress, { peers: [NetworkPeer.pods(dialer.workload.selectorLabels)], ports: [THANOS_GRPC_PORT] });
        dialer.workload.allowIngress({ peers: [queryPeer], ports: [THANOS_GRPC_PORT] });
      }
    } else {
      if (tls) query.workload.allowIngress({ peers: [NetworkPeer.cidr(props.topology.primary.cidr)], ports: [THANOS_GRPC_PORT] });
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
  private remoteWriteSecurity(props: RegionalReplicaProps, others: RegionSpec[], mtls?: CrossRegionTls): Record<string, unknown> {
    const { remoteWriteTls: tls, remoteWriteAuth: auth } = props;
    if (!tls && !auth && !mtls) return {};
    if (tls && mtls) throw invalid('remoteWriteTls', '{ caSecret }', 'unset when crossRegionTls is set (its Secret holds the CA)');
    // Without https, tlsConfig is ignored and a token would cross regions in clear.
    for (const other of others) {
      if (!other.receiveUrl.startsWith('https://')) {
        throw urlError(`topology.${other.region}.receiveUrl`, other.receiveUrl, 'an https URL when remoteWriteTls, remoteWriteAuth or crossRegionTls is set');
      }
    }
    const out: Record<string, unknown> = {};
    if (tls) {
      const ca = requireSecretKeyRef('remoteWriteTls.caSecret', tls.caSecret, "the receivers' CA bundle");
      if (tls.serverName !== undefined) validateDnsSubdomain(tls.serverName, 'remoteWriteTls.serverName');
      out.tlsConfig = { ca: { secret: ca }, ...(tls.serverName ? { serverName: tls.serverName } : {}) };
    }
    if (mtls) {
      // The client certificate is what the receivers check (they check no bearer token).
      const key = (k: string) => ({ name: mtls.secretName, key: k });
      out.tlsConfig = { ca: { secret: key('ca.crt') }, cert: { secret: key('tls.crt') }, keySecret: key('tls.key'), ...(mtls.serverName ? { serverName: mtls.serverName } : {}) };
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

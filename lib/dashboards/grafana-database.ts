import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { requireHostPort } from '../core/credentials.js';
import { Cluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import { Construct } from 'constructs';
import { invalid, requireInt } from '../core/errors.js';
import { IMAGES, requirePinnedImage } from '../core/images.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateDnsLabel } from '../core/names.js';
import { FLOWS, NetworkAllow, NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { registerSchema } from '../core/schema.js';
import { requireSecretKeyRef } from '../core/secrets.js';
import { Size } from '../core/units.js';
import type { ResourceSpec } from '../core/workload.js';
import { PodMonitor } from '../metrics/monitors.js';
import {  } from '../core/workload.js';

registerSchema('postgresql.cnpg.io/v1', 'Cluster', Cluster);

/** A key of a Kubernetes Secret. */
export interface GrafanaSecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** What Grafana needs to reach its database: environment and egress. */
export interface GrafanaDatabaseBinding {
  readonly env: IEnvVar[];
  readonly egress: NetworkFlow[];
}

/** Where the database lives relative to Grafana. */
export interface GrafanaDatabaseContext {
  readonly namespace: string;
  /** Name of the Grafana workload (the default database name derives from it). */
  readonly grafanaName: string;
  /** Grafana's pods, the only database clients. */
  readonly clients: PodsRef;
  /** Prometheus pods scraping Grafana; a database with an exporter is scraped by them too. @default - not scraped */
  readonly scrapedBy?: PodsRef;
}

export interface CloudNativePgDatabaseProps {
  /** Name of the CloudNativePG `Cluster`. @default '<grafana name>-db' */
  readonly name?: string;
  /** PostgreSQL instances: a primary and hot standbys with automated failover. @default 2 */
  readonly instances?: number;
  /** Volume per instance. @default '10GiB' */
  readonly storage?: Size | string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default IMAGES.postgres */
  readonly image?: string;
  /** @default { cpu: '100m', memory: '256Mi', memoryLimit: '512Mi' } */
  readonly resources?: ResourceSpec;
  /** Namespace of the CloudNativePG operator, which must reach the instances. @default 'cnpg-system' */
  readonly operatorNamespace?: string;
  /**
   * Prometheus pods: adds a PodMonitor for the instances' exporter (port `metrics`, 9187) and
   * lets them in on that port. @default - the Grafana's `scrapedBy`
   */
  readonly scrapedBy?: PodsRef;
}

export interface ExternalDatabaseProps {
  /** `host:port` of a PostgreSQL server every Grafana replica shares. */
  readonly host: string;
  /** @default 'grafana' */
  readonly database?: string;
  /** Database user. */
  readonly user: string;
  /** The Secret key holding the user's password (never inlined). */
  readonly passwordSecret: GrafanaSecretKeyRef;
  /** Grafana's `[database] ssl_mode` for postgres. @default 'require' */
  readonly sslMode?: 'disable' | 'require' | 'verify-full';
  /** Where the server is, for the NetworkPolicy. @default - any address on the server's port */
  readonly peer?: NetworkPeer;
}

const secretEnv = (name: string, ref: GrafanaSecretKeyRef): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });

/**
 * Grafana's SQL database. Replicas share users, dashboards, sessions and alert state only
 * through it, so more than one replica needs a shared one: a CloudNativePG cluster (default) or
 * an external PostgreSQL server. The embedded SQLite file suits a single replica only.
 */
export abstract class GrafanaDatabase {
  /** A PostgreSQL cluster run by the CloudNativePG operator next to Grafana (the default). */
  static cloudNativePg(props: CloudNativePgDatabaseProps = {}): GrafanaDatabase {
    return new CloudNativePgDatabase(props);
  }

  /** An existing PostgreSQL server; the password comes from a Secret. */
  static external(props: ExternalDatabaseProps): GrafanaDatabase {
    return new ExternalDatabase(props);
  }

  /** Grafana's embedded SQLite file, on the pod's ephemeral volume: one replica only. */
  static sqlite(): GrafanaDatabase {
    return new SqliteDatabase();
  }

  /** True when several Grafana replicas can share the database. */
  abstract readonly shared: boolean;
  /** Human-readable kind, for errors and docs. */
  abstract readonly kind: string;

  /** Creates what the database needs in `scope` and returns how Grafana connects. */
  abstract bind(scope: Construct, ctx: GrafanaDatabaseContext): GrafanaDatabaseBinding;
}

class SqliteDatabase extends GrafanaDatabase {
  readonly shared = false;
  readonly kind = 'sqlite';
  bind(): GrafanaDatabaseBinding {
    return { env: [{ name: 'GF_DATABASE_TYPE', value: 'sqlite3' }], egress: [] };
  }
}

class ExternalDatabase extends GrafanaDatabase {
  readonly shared = true;
  readonly kind = 'external';
  constructor(private readonly props: ExternalDatabaseProps) {
    super();
    // user:password@host:port is refused, and never echoed (the credential guard).
    requireHostPort('database.host', props.host, 'a host:port like postgres.example.com:5432');
    if (!props.user) throw invalid('database.user', props.user, 'a database user name');
    requireSecretKeyRef('database.passwordSecret', props.passwordSecret, 'the database password');
  }

  bind(): GrafanaDatabaseBinding {
    const port = Number(this.props.host.split(':')[1]);
    return {
      env: [
        { name: 'GF_DATABASE_TYPE', value: 'postgres' },
        { name: 'GF_DATABASE_HOST', value: this.props.host },
        { name: 'GF_DATABASE_NAME', value: this.props.database ?? 'grafana' },
        { name: 'GF_DATABASE_USER', value: this.props.user },
        secretEnv('GF_DATABASE_PASSWORD', this.props.passwordSecret),
        { name: 'GF_DATABASE_SSL_MODE', value: this.props.sslMode ?? 'require' },
      ],
      egress: [{ peers: [this.props.peer ?? NetworkPeer.anywhere('an external PostgreSQL server without a declared peer')], ports: [port] }],
    };
  }
}

const PG_PORT = 5432;
const CNPG_STATUS_PORT = 8000;
const CNPG_METRICS_PORT = 9187;

class CloudNativePgDatabase extends GrafanaDatabase {
  readonly shared = true;
  readonly kind = 'cloudnative-pg';
  constructor(private readonly props: CloudNativePgDatabaseProps) {
    super();
    if (props.name !== undefined) validateDnsLabel(props.name, 'database.name');
    requireInt('database.instances', props.instances ?? 2, 1, 9);
    Size.of(props.storage ?? '10GiB', 'database.storage');
    requirePinnedImage(props.image ?? IMAGES.postgres, 'database.image');
    validateDnsLabel(props.operatorNamespace ?? 'cnpg-system', 'database.operatorNamespace');
  }

  bind(scope: Construct, ctx: GrafanaDatabaseContext): GrafanaDatabaseBinding {
    const p = this.props;
    const name = p.name ?? `${ctx.grafanaName}-db`;
    const resources = p.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '512Mi' };
    const scrapedBy = p.scrapedBy ?? ctx.scrapedBy;
    const db = new Construct(scope, 'Database');
    new K8sObject(db, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name, namespace: ctx.namespace },
      spec: {
        instances: p.instances ?? 2,
        imageName: p.image ?? IMAGES.postgres,
        // The operator creates database `grafana` owned by `grafana`, and the Secret `<name>-app`.
        bootstrap: { initdb: { database: 'grafana', owner: 'grafana' } },
        storage: {
          size: Size.of(p.storage ?? '10GiB', 'database.storage').toKubernetesGi(),
          ...(p.storageClassName ? { storageClass: p.storageClassName } : {}),
        },
        resources: { requests: { cpu: resources.cpu, memory: resources.memory }, limits: { memory: resources.memoryLimit ?? resources.memory } },
        affinity: { enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname' },
        enablePDB: true,
        // The namespace enforces the restricted Pod Security Standard; this is the operator's default, made explicit.
        seccompProfile: { type: 'RuntimeDefault' },
        primaryUpdateStrategy: 'unsupervised',
      },
    });

    // Instance pods carry `cnpg.io/cluster: <name>`; the namespace's default deny applies to them.
    const instances = { namespace: ctx.namespace, podLabels: { 'cnpg.io/cluster': name } };
    const operator = NetworkPeer.pods({ 'app.kubernetes.io/name': 'cloudnative-pg' }, p.operatorNamespace ?? 'cnpg-system');
    new NetworkAllow(db, 'NetworkPolicy', {
      name,
      namespace: ctx.namespace,
      podLabels: instances.podLabels,
      ingress: [
        { peers: [NetworkPeer.of(ctx.clients)], ports: [PG_PORT] },
        // The operator probes the instance manager; instances replicate from each other.
        { peers: [operator, NetworkPeer.of(instances)], ports: [PG_PORT, CNPG_STATUS_PORT] },
        ...(scrapedBy ? [{ peers: [NetworkPeer.of(scrapedBy)], ports: [CNPG_METRICS_PORT] }] : []),
      ],
      egress: [
        { peers: [NetworkPeer.of(instances)], ports: [PG_PORT, CNPG_STATUS_PORT] },
        // The instance manager reports status and reads its Secrets through the API server.
        FLOWS.kubeApiServer(),
      ],
    });
    if (scrapedBy) {
      // Every instance runs the exporter (primary and standbys), so all of them are scraped.
      new PodMonitor(db, 'Monitor', { name, namespace: ctx.namespace, selector: instances.podLabels, endpoints: [{ port: 'metrics' }] });
    }

    const appSecret = `${name}-app`;
    return {
      env: [
        { name: 'GF_DATABASE_TYPE', value: 'postgres' },
        { name: 'GF_DATABASE_HOST', value: `${name}-rw.${ctx.namespace}.svc:${PG_PORT}` },
        { name: 'GF_DATABASE_NAME', value: 'grafana' },
        // CloudNativePG's basic-auth Secret `<cluster>-app`: keys `username` and `password`.
        secretEnv('GF_DATABASE_USER', { name: appSecret, key: 'username' }),
        secretEnv('GF_DATABASE_PASSWORD', { name: appSecret, key: 'password' }),
        // CloudNativePG serves TLS with its own CA; `require` encrypts without pinning that CA.
        { name: 'GF_DATABASE_SSL_MODE', value: 'require' },
      ],
      egress: [{ peers: [NetworkPeer.of(instances)], ports: [PG_PORT] }],
    };
  }
}

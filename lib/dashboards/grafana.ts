import { createHash } from 'node:crypto';
import { DEFAULT_NAMES } from '../core/default-names.js';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolumeProjection } from 'kubernetes-models/v1/VolumeProjection';
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { toYaml } from '../core/yaml.js';
import { invalid, requireInt, requireString, requireUnique } from '../core/errors.js';
import { IMAGES, requirePinnedImage } from '../core/images.js';
import { K8sObject } from '../core/k8s-object.js';
import { selectorLabels } from '../core/labels.js';
import { requireDerivedName, validateDnsLabel, validateDnsSubdomain } from '../core/names.js';
import { NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { requireSecretKey } from '../core/secrets.js';
import { requireSafeUrl } from '../core/url.js';
import { Duration } from '../core/units.js';
import { MAX_REPLICAS, ResourceSpec, restrictedPodSecurityContext, Workload } from '../core/workload.js';
import { PodMonitor } from '../metrics/monitors.js';
import { GrafanaDatabaseBinding, GrafanaDatabase } from './grafana-database.js';
import { LOKI_DATASOURCE_UID } from '../logging/loki-config.js';

/** A datasource Grafana queries: its URL and, for the NetworkPolicy, the pods behind it. */
export interface DatasourceEndpoint {
  /** Base URL, for example `http://prometheus-ai-monitoring.ai-monitoring.svc:9090`. */
  readonly url: string;
  /**
   * Pods serving the URL (for example the `MetricsStack`), so egress is allowed to them only.
   * @default - any pod on the URL's port for `*.svc` hosts, any address otherwise
   */
  readonly pods?: PodsRef;
}

/** The Secret with Grafana's admin credentials and the key that encrypts stored secrets. */
export interface GrafanaAdminSecret {
  readonly name: string;
  /** @default 'admin-user' */
  readonly userKey?: string;
  /** @default 'admin-password' */
  readonly passwordKey?: string;
  /**
   * `[security] secret_key`, which encrypts datasource secrets in the database: every replica
   * must use the same one, and not Grafana's published default.
   * @default 'secret-key'
   */
  readonly secretKeyKey?: string;
}

export interface GrafanaProps {
  /** Prometheus to query: the global query endpoint (Thanos Query) where there is one. */
  readonly prometheus: DatasourceEndpoint;
  /** Alertmanager datasource (silences, alert state). @default - none */
  readonly alertmanager?: DatasourceEndpoint;
  /** Loki datasource (logs panels). @default - none */
  readonly loki?: DatasourceEndpoint;
  /**
   * Loki's rules API when another component than `loki` serves it (the ruler of the distributed
   * mode): a second Loki datasource, the one Grafana's alerting view lists Loki rules from
   * (`manageAlerts`); the query datasource then stops asking its frontend for rules (404).
   * @default - the `loki` datasource serves rules too
   */
  readonly lokiRules?: DatasourceEndpoint;
  /** @default 'ai-monitoring' (created by MetricsStack) */
  readonly namespace?: string;
  /**
   * Name of the Deployment, ServiceAccount, Services (`<name>`, `<name>-headless`), PDB, policy,
   * PodMonitor and ConfigMaps (`<name>-datasources`, `<name>-dashboard-provider`, dashboards
   * `<name>-dashboard-<uid>`). @default 'ai-monitoring-grafana'
   */
  readonly name?: string;
  /** Seed 1.1: `ha_mode: true, replicas: 2`. More than one needs a shared database. @default 2 */
  readonly replicas?: number;
  /** @default GrafanaDatabase.cloudNativePg() */
  readonly database?: GrafanaDatabase;
  /** @default { name: 'grafana-admin' } with keys admin-user, admin-password, secret-key */
  readonly adminSecret?: GrafanaAdminSecret;
  /** Public URL users open (dashboard links are built from it). @default - the in-cluster Service URL */
  readonly rootUrl?: string;
  /** Prometheus' scrape interval, Grafana's minimum query step. @default '15s' */
  readonly scrapeInterval?: Duration | string;
  /** Prometheus pods that scrape Grafana's /metrics (adds a PodMonitor). @default - not scraped */
  readonly scrapedBy?: PodsRef;
  /** Who may open the UI, for example the ingress controller's pods. @default - nobody (port-forward only) */
  readonly ingressFrom?: NetworkFlow[];
  /** Further destinations, for example contact points of Grafana-managed alerts. */
  readonly egressTo?: NetworkFlow[];
  /** @default IMAGES.grafana */
  readonly image?: string;
  /** @default { cpu: '250m', memory: '512Mi', memoryLimit: '1Gi' } */
  readonly resources?: ResourceSpec;
}

const HTTP_PORT = 3000;

const GOSSIP_PORT = 9094;
/** uid:gid of the `grafana` user in the official image. */
const GRAFANA_UID = 472;
/** Datasource uids the library's dashboards refer to. */
export const DATASOURCE_UIDS = { prometheus: 'prometheus', alertmanager: 'alertmanager', loki: LOKI_DATASOURCE_UID, lokiRules: 'loki-rules' } as const;

function egressFor(prop: string, ep: DatasourceEndpoint): NetworkFlow {
  const url = requireSafeUrl(`${prop}.url`, ep.url, { expected: 'an http(s) URL like http://prometheus-ai-monitoring.ai-monitoring.svc:9090' });
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const inCluster = /\.svc(\.cluster\.local)?$/.test(url.hostname);
  const peer = ep.pods ? NetworkPeer.of(ep.pods) : inCluster ? NetworkPeer.allPods(`in-cluster datasource ${prop} without declared pods`) : NetworkPeer.anywhere(`datasource ${prop} outside the cluster`);
  return { peers: [peer], ports: [port] };
}

const env = (name: string, value: string): IEnvVar => ({ name, value });
const secretEnv = (name: string, secret: string, key: string): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

/**
 * Grafana (seed 1.1 and 3.2) in HA mode: replicas share a PostgreSQL database (CloudNativePG by
 * default) and gossip unified-alerting state through a headless Service, so notifications are
 * deduplicated. Datasources and dashboards are provisioned from files (ConfigMaps), admin
 * credentials come from a Secret, and the pods run restricted with a read-only root filesystem.
 */
export class Grafana extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly database: GrafanaDatabase;
  /** In-cluster URL of the HTTP API. */
  readonly url: string;
  /** URL users open; dashboard links start with it. */
  readonly rootUrl: string;
  /** Labels of the Grafana pods (NetworkPolicy peers of its datasources). */
  readonly podLabels: Record<string, string>;
  /** Provisioned datasources by role, with the uids dashboards use. */
  readonly datasources: { readonly prometheus: string; readonly alertmanager?: string; readonly loki?: string };
  /** Directory the dashboard provider reads. */
  readonly dashboardsPath = '/var/lib/grafana-dashboards';
  readonly workload: Workload;
  private readonly dashboardConfigMaps: string[] = [];

  /** The root URL a Grafana with these props has: `rootUrl`, else its in-cluster Service (Loki's alert links point there). */
  static rootUrlOf(props: Pick<GrafanaProps, 'rootUrl' | 'name' | 'namespace'>): string {
    return (props.rootUrl ?? `http://${props.name ?? DEFAULT_NAMES.grafana}.${props.namespace ?? DEFAULT_NAMES.namespace}.svc:${HTTP_PORT}`).replace(/\/+$/, '');
  }

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name ?? DEFAULT_NAMES.grafana, 'name');
    requireDerivedName('name', this.name, { name: `${this.name}-headless`, what: 'the headless Service' });
    this.namespace = validateDnsLabel(props.namespace ?? DEFAULT_NAMES.namespace, 'namespace');
    this.replicas = requireInt('replicas', props.replicas ?? 2, 1, MAX_REPLICAS);
    this.database = props.database ?? GrafanaDatabase.cloudNativePg();
    if (this.replicas > 1 && !this.database.shared) {
      throw invalid('replicas', this.replicas, `1 when 'database' is ${this.database.kind}: replicas share state only through a shared database (GrafanaDatabase.cloudNativePg() or GrafanaDatabase.external())`);
    }
    const admin = props.adminSecret ?? { name: 'grafana-admin' };
    validateDnsSubdomain(admin.name, 'adminSecret.name');
    for (const k of ['userKey', 'passwordKey', 'secretKeyKey'] as const) if (admin[k] !== undefined) requireSecretKey(`adminSecret.${k}`, admin[k]!);
    const scrapeInterval = Duration.of(props.scrapeInterval ?? '15s', 'scrapeInterval');
    this.url = `http://${this.name}.${this.namespace}.svc:${HTTP_PORT}`;
    if (props.rootUrl !== undefined) requireString('rootUrl', props.rootUrl);
    this.rootUrl = Grafana.rootUrlOf({ ...props, name: this.name, namespace: this.namespace });
    requireSafeUrl('rootUrl', props.rootUrl ?? this.rootUrl, { expected: 'an http(s) URL like https://grafana.example.com' });

    const egress: NetworkFlow[] = [egressFor('prometheus', props.prometheus)];
    const datasources: Array<Record<string, unknown>> = [{
      name: 'Prometheus',
      type: 'prometheus',
      uid: DATASOURCE_UIDS.prometheus,
      access: 'proxy',
      url: props.prometheus.url,
      isDefault: true,
      editable: false,
      jsonData: { httpMethod: 'POST', timeInterval: scrapeInterval.toPrometheus() },
    }];
    if (props.alertmanager) {
      egress.push(egressFor('alertmanager', props.alertmanager));
      datasources.push({
        name: 'Alertmanager',
        type: 'alertmanager',
        uid: DATASOURCE_UIDS.alertmanager,
        access: 'proxy',
        url: props.alertmanager.url,
        editable: false,
        // The platform's Alertmanager is Prometheus', not Mimir's (Grafana's default implementation).
        jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      });
    }
    if (props.loki) {
      egress.push(egressFor('loki', props.loki));
      const separateRules = props.lokiRules && props.lokiRules.url !== props.loki.url;
      datasources.push({
        name: 'Loki', type: 'loki', uid: DATASOURCE_UIDS.loki, access: 'proxy', url: props.loki.url, editable: false,
        jsonData: { manageAlerts: !separateRules },
      });
      if (separateRules) {
        egress.push(egressFor('lokiRules', props.lokiRules!));
        datasources.push({
          name: 'Loki rules', type: 'loki', uid: DATASOURCE_UIDS.lokiRules, access: 'proxy', url: props.lokiRules!.url, editable: false,
          jsonData: { manageAlerts: true },
        });
      }
    }
    this.datasources = {
      prometheus: DATASOURCE_UIDS.prometheus,
      ...(props.alertmanager ? { alertmanager: DATASOURCE_UIDS.alertmanager } : {}),
      ...(props.loki ? { loki: DATASOURCE_UIDS.loki } : {}),
    };

    const datasourcesYaml = toYaml({ apiVersion: 1, datasources });
    new K8sObject(this, 'Datasources', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${this.name}-datasources`, namespace: this.namespace },
      data: { 'datasources.yaml': datasourcesYaml },
    });
    new K8sObject(this, 'DashboardProvider', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${this.name}-dashboard-provider`, namespace: this.namespace },
      data: {
        'dashboards.yaml': toYaml({
          apiVersion: 1,
          providers: [{
            name: 'ai-monitoring',
            orgId: 1,
            folder: 'AI Monitoring',
            type: 'file',
            // Dashboards are code: the UI may not delete or overwrite them.
            disableDeletion: true,
            allowUiUpdates: false,
            updateIntervalSeconds: 30,
            options: { path: this.dashboardsPath },
          }],
        }),
      },
    });

    const podLabels = selectorLabels(this.name, 'grafana');
    this.podLabels = podLabels;
    const self: PodsRef = { namespace: this.namespace, podLabels };
    const ha = this.replicas > 1;
    const headless = `${this.name}-headless`;
    const db: GrafanaDatabaseBinding = this.database.bind(this, { namespace: this.namespace, grafanaName: this.name, clients: self, scrapedBy: props.scrapedBy });

    const containerEnv: IEnvVar[] = [
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      env('GF_SERVER_ROOT_URL', this.rootUrl),
      // Console only: the root filesystem is read-only, so no log files.
      env('GF_LOG_MODE', 'console'),
      // Egress to grafana.com is denied; do not try.
      env('GF_ANALYTICS_REPORTING_ENABLED', 'false'),
      env('GF_ANALYTICS_CHECK_FOR_UPDATES', 'false'),
      env('GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES', 'false'),
      // Grafana 12 otherwise downloads its "preinstalled" app plugins from grafana.com at start.
      env('GF_PLUGINS_PREINSTALL_DISABLED', 'true'),
      secretEnv('GF_SECURITY_ADMIN_USER', admin.name, admin.userKey ?? 'admin-user'),
      secretEnv('GF_SECURITY_ADMIN_PASSWORD', admin.name, admin.passwordKey ?? 'admin-password'),
      secretEnv('GF_SECURITY_SECRET_KEY', admin.name, admin.secretKeyKey ?? 'secret-key'),
      ...db.env,
      // grafana_database_queries_duration_seconds{status} exists only with this on (default off).
      env('GF_DATABASE_INSTRUMENT_QUERIES', 'true'),
      env('GF_UNIFIED_ALERTING_ENABLED', 'true'),
      // Alertmanager-style gossip between replicas (TCP and UDP 9094) deduplicates notifications.
      // $(POD_IP) is expanded by the kubelet from the variable defined above.
      ...(ha ? [
        env('GF_UNIFIED_ALERTING_HA_PEERS', `${headless}.${this.namespace}.svc:${GOSSIP_PORT}`),
        env('GF_UNIFIED_ALERTING_HA_LISTEN_ADDRESS', `$(POD_IP):${GOSSIP_PORT}`),
        env('GF_UNIFIED_ALERTING_HA_ADVERTISE_ADDRESS', `$(POD_IP):${GOSSIP_PORT}`),
      ] : []),
    ];

    const dashboardSources = Lazy.any({
      produce: () => this.dashboardConfigMaps.map((name): IVolumeProjection => ({ configMap: { name } })),
    }) as unknown as IVolumeProjection[];

    this.workload = new Workload(this, 'Resource', {
      name: this.name,
      namespace: this.namespace,
      kind: 'Deployment',
      component: 'grafana',
      replicas: this.replicas,
      podSecurityContext: restrictedPodSecurityContext(GRAFANA_UID),
      // Restart on datasource changes (dashboards reload by themselves).
      podAnnotations: { 'checksum/datasources': createHash('sha256').update(datasourcesYaml).digest('hex') },
      containers: [{
        name: 'grafana',
        image: requirePinnedImage(props.image ?? IMAGES.grafana, 'image'),
        env: containerEnv,
        ports: [
          { name: 'http', containerPort: HTTP_PORT },
          ...(ha ? [
            { name: 'gossip-tcp', containerPort: GOSSIP_PORT, protocol: 'TCP' as const },
            { name: 'gossip-udp', containerPort: GOSSIP_PORT, protocol: 'UDP' as const },
          ] : []),
        ],
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/grafana' },
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
          { name: 'dashboard-provider', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
          { name: 'dashboards', mountPath: this.dashboardsPath, readOnly: true },
        ],
        resources: props.resources ?? { cpu: '250m', memory: '512Mi', memoryLimit: '1Gi' },
        readinessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/api/health', port: 'http' }, initialDelaySeconds: 60, periodSeconds: 10, failureThreshold: 6 },
      }],
      volumes: [
        // State lives in the database; these hold plugins, caches and temp files only.
        { name: 'data', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
        { name: 'datasources', configMap: { name: `${this.name}-datasources` } },
        { name: 'dashboard-provider', configMap: { name: `${this.name}-dashboard-provider` } },
        { name: 'dashboards', projected: { sources: dashboardSources } },
      ],
      service: { ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http' }] },
      ingressFrom: [
        ...(props.scrapedBy ? [{ peers: [NetworkPeer.of(props.scrapedBy)], ports: [HTTP_PORT] }] : []),
        ...(props.ingressFrom ?? []).map((f) => ({ ...f, ports: f.ports ?? [HTTP_PORT] })),
        ...(ha ? (['TCP', 'UDP'] as const).map((protocol) => ({ peers: [NetworkPeer.of(self)], ports: [GOSSIP_PORT], protocol })) : []),
      ],
      egressTo: [
        ...egress,
        ...db.egress,
        ...(ha ? (['TCP', 'UDP'] as const).map((protocol) => ({ peers: [NetworkPeer.of(self)], ports: [GOSSIP_PORT], protocol })) : []),
        ...(props.egressTo ?? []),
      ],
    });

    if (ha) {
      // Headless: ha_peers resolves to every pod IP; published before readiness so peers find each other at start.
      new K8sObject(this, 'HeadlessService', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: headless, namespace: this.namespace },
        spec: {
          clusterIP: 'None',
          publishNotReadyAddresses: true,
          selector: this.workload.selectorLabels,
          ports: (['TCP', 'UDP'] as const).map((protocol) => ({ name: `gossip-${protocol.toLowerCase()}`, port: GOSSIP_PORT, targetPort: GOSSIP_PORT, protocol })),
        },
      });
    }
    if (props.scrapedBy) {
      // A PodMonitor: it selects the pods' own labels and named port, which the Service does not carry.
      new PodMonitor(this, 'Monitor', { name: this.name, namespace: this.namespace, selector: this.workload.selectorLabels, endpoints: [{ port: 'http' }] });
    }
  }

  /** Mounts a ConfigMap of dashboard JSON files into the provider's directory. */
  addDashboardConfigMap(name: string): void {
    validateDnsSubdomain(name, 'configMap');
    requireUnique('configMap', name, this.dashboardConfigMaps);
    this.dashboardConfigMaps.push(name);
  }

  /** Lets another client reach the UI and API (port 3000). */
  allowIngress(flow: NetworkFlow): void {
    this.workload.allowIngress({ ...flow, ports: flow.ports ?? [HTTP_PORT] });
  }

  /** Lets Grafana reach another destination. */
  allowEgress(flow: NetworkFlow): void {
    this.workload.allowEgress(flow);
  }
}

import { requireSafeUrl } from '../core/url.js';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { toYaml } from '../core/yaml.js';
import { invalid, requireArray, requireInt, requireString, ValidationError } from '../core/errors.js';
import { IMAGES, requirePinnedImage } from '../core/images.js';
import { K8sObject } from '../core/k8s-object.js';
import { statefulSetName, validateDnsLabel, validatePromLabelName } from '../core/names.js';
import { NetworkAllow, NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { Duration, Size } from '../core/units.js';
import { MAX_REPLICAS, ResourceSpec, restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../core/workload.js';
import { MetricsStack } from '../metrics/metrics-stack.js';
import { ServiceMonitor } from '../metrics/monitors.js';
import type { SecretKeyRef } from '../core/secrets.js';
import { parseAlertmanagerVersion, Receiver } from './receivers.js';
import {
  alertmanagerInterval, IncidentClassRoutingProps, renderMatchers, renderRoute, requireReceiver, resolveClassRoutes, ResolvedClassRoute,
  RouteSpec, SEED_INCIDENT_CLASSES, validateGroupBy,
} from './routing-tree.js';
import { WATCHDOG_ALERT } from './self-monitoring.js';

/** An Alertmanager inhibit rule: while a source alert fires, matching targets are muted. */
export interface InhibitRule {
  readonly sourceMatchers: string[] | Record<string, string>;
  readonly targetMatchers: string[] | Record<string, string>;
  /** Labels that must be equal in source and target. */
  readonly equal: string[];
}

export interface IncidentRoutingProps extends IncidentClassRoutingProps {
  /**
   * Prometheus that sends alerts here. A `MetricsStack` is wired (`addAlertmanager`, egress and
   * a ServiceMonitor); other `PodsRef`s are only allowed in by the NetworkPolicy.
   * @default - nobody is wired
   */
  readonly prometheus?: MetricsStack | PodsRef;
  /** @default - the MetricsStack's namespace, else 'ai-monitoring' */
  readonly namespace?: string;
  /**
   * Name of the Alertmanager object; its Service, ServiceAccount, PDB, policy and monitor are
   * `alertmanager-<name>`, its configuration Secret `alertmanager-<name>-config`. @default 'ai-monitoring'
   */
  readonly name?: string;
  /** An HA cluster needs at least 2. @default 2 */
  readonly replicas?: number;
  /** Dead man's switch for the Watchdog alert. @default - a receiver named 'watchdog' that notifies nobody */
  readonly watchdogReceiver?: string;
  /**
   * Alertmanager version the configuration must be valid for; settings newer than it (webhook
   * `url_file` needs 0.26) are refused. @default - the version of IMAGES.alertmanager
   */
  readonly alertmanagerVersion?: string;
  /** Where Secrets are mounted in the pods (prometheus-operator's `secrets:`). @default '/etc/alertmanager/secrets' */
  readonly secretsMountPath?: string;
  /** @default IMAGES.alertmanager */
  readonly image?: string;
  /** @default '1GB' */
  readonly storageSize?: Size | string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** How long silences and the notification log are kept. @default '120h' */
  readonly retention?: Duration | string;
  /** @default { cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' } */
  readonly resources?: ResourceSpec;
  /** URL under which users reach Alertmanager (links in notifications). @default - none */
  readonly externalUrl?: string;
}

/** Upper bound of receivers (each mounts Secrets and opens egress). */
const MAX_RECEIVERS = 100;

/** Labels that identify "the same alert and target" for the severity inhibit rule. */
export const INHIBIT_EQUAL_LABELS = ['alertname', 'region', 'cluster', 'namespace', 'job', 'instance', 'model', 'index'];

const WEB_PORT = 9093;

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return Math.sign(a[i] - b[i]);
  return 0;
}
const CLUSTER_PORT = 9094;

/**
 * Incident routing (seed 1.2 and 5.1): a highly available Alertmanager cluster through
 * prometheus-operator and its configuration Secret. Alerts are routed by `incident_class` to
 * each class's escalation receiver with timings derived from its response time; a critical
 * alert mutes the warning of the same alert and target; the Watchdog goes to a dead man's
 * switch. Other constructs add receivers and routes (`addReceiver`, `addRoute`).
 */
export class IncidentRouting extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly classes: readonly ResolvedClassRoute[];
  readonly defaultReceiver: string;
  readonly watchdogReceiver: string;
  readonly alertmanagerVersion: readonly [number, number, number];
  readonly secretsMountPath: string;
  /** Secret holding `alertmanager.yaml`. */
  readonly configSecretName: string;
  /** Service Prometheus sends alerts to. */
  readonly serviceName: string;
  /** In-cluster URL of the Alertmanager API (for a Grafana Alertmanager datasource). */
  readonly url: string;
  /** Labels of the Alertmanager pods (set by prometheus-operator). */
  readonly podLabels: Record<string, string>;
  readonly resource: K8sObject;
  private readonly receivers = new Map<string, Receiver>();
  private readonly routes: RouteSpec[] = [];
  private readonly inhibitRules: InhibitRule[] = [];
  private readonly groupBy: string[];
  private readonly watchdogInterval: Duration;
  private readonly ingress: NetworkFlow[] = [];
  private readonly egress: NetworkFlow[] = [];

  constructor(scope: Construct, id: string, props: IncidentRoutingProps) {
    super(scope, id);
    // Links in notifications: the credential guard applies (lib/core/url.ts).
    if (props.externalUrl !== undefined) requireSafeUrl('externalUrl', props.externalUrl, { expected: 'an http(s) URL like https://alertmanager.example.com' });
    const metrics = props.prometheus instanceof MetricsStack ? props.prometheus : undefined;
    this.name = validateDnsLabel(props.name ?? DEFAULT_NAMES.alertmanager, 'name');
    statefulSetName('name', this.name, `alertmanager-${this.name}`); // the operator's StatefulSet
    this.namespace = validateDnsLabel(props.namespace ?? metrics?.namespace ?? DEFAULT_NAMES.namespace, 'namespace');
    const replicas = props.replicas ?? 2;
    this.replicas = requireInt('replicas', replicas, 2, MAX_REPLICAS);
    const image = requirePinnedImage(props.image ?? IMAGES.alertmanager, 'image');
    const imageTag = image.split(':').pop()!;
    const imageVersion = /^v?\d+\.\d+\.\d+$/.test(imageTag) ? parseAlertmanagerVersion(imageTag, 'image') : undefined;
    this.alertmanagerVersion = props.alertmanagerVersion === undefined
      ? imageVersion ?? parseAlertmanagerVersion(imageTag, 'alertmanagerVersion')
      : parseAlertmanagerVersion(props.alertmanagerVersion);
    // A configuration written for a newer Alertmanager than the image runs would not load.
    if (imageVersion && compareVersions(this.alertmanagerVersion, imageVersion) > 0) {
      throw invalid('alertmanagerVersion', props.alertmanagerVersion, `at most the image's version (${imageTag})`);
    }
    this.secretsMountPath = props.secretsMountPath ?? '/etc/alertmanager/secrets';
    if (!this.secretsMountPath.startsWith('/')) throw invalid('secretsMountPath', props.secretsMountPath, 'an absolute path');
    this.groupBy = validateGroupBy(props.groupBy ?? ['alertname', 'region', 'cluster', 'namespace'], 'groupBy');
    this.watchdogInterval = alertmanagerInterval(props.watchdogInterval ?? '1m', 'watchdogInterval', false);
    const storage = Size.of(props.storageSize ?? '1GB', 'storageSize');
    const retention = Duration.of(props.retention ?? '120h', 'retention');
    const resources = props.resources ?? { cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' };
    this.configSecretName = `alertmanager-${this.name}-config`;
    this.serviceName = `alertmanager-${this.name}`;
    this.url = `http://${this.serviceName}.${this.namespace}.svc:${WEB_PORT}`;
    this.podLabels = { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': this.name };

    if (!Array.isArray(props.receivers) || props.receivers.length === 0) throw invalid('receivers', props.receivers, 'at least one Receiver');
    props.receivers.forEach((r) => this.addReceiver(r));
    this.watchdogReceiver = props.watchdogReceiver ?? 'watchdog';
    if (props.watchdogReceiver === undefined && !this.receivers.has('watchdog')) this.addReceiver(Receiver.none('watchdog'));
    requireReceiver('watchdogReceiver', this.watchdogReceiver, this.receivers.keys());
    this.classes = resolveClassRoutes(props.classes ?? SEED_INCIDENT_CLASSES);
    this.classes.forEach((c) => requireReceiver(`classes.${c.incidentClass}.receiver`, c.receiver, this.receivers.keys()));
    this.defaultReceiver = props.defaultReceiver ?? this.classes.find((c) => c.incidentClass === 'medium')!.receiver;
    requireReceiver('defaultReceiver', this.defaultReceiver, this.receivers.keys());
    const equal = [...requireArray('inhibitEqual', props.inhibitEqual ?? INHIBIT_EQUAL_LABELS, 'a list of label names')];
    this.addInhibitRule({ sourceMatchers: { severity: 'critical' }, targetMatchers: { severity: 'warning' }, equal });

    new K8sObject(this, 'Config', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: this.configSecretName, namespace: this.namespace },
      type: 'Opaque',
      stringData: { 'alertmanager.yaml': Lazy.any({ produce: () => this.configYaml() }) },
    });

    const security = restrictedContainerSecurityContext();
    this.resource = new K8sObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Alertmanager',
      metadata: { name: this.name, namespace: this.namespace },
      spec: Lazy.any({
        produce: () => ({
          image,
          // The operator picks flags by it: the image's own version, else the explicit one.
          version: `v${(imageVersion ?? this.alertmanagerVersion).join('.')}`,
          replicas: this.replicas,
          configSecret: this.configSecretName,
          ...(this.secretNames().length ? { secrets: this.secretNames() } : {}),
          retention: retention.toGo(),
          ...(props.externalUrl ? { externalUrl: props.externalUrl } : {}),
          serviceAccountName: this.serviceName,
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurityContext(),
          containers: ['alertmanager', 'config-reloader'].map((name) => ({ name, securityContext: security })),
          initContainers: [{ name: 'init-config-reloader', securityContext: security }],
          resources: { requests: { cpu: resources.cpu, memory: resources.memory }, limits: { memory: resources.memoryLimit ?? resources.memory } },
          topologySpreadConstraints: spreadConstraints(this.podLabels),
          storage: {
            volumeClaimTemplate: {
              spec: {
                accessModes: ['ReadWriteOnce'],
                ...(props.storageClassName ? { storageClassName: validateDnsLabel(props.storageClassName, 'storageClassName') } : {}),
                resources: { requests: { storage: storage.toKubernetesGi() } },
              },
            },
          },
        }),
      }),
    });

    if (props.externalUrl !== undefined) requireString('externalUrl', props.externalUrl);
    const meta = { name: this.serviceName, namespace: this.namespace };
    new K8sObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, automountServiceAccountToken: false });
    new K8sObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...meta, labels: this.podLabels },
      spec: { selector: this.podLabels, ports: [{ name: 'web', port: WEB_PORT, targetPort: 'web', protocol: 'TCP' }] },
    });
    new K8sObject(this, 'Pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta,
      spec: { maxUnavailable: 1, selector: { matchLabels: this.podLabels } },
    });

    // Gossip between the replicas (memberlist uses TCP and UDP on the cluster port).
    const peers = NetworkPeer.pods(this.podLabels);
    for (const protocol of ['TCP', 'UDP'] as const) {
      this.ingress.push({ peers: [peers], ports: [CLUSTER_PORT], protocol });
      this.egress.push({ peers: [peers], ports: [CLUSTER_PORT], protocol });
    }
    new NetworkAllow(this, 'NetworkPolicy', {
      name: this.serviceName, namespace: this.namespace, podLabels: this.podLabels, ingress: this.ingress, egress: this.egress,
    });

    if (props.prometheus) this.allowIngress({ peers: [NetworkPeer.of(props.prometheus)], ports: [WEB_PORT] });
    if (metrics) {
      metrics.addAlertmanager({ namespace: this.namespace, name: this.serviceName, port: 'web', apiVersion: 'v2' });
      metrics.allowEgress({ peers: [NetworkPeer.pods(this.podLabels, this.namespace)], ports: [WEB_PORT] });
      new ServiceMonitor(this, 'Monitor', {
        name: this.serviceName, namespace: this.namespace, selector: this.podLabels, endpoints: [{ port: 'web' }],
      });
    }
  }

  /** Adds a receiver; its Secrets are mounted and its egress allowed. Throws on a duplicate name. */
  addReceiver(receiver: Receiver): this {
    if (!(receiver instanceof Receiver)) throw invalid('receivers', receiver, 'a Receiver made by Receiver.pagerDuty/slack/webhook/email/opsgenie/none');
    if (this.receivers.has(receiver.name)) throw invalid('receivers.name', receiver.name, 'unique among the receivers');
    if (this.receivers.size >= MAX_RECEIVERS) throw invalid('receivers', `${this.receivers.size + 1} receivers`, `at most ${MAX_RECEIVERS} receivers`);
    this.receivers.set(receiver.name, receiver);
    for (const flow of receiver.egress) this.allowEgress(flow);
    return this;
  }

  /**
   * Adds a route in front of the incident-class routes (after the Watchdog's). With
   * `continue: true` the matching alerts still reach their incident class's receiver.
   */
  addRoute(route: RouteSpec): this {
    const prop = `routes[${this.routes.length}]`;
    requireReceiver(`${prop}.receiver`, route.receiver, this.receivers.keys());
    renderRoute(route, prop); // validates now rather than at synth
    this.routes.push(route);
    return this;
  }

  /** Adds an inhibit rule. */
  addInhibitRule(rule: InhibitRule): this {
    const prop = `inhibitRules[${this.inhibitRules.length}]`;
    renderMatchers(rule.sourceMatchers, `${prop}.sourceMatchers`);
    renderMatchers(rule.targetMatchers, `${prop}.targetMatchers`);
    requireArray(`${prop}.equal`, rule.equal, 'a list of label names').forEach((l, i) => validatePromLabelName(l, `${prop}.equal[${i}]`));
    this.inhibitRules.push(rule);
    return this;
  }

  /** Lets another client reach the Alertmanager API (for example Grafana). */
  allowIngress(flow: NetworkFlow): void {
    this.ingress.push({ ...flow, ports: flow.ports ?? [WEB_PORT] });
  }

  /** Lets the Alertmanager pods reach another destination (each distinct flow once). */
  allowEgress(flow: NetworkFlow): void {
    const key = JSON.stringify(flow);
    if (!this.egress.some((f) => JSON.stringify(f) === key)) this.egress.push(flow);
  }

  /** Names of the declared receivers. */
  get receiverNames(): string[] {
    return [...this.receivers.keys()];
  }

  /** The Alertmanager configuration as an object (what `alertmanager.yaml` holds). */
  renderConfig(): Record<string, unknown> {
    const ctx = { secretsMountPath: this.secretsMountPath, version: this.alertmanagerVersion };
    const medium = this.classes.find((c) => c.incidentClass === 'medium')!;
    const timing = (c: ResolvedClassRoute) => ({
      group_wait: c.groupWait.toPrometheus(),
      group_interval: c.groupInterval.toPrometheus(),
      repeat_interval: c.repeatInterval.toPrometheus(),
    });
    return {
      route: {
        receiver: this.defaultReceiver,
        group_by: this.groupBy,
        ...timing(medium),
        routes: [
          {
            receiver: this.watchdogReceiver,
            matchers: [`alertname="${WATCHDOG_ALERT}"`],
            group_wait: '0s',
            group_interval: this.watchdogInterval.toPrometheus(),
            repeat_interval: this.watchdogInterval.toPrometheus(),
          },
          ...this.routes.map((r, i) => renderRoute(r, `routes[${i}]`)),
          ...this.classes.map((c) => ({ receiver: c.receiver, matchers: [`incident_class="${c.incidentClass}"`], ...timing(c) })),
        ],
      },
      inhibit_rules: this.inhibitRules.map((r, i) => ({
        source_matchers: renderMatchers(r.sourceMatchers, `inhibitRules[${i}].sourceMatchers`),
        target_matchers: renderMatchers(r.targetMatchers, `inhibitRules[${i}].targetMatchers`),
        equal: r.equal,
      })),
      receivers: [...this.receivers.values()].map((r) => r.render(ctx)),
    };
  }

  /** `alertmanager.yaml` as written into the configuration Secret. */
  configYaml(): string {
    return toYaml(this.renderConfig());
  }

  /** The Secrets mounted into the pods, each once. */
  private secretNames(): string[] {
    const refs: SecretKeyRef[] = [...this.receivers.values()].flatMap((r) => [...r.secrets]);
    const names = [...new Set(refs.map((r) => r.name))].sort();
    if (names.includes(this.configSecretName)) {
      throw new ValidationError(`'receivers' must not reference the configuration Secret '${this.configSecretName}', got a Secret reference to it`);
    }
    return names;
  }
}

import { Construct } from 'constructs';
import { invalid, requireArray, requireInt, requireObject, requireUnique, within } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateDnsLabel } from '../core/names.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';
import { PlatformNamespace } from '../core/namespace.js';
import { FLOWS, NetworkAllow, NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { RuleSet } from '../core/rules.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/workload.js';
import { ArgoEventsMonitoring } from './argo-monitoring.js';
import { AutomationRule, AutomationRuleSpec, RULE_LABEL } from './automation-rule.js';
import { WorkloadAutoscaler } from './autoscaler.js';
import { ARGO_EVENTS_JETSTREAM_VERSIONS, JETSTREAM } from './jetstream.js';
import { REMEDIATION_POD_LABELS } from './remediation-workflow.js';
import { ARGO_API_VERSION } from './schemas.js';
import { WorkloadTarget } from './target.js';

/** What the platform's Prometheus offers this construct (MetricsStack satisfies it). */
export interface PrometheusRef extends PodsRef {
  /** In-cluster URL of the Prometheus HTTP API. */
  readonly url: string;
  allowIngress(flow: NetworkFlow): void;
}

/** The platform's Alertmanager (IncidentRouting satisfies it). */
export interface AlertmanagerRef extends PodsRef {
  /** In-cluster URL of the Alertmanager API. */
  readonly url: string;
}

/** An Alertmanager webhook receiver, for the routing construct to add. */
export interface WebhookReceiver {
  readonly name: string;
  readonly webhookUrl: string;
}

/** A route to {@link WebhookReceiver}: what it should match and how it should batch. */
export interface RemediationRoute {
  readonly receiver: string;
  /** Alert names of the automation rules (`alertname=~"A|B"`). */
  readonly alertNames: string[];
  /** One notification per alert and rule, so one alert starts one workflow. */
  readonly groupBy: string[];
  /** Re-notify no sooner than the cooldown. */
  readonly repeatInterval: string;
  /**
   * True for rules that notify operations (the alert goes on to its incident-class receiver);
   * false for rules that do not, whose alerts stop at the webhook.
   */
  readonly continue: boolean;
}

export interface EventBusOptions {
  /**
   * A JetStream version listed in Argo Events v1.9.10's controller config
   * (ARGO_EVENTS_JETSTREAM_VERSIONS); others are refused here rather than by the controller.
   * @default JETSTREAM.version ('2.10.10')
   */
  readonly version?: string;
  /** @default 3 */
  readonly replicas?: number;
}

export interface IncidentResponseProps {
  /** The platform's Prometheus (MetricsStack): alert rules, KEDA triggers and impact checks read it. */
  readonly metrics: PrometheusRef;
  /** @default 'incident-response' */
  readonly namespace?: string;
  /**
   * The Alertmanager that sends the webhook and receives escalations. Without it, the namespace
   * of `metrics` and prometheus-operator's `alertmanager-operated` Service are assumed.
   * @default - http://alertmanager-operated.<metrics.namespace>.svc:9093, any pod of that namespace
   */
  readonly alertmanager?: AlertmanagerRef;
  /** Automation rules to add at once (same as calling {@link IncidentResponse.addRule}). @default - none */
  readonly rules?: AutomationRuleSpec[];
  /** Namespace of the KEDA operator, which queries Prometheus. @default 'keda' */
  readonly kedaNamespace?: string;
  /** @default - JetStream JETSTREAM.version (2.10.10), 3 replicas */
  readonly eventBus?: EventBusOptions;
  /** Name of the Alertmanager receiver. @default 'incident-response' */
  readonly receiverName?: string;
}

/** Port of the Argo Events webhook that receives Alertmanager notifications. */
export const WEBHOOK_PORT = 12000;
const BUS_CLIENT_PORT = 4222;
const BUS_PEER_PORTS = [6222, 8222];
const BUS_LABELS = { 'eventbus-name': 'default' };

/**
 * Resources and restricted security for the pods the Argo Events controllers create. With
 * `writableTmp`, an emptyDir at /tmp: the Sensor's argo CLI writes the Workflow to a temp file.
 */
export function argoEventsPodTemplate(serviceAccountName: string, writableTmp = false): Record<string, unknown> {
  return {
    serviceAccountName,
    securityContext: restrictedPodSecurityContext(),
    ...(writableTmp ? { volumes: [{ name: 'tmp', emptyDir: {} }] } : {}),
    container: {
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      securityContext: restrictedContainerSecurityContext(),
      ...(writableTmp ? { volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] } : {}),
    },
  };
}

/**
 * Automated incident response of seed 5.1, 5.2 and 6.2, on existing engines: KEDA scales, Argo
 * Events receives Alertmanager's webhook and starts Argo Workflows remediations. This construct
 * owns the `incident-response` namespace, the event bus, the webhook EventSource, the rules'
 * PrometheusRule and the NetworkPolicies between them; {@link IncidentResponse.addRule} adds automation rules.
 */
export class IncidentResponse extends Construct {
  readonly namespace: string;
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  readonly alertmanagerNamespace: string;
  readonly receiver: WebhookReceiver;
  /** EventSource name and its event name (what Sensors depend on). */
  readonly eventSourceName = 'alertmanager';
  readonly eventName = 'alerts';
  readonly ruleSet: RuleSet;
  private readonly rules: AutomationRule[] = [];
  private readonly autoscalers = new Map<string, WorkloadAutoscaler>();
  private readonly remediationEgress: NetworkFlow[];

  constructor(scope: Construct, id: string, props: IncidentResponseProps) {
    super(scope, id);
    this.namespace = validateDnsLabel(props.namespace ?? 'incident-response', 'namespace');
    this.prometheusUrl = props.metrics.url;
    this.alertmanagerNamespace = validateDnsLabel(props.alertmanager?.namespace ?? props.metrics.namespace, 'alertmanager.namespace');
    this.alertmanagerUrl = props.alertmanager?.url ?? `http://alertmanager-operated.${this.alertmanagerNamespace}.svc:9093`;
    requireUrlWithoutCredential('alertmanager.url', this.alertmanagerUrl);
    if (!/^https?:\/\/[^\s/]+/.test(this.alertmanagerUrl)) throw invalid('alertmanager.url', this.alertmanagerUrl, 'an http(s) URL');
    const alertmanagerPeer = props.alertmanager ? NetworkPeer.of(props.alertmanager) : NetworkPeer.namespace(this.alertmanagerNamespace);
    const kedaNamespace = validateDnsLabel(props.kedaNamespace ?? 'keda', 'kedaNamespace');
    const bus = props.eventBus ?? {};
    const busVersion = bus.version ?? JETSTREAM.version;
    if (!ARGO_EVENTS_JETSTREAM_VERSIONS.includes(busVersion)) {
      throw invalid('eventBus.version', busVersion, `a JetStream version Argo Events v1.9.10's controller config lists (${ARGO_EVENTS_JETSTREAM_VERSIONS.join(', ')})`);
    }
    const busReplicas = requireInt('eventBus.replicas', bus.replicas ?? 3, 1, 9);
    const receiverName = props.receiverName ?? 'incident-response';
    this.receiver = {
      name: receiverName,
      webhookUrl: `http://${this.eventSourceName}-eventsource-svc.${this.namespace}.svc:${WEBHOOK_PORT}/${this.eventName}`,
    };

    new PlatformNamespace(this, 'Namespace', { name: this.namespace });
    const ns = this.namespace;
    const inNamespace = NetworkPeer.namespace(ns);
    const busPods = NetworkPeer.pods(BUS_LABELS);

    const containerTemplate = { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } }, securityContext: restrictedContainerSecurityContext() };
    new K8sObject(this, 'EventBus', {
      apiVersion: ARGO_API_VERSION,
      kind: 'EventBus',
      metadata: { name: 'default', namespace: ns },
      spec: {
        jetstream: {
          version: busVersion,
          replicas: busReplicas,
          securityContext: restrictedPodSecurityContext(1000),
          containerTemplate,
          reloaderContainerTemplate: containerTemplate,
          metricsContainerTemplate: containerTemplate,
          // Spread the JetStream replicas so one node failure keeps the quorum.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { labelSelector: { matchLabels: BUS_LABELS }, topologyKey: 'kubernetes.io/hostname' },
              }],
            },
          },
        },
      },
    });
    new NetworkAllow(this, 'EventBusPolicy', {
      name: 'eventbus', namespace: ns, podLabels: BUS_LABELS,
      ingress: [{ peers: [inNamespace], ports: [BUS_CLIENT_PORT] }, { peers: [busPods], ports: BUS_PEER_PORTS }],
      egress: [{ peers: [busPods], ports: [BUS_CLIENT_PORT, ...BUS_PEER_PORTS] }],
    });

    // The webhook EventSource needs no Kubernetes API access: its account mounts no token.
    new K8sObject(this, 'EventSourceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'alertmanager-eventsource', namespace: ns }, automountServiceAccountToken: false,
    });
    new K8sObject(this, 'EventSource', {
      apiVersion: ARGO_API_VERSION,
      kind: 'EventSource',
      metadata: { name: this.eventSourceName, namespace: ns },
      spec: {
        template: argoEventsPodTemplate('alertmanager-eventsource'),
        service: { ports: [{ port: WEBHOOK_PORT, targetPort: WEBHOOK_PORT }] },
        webhook: { [this.eventName]: { port: String(WEBHOOK_PORT), endpoint: `/${this.eventName}`, method: 'POST' } },
      },
    });
    new NetworkAllow(this, 'EventSourcePolicy', {
      name: 'alertmanager-eventsource', namespace: ns, podLabels: { 'eventsource-name': this.eventSourceName },
      ingress: [{ peers: [alertmanagerPeer], ports: [WEBHOOK_PORT] }],
      egress: [{ peers: [busPods], ports: [BUS_CLIENT_PORT] }],
    });

    // The platform's Prometheus scrapes the EventSource and the Sensors (send and trigger failures).
    new ArgoEventsMonitoring(this, 'ArgoEventsMonitoring', { namespace: ns, eventSourceName: this.eventSourceName, scraper: props.metrics });

    this.remediationEgress = [
      { peers: [NetworkPeer.of(props.metrics)], ports: [9090] },
      { peers: [alertmanagerPeer], ports: [9093] },
      FLOWS.kubeApiServer(),
    ];
    new NetworkAllow(this, 'RemediationPolicy', {
      name: 'remediation', namespace: ns, podLabels: { ...REMEDIATION_POD_LABELS }, egress: this.remediationEgress,
    });
    props.metrics.allowIngress({ peers: [inNamespace], ports: [9090] });
    props.metrics.allowIngress({ peers: [NetworkPeer.namespace(kedaNamespace)], ports: [9090] });

    this.ruleSet = new RuleSet(this, 'Rules', { name: 'automation-rules', namespace: ns });
    requireArray('rules', props.rules ?? []).forEach((r, i) => {
      const name = requireObject<AutomationRuleSpec>(`rules[${i}]`, r, 'an automation rule').name;
      requireUnique('rules', name, this.rules.map((x) => x.name));
      within(`rules[${i}]`, () => this.addRule(name, r));
    });
  }

  /** Adds an automation rule (condition and actions, seed 5.1 `automation_rules`). */
  addRule(id: string, spec: AutomationRuleSpec): AutomationRule {
    requireUnique('rules', spec.name, this.rules.map((r) => r.name));
    const rule = new AutomationRule(this, id, { ...spec, response: this });
    this.rules.push(rule);
    return rule;
  }

  /** The one KEDA ScaledObject of a workload (created on first use). */
  autoscalerFor(target: WorkloadTarget): WorkloadAutoscaler {
    let a = this.autoscalers.get(target.key);
    if (!a) {
      a = new WorkloadAutoscaler(this, `Autoscaler-${target.kind}-${target.namespace}-${target.name}`, { target, prometheusUrl: this.prometheusUrl });
      this.autoscalers.set(target.key, a);
    }
    return a;
  }

  /** Lets remediation pods reach another destination (for example an application's admin API). */
  allowRemediationEgress(flow: NetworkFlow): void {
    this.remediationEgress.push(flow);
  }

  /** Alert names that must reach {@link IncidentResponse.receiver} (rules with remediation steps). */
  get remediationAlertNames(): string[] {
    return this.rules.filter((r) => r.workflow).map((r) => r.alertName);
  }

  /** Alert names whose rule asks to notify operations (routed by `incident_class` like any alert). */
  get notifyAlertNames(): string[] {
    return this.rules.filter((r) => r.notifies).map((r) => r.alertName);
  }

  /**
   * Routes the Alertmanager routing construct should put in front of its incident-class routes,
   * in this order: alerts of rules that do not notify operations stop at the webhook (the seed's
   * high-latency rule acts without paging anyone; a failed remediation escalates), alerts of
   * rules that notify continue to their incident-class receiver.
   */
  get routes(): RemediationRoute[] {
    const cooldowns = this.rules.filter((r) => r.workflow).map((r) => r.workflow!.cooldown);
    const longest = cooldowns.reduce((a, b) => (b.isLongerThan(a) ? b : a), cooldowns[0]);
    const base = { receiver: this.receiver.name, groupBy: ['alertname', RULE_LABEL], repeatInterval: longest ? longest.toPrometheus() : '15m' };
    const silent = this.rules.filter((r) => !r.notifies).map((r) => r.alertName);
    const notifying = this.rules.filter((r) => r.notifies && r.workflow).map((r) => r.alertName);
    return [
      ...(silent.length ? [{ ...base, alertNames: silent, continue: false }] : []),
      ...(notifying.length ? [{ ...base, alertNames: notifying, continue: true }] : []),
    ];
  }

  get automationRules(): AutomationRule[] { return [...this.rules]; }
}

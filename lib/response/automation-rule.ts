import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateAlertName, validateDnsLabel } from '../core/names.js';
import { promqlOperand } from '../core/promql.js';
import { FLOWS, NetworkAllow, NetworkPeer } from '../core/network.js';
import { RbacGrant } from '../core/rbac.js';
import { IncidentClass, Severity } from '../core/rules.js';
import { Duration } from '../core/units.js';
import { ResponseAction } from './actions.js';
import { Condition, ResolvedCondition } from './condition.js';
import type { IncidentResponse } from './incident-response.js';
import { argoEventsPodTemplate } from './incident-response.js';
import { BackoffOptions, RemediationWorkflow } from './remediation-workflow.js';
import { ARGO_API_VERSION } from './schemas.js';
import { WorkloadTarget } from './target.js';

/** Label every automation alert carries: the rule's name (the Sensor filters on it). */
export const RULE_LABEL = 'automation_rule';

/** An automation rule as users describe it (`IncidentResponse.addRule`). */
export interface AutomationRuleSpec {
  /** DNS label, unique per IncidentResponse, for example `memory-pressure`. */
  readonly name: string;
  /** Deployment or StatefulSet of the chart the actions act on. */
  readonly target: WorkloadTarget;
  readonly condition: Condition;
  readonly actions: ResponseAction[];
  /** @default - target and rule name in PascalCase, for example `ModelServingMemoryPressure` */
  readonly alert?: string;
  /** @default 'critical' */
  readonly severity?: Severity;
  /** Seed 5.1: resource exhaustion and performance issues are `high`. @default 'high' */
  readonly incidentClass?: IncidentClass;
  /** Remediation workflow tuning (seed 6.2). @default 5 */
  readonly parallelism?: number;
  /** @default 3 */
  readonly retries?: number;
  /** @default exponential: 30s, factor 2, at most 10m */
  readonly backoff?: BackoffOptions;
  /** @default '2m' */
  readonly settleTime?: Duration | string;
  /** @default '15m' */
  readonly cooldown?: Duration | string;
  /** @default '30m' */
  readonly timeout?: Duration | string;
}

export interface AutomationRuleProps extends AutomationRuleSpec {
  /** The response stack that owns the event source, the rule set and the autoscalers. */
  readonly response: IncidentResponse;
}

/** One Argo Events data filter (sensor_types.go DataFilter). String values are regular expressions. */
export interface DataFilter {
  readonly path: string;
  readonly type: 'string' | 'number' | 'bool';
  readonly value: string[];
  readonly comparator?: string;
}

/**
 * The Sensor's filters for one rule: a firing notification whose first alert has the rule's
 * alert name and rule label. Alertmanager groups by `alertname` and `automation_rule` on this
 * route (see IncidentResponse.route), so the first alert stands for the whole notification.
 * Values are anchored: Argo Events matches string filters as unanchored regular expressions.
 */
export function sensorDataFilters(alertName: string, rule: string): DataFilter[] {
  const exact = (v: string) => `^${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
  return [
    { path: 'body.status', type: 'string', value: [exact('firing')] },
    { path: 'body.alerts.0.labels.alertname', type: 'string', value: [exact(alertName)] },
    { path: `body.alerts.0.labels.${RULE_LABEL}`, type: 'string', value: [exact(rule)] },
  ];
}

function pascal(...parts: string[]): string {
  return parts.flatMap((p) => p.split(/[^a-zA-Z0-9]+/)).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * One automation rule (seed 5.1 `automation_rules.service_recovery.conditions.*`): an alert on
 * the condition, a KEDA trigger for the scaling actions, and for the other actions a remediation
 * workflow started by a Sensor that matches exactly this rule's firing alert.
 */
export class AutomationRule extends Construct {
  readonly name: string;
  readonly alertName: string;
  readonly target: WorkloadTarget;
  readonly condition: ResolvedCondition;
  /** True when the rule asks to notify operations. */
  readonly notifies: boolean;
  readonly workflow?: RemediationWorkflow;
  readonly sensorName?: string;

  constructor(scope: Construct, id: string, props: AutomationRuleProps) {
    super(scope, id);
    const response = props.response;
    this.name = validateDnsLabel(props.name, 'name');
    this.target = props.target;
    if (!(props.target instanceof WorkloadTarget)) throw invalid('target', props.target, 'a WorkloadTarget (WorkloadTarget.fromWorkload or .deployment)');
    if (!props.actions?.length) throw invalid('actions', props.actions, `at least one action for rule '${this.name}'`);
    this.alertName = validateAlertName(props.alert ?? pascal(props.target.name, this.name), 'alert');
    this.condition = props.condition.resolve(props.target);
    const c = this.condition;

    response.ruleSet.addAlert('automation', {
      alert: this.alertName,
      expr: `${promqlOperand(c.query, true)} > ${c.threshold}`,
      for: c.for,
      severity: props.severity ?? 'critical',
      incidentClass: props.incidentClass ?? 'high',
      labels: { [RULE_LABEL]: this.name, namespace: props.target.namespace },
      summary: `Automation rule ${this.name}: ${c.summary}`,
      description: `Value {{ $value | humanize }} (threshold ${c.threshold}). Actions: ${props.actions.map((a) => a.label).join(', ')}.`,
    });

    const scale = props.actions.filter((a) => a.kind === 'scale');
    if (scale.length) {
      const maxes = scale.map((a) => a.maxReplicas).filter((m): m is number => m !== undefined);
      response.autoscalerFor(props.target).addTrigger(
        { name: this.name, query: c.query, threshold: c.threshold, for: c.for },
        maxes.length ? Math.max(...maxes) : undefined,
      );
    }
    this.notifies = props.actions.some((a) => a.kind === 'notify');

    const steps = props.actions.filter((a) => a.kind === 'remediate').map((a) => a.step!);
    if (steps.length === 0) return;
    const ns = response.namespace;
    this.workflow = new RemediationWorkflow(this, 'Workflow', {
      name: `remediate-${this.name}`,
      namespace: ns,
      target: props.target,
      rule: this.name,
      prometheusUrl: response.prometheusUrl,
      alertmanagerUrl: response.alertmanagerUrl,
      conditionQuery: c.query,
      steps,
      parallelism: props.parallelism,
      retries: props.retries,
      backoff: props.backoff,
      settleTime: props.settleTime,
      cooldown: props.cooldown,
      timeout: props.timeout,
    });

    this.sensorName = this.name;
    const account = `sensor-${this.name}`;
    new K8sObject(this, 'SensorAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace: ns } });
    // The argo CLI in the sensor creates the Workflow, then lists it by the labels it added.
    new RbacGrant(this, 'SensorRbac', {
      name: account, serviceAccount: account, serviceAccountNamespace: ns, namespace: ns,
      rules: [
        { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'get', 'list'] },
        { apiGroups: ['argoproj.io'], resources: ['workflowtemplates'], resourceNames: [this.workflow.name], verbs: ['get'] },
      ],
    });
    new K8sObject(this, 'Sensor', {
      apiVersion: ARGO_API_VERSION,
      kind: 'Sensor',
      metadata: { name: this.sensorName, namespace: ns },
      spec: {
        template: argoEventsPodTemplate(account, true),
        dependencies: [{
          name: 'alert',
          eventSourceName: response.eventSourceName,
          eventName: response.eventName,
          filters: { data: sensorDataFilters(this.alertName, this.name) },
        }],
        triggers: [{
          template: {
            name: 'remediate',
            argoWorkflow: {
              operation: 'submit',
              source: {
                resource: {
                  apiVersion: ARGO_API_VERSION,
                  kind: 'Workflow',
                  // A fixed name is the cooldown: while the last run is kept (ttlStrategy), the
                  // next submission fails with AlreadyExists instead of starting a second run.
                  metadata: { name: this.workflow.name, namespace: ns },
                  spec: {
                    workflowTemplateRef: { name: this.workflow.name },
                    arguments: { parameters: [{ name: 'incident', value: 'unknown' }] },
                  },
                },
              },
              parameters: [{ src: { dependencyName: 'alert', dataKey: 'body.alerts.0.fingerprint' }, dest: 'spec.arguments.parameters.0.value' }],
            },
          },
        }],
      },
    });
    new NetworkAllow(this, 'SensorPolicy', {
      name: `sensor-${this.name}`, namespace: ns, podLabels: { 'sensor-name': this.sensorName },
      egress: [{ peers: [NetworkPeer.pods({ 'eventbus-name': 'default' })], ports: [4222] }, FLOWS.kubeApiServer()],
    });
  }
}

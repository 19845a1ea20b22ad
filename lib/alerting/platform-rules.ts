import { Construct } from 'constructs';
import { invalid, requireInt } from '../core/errors.js';
import { validateDnsLabel, validateK8sLabels } from '../core/names.js';
import { RuleSet } from '../core/rules.js';
import { KSM_POD_LABELS } from '../metrics/kube-state-metrics.js';
import { ARGO_GROUP, argoRules } from './platform-argo-rules.js';
import { GRAFANA_GROUP, GrafanaTarget, grafanaRules } from './platform-grafana-rules.js';
import { ALERTMANAGER_GROUP, alertmanagerRules, OPERATOR_RULES, PROMETHEUS_RULES } from './platform-prometheus-rules.js';
import { KEDA_RULES, ModelServiceSelector, modelServiceRules, SERVICES_RULES } from './platform-services-rules.js';
import { LOKI_RULES, THANOS_RULES } from './platform-storage-rules.js';
import { addFamily, RuleFamily, RuleGroupOptions } from './rule-family.js';

export type { ModelServiceSelector } from './platform-services-rules.js';
export type { GrafanaTarget } from './platform-grafana-rules.js';

/** The Argo controllers of automated response (see `PlatformComponentRules.addArgo`). */
export interface ArgoTarget {
  /** `job` of the Argo Workflows controller scrape (`<namespace>/<PodMonitor name>`). */
  readonly workflowsJob: string;
  /** Namespace whose workflows and Sensors are watched unless the group's `namespaces` says otherwise (the IncidentResponse namespace). */
  readonly namespace: string;
}

export interface PlatformComponentRulesProps {
  readonly namespace: string;
  /** Name of the PrometheusRule. @default 'platform-components' */
  readonly name?: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Labels on every alert. */
  readonly commonLabels?: Record<string, string>;
  /** Prometheus ingestion, rule evaluation, remote write, discovery and limits. @default - on */
  readonly prometheus?: RuleGroupOptions | false;
  /** The Alertmanager cluster (its Service name is `alertmanagerJob`). @default - on when `alertmanagerJob` is set */
  readonly alertmanager?: RuleGroupOptions | false;
  /** `job` of the Alertmanager scrape (the IncidentRouting Service name). @default - no Alertmanager group */
  readonly alertmanagerJob?: string;
  /** prometheus-operator and kube-state-metrics. @default - on */
  readonly operators?: RuleGroupOptions | false;
  /** Thanos compact, receive, store and query. @default - on */
  readonly thanos?: RuleGroupOptions | false;
  /** Loki push path, discards, rings and retention. @default - on */
  readonly loki?: RuleGroupOptions | false;
  /** Grafana's PostgreSQL and the log agent. @default - on */
  readonly services?: RuleGroupOptions | false;
  /** KEDA's ScaledObject errors (automated response). @default - on */
  readonly keda?: RuleGroupOptions | false;
  /** Grafana's database errors and unified-alerting HA peers. @default - on when `addGrafana()` is called */
  readonly grafana?: RuleGroupOptions | false;
  /** Argo Workflows controller, failed workflows, Argo Events sends and triggers. @default - on when `addArgo()` is called */
  readonly argo?: RuleGroupOptions | false;
  /** The model services' "no ready pod" alert. @default - on, one alert per `addModelService()` */
  readonly modelServices?: RuleGroupOptions | false;
}

/** The `job` prometheus-operator gives a PodMonitor's targets: `<namespace>/<name>`. */
function requireMonitorJob(prop: string, job: string, example: string): void {
  const [ns, name, ...rest] = typeof job === 'string' ? job.split('/') : [];
  if (rest.length || !ns || !name) throw invalid(prop, job, `a PodMonitor scrape job <namespace>/<name> like ${example}`);
  validateDnsLabel(ns, prop);
  validateDnsLabel(name, prop);
}

/** Model services per rule set of `ModelServiceNotRunning` alerts (see modelServiceRuleSets). */
const MODEL_SERVICES_PER_RULE_SET = 500;

/**
 * The platform watching its own components beyond SelfMonitoringRules: Prometheus ingestion and
 * remote write, the Alertmanager cluster, prometheus-operator, kube-state-metrics, Thanos, Loki,
 * Grafana's PostgreSQL, Grafana itself and the Argo controllers (`addGrafana`, `addArgo`), the log
 * agent and the model services (read from kube-state-metrics,
 * so a service whose pods are Pending or gone still alerts).
 */
export class PlatformComponentRules extends Construct {
  readonly ruleSet: RuleSet;
  private readonly groupNames = new Map<string, Set<string>>();
  private readonly modelServices: RuleGroupOptions | false | undefined;
  private readonly alertmanager: RuleGroupOptions | false | undefined;
  private readonly modelServiceNames = new Set<string>();
  /**
   * Model-service alerts live in rule sets of their own, MODEL_SERVICES_PER_RULE_SET services
   * each: one alert per service would otherwise outgrow one PrometheusRule (the rule-set bound,
   * and the API server's object size) on a large fleet.
   */
  private readonly modelServiceRuleSets: RuleSet[] = [];
  private readonly props: PlatformComponentRulesProps;

  constructor(scope: Construct, id: string, props: PlatformComponentRulesProps) {
    super(scope, id);
    this.props = props;
    this.ruleSet = new RuleSet(this, 'Resource', {
      name: props.name ?? 'platform-components',
      namespace: props.namespace,
      runbookBaseUrl: props.runbookBaseUrl,
      commonLabels: props.commonLabels,
    });
    this.alertmanager = props.alertmanager;
    const families: Array<[string, RuleFamily, RuleGroupOptions | false | undefined]> = [
      ['prometheus', PROMETHEUS_RULES, props.prometheus],
      ['operators', OPERATOR_RULES, props.operators],
      ['thanos', THANOS_RULES, props.thanos],
      ['loki', LOKI_RULES, props.loki],
      ['services', SERVICES_RULES, props.services],
      ['keda', KEDA_RULES, props.keda],
    ];
    for (const [prop, family, options] of families) this.record(family, addFamily(this.ruleSet, family, options, prop));
    this.modelServices = props.modelServices;
    if (props.alertmanagerJob) this.addAlertmanager(props.alertmanagerJob);
  }

  /** Adds the Alertmanager cluster group for the Alertmanager scraped as `job` (once). */
  addAlertmanager(job: string): this {
    if (this.groupNames.has(ALERTMANAGER_GROUP)) throw invalid('alertmanagerJob', job, 'set once');
    const family = alertmanagerRules(validateDnsLabel(job, 'alertmanagerJob'));
    this.record(family, addFamily(this.ruleSet, family, this.alertmanager, 'alertmanager'));
    return this;
  }

  /** Adds the Grafana group for the Grafana scraped as `target.job` (once). */
  addGrafana(target: GrafanaTarget): this {
    if (this.groupNames.has(GRAFANA_GROUP)) throw invalid('grafana.job', target.job, 'set once');
    requireMonitorJob('grafana.job', target.job, 'monitoring/grafana');
    const family = grafanaRules({ job: target.job, replicas: requireInt('grafana.replicas', target.replicas, 1) });
    this.record(family, addFamily(this.ruleSet, family, this.props.grafana, 'grafana'));
    return this;
  }

  /** Adds the Argo group: the Workflows controller scraped as `target.workflowsJob`, workflows and Sensors of `target.namespace` (once). */
  addArgo(target: ArgoTarget): this {
    if (this.groupNames.has(ARGO_GROUP)) throw invalid('argo.workflowsJob', target.workflowsJob, 'set once');
    requireMonitorJob('argo.workflowsJob', target.workflowsJob, 'argo/argo-workflows-controller');
    const namespace = validateDnsLabel(target.namespace, 'argo.namespace');
    const options = this.props.argo;
    const family = argoRules(target.workflowsJob);
    this.record(family, addFamily(this.ruleSet, family, options === false ? false : { namespaces: [namespace], ...options }, 'argo'));
    return this;
  }

  /** Adds the "no ready pod" alert of one model service, selected by kube-state-metrics' allowlisted pod labels. */
  addModelService(service: ModelServiceSelector): this {
    const prop = `modelServices.${service.name}`;
    validateDnsLabel(service.name, 'modelServices.name');
    validateDnsLabel(service.namespace, `${prop}.namespace`);
    validateK8sLabels(service.podLabels, `${prop}.podLabels`);
    const keys = Object.keys(service.podLabels);
    const unknown = keys.find((k) => !KSM_POD_LABELS.includes(k));
    if (keys.length === 0 || unknown !== undefined) {
      throw invalid(`${prop}.podLabels`, service.podLabels, `at least one label, each among kube-state-metrics' allowlisted pod labels (${KSM_POD_LABELS.join(', ')})`);
    }
    if (this.modelServiceNames.has(service.name)) throw invalid('modelServices.name', service.name, 'unique among the model services');
    this.modelServiceNames.add(service.name);
    const family = modelServiceRules([service]);
    this.record(family, addFamily(this.modelServiceRuleSet(), family, this.modelServices, 'modelServices'));
    return this;
  }

  private modelServiceRuleSet(): RuleSet {
    const index = Math.floor((this.modelServiceNames.size - 1) / MODEL_SERVICES_PER_RULE_SET);
    if (!this.modelServiceRuleSets[index]) {
      const base = `${this.props.name ?? 'platform-components'}-model-services`;
      this.modelServiceRuleSets[index] = new RuleSet(this, `ModelServices${index || ''}`, {
        name: index ? `${base}-${index + 1}` : base,
        namespace: this.props.namespace,
        runbookBaseUrl: this.props.runbookBaseUrl,
        commonLabels: this.props.commonLabels,
      });
    }
    return this.modelServiceRuleSets[index];
  }

  /** The rule groups in Prometheus' rule-file form (for promtool and tests). */
  renderGroups(): Array<Record<string, unknown>> {
    return [this.ruleSet, ...this.modelServiceRuleSets].flatMap((r) => r.renderGroups());
  }

  /** Alert names by group, as added. */
  get groups(): Record<string, string[]> {
    return Object.fromEntries([...this.groupNames].map(([g, names]) => [g, [...names]]));
  }

  private record(family: RuleFamily, names: string[]): void {
    if (names.length === 0) return;
    const set = this.groupNames.get(family.group) ?? new Set<string>();
    names.forEach((n) => set.add(n));
    this.groupNames.set(family.group, set);
  }
}

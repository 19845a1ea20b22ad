import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, requireString, ValidationError } from './errors.js';
import { K8sObject } from './k8s-object.js';
import { validateAlertName, validateDnsLabel, validateDnsSubdomain, validateMetricName, validatePromLabels } from './names.js';
import { validateGoTemplate } from './go-template.js';
import { validatePromQL } from './promql.js';
import { Duration } from './units.js';
import { requireSafeUrl } from './url.js';

/** Alert severity: the threshold level that fired. */
export type Severity = 'warning' | 'critical';
/** Incident class of seed section 5.1; decides the escalation route. */
export type IncidentClass = 'critical' | 'high' | 'medium';

export const SEVERITIES: readonly Severity[] = ['warning', 'critical'];
export const INCIDENT_CLASSES: readonly IncidentClass[] = ['critical', 'high', 'medium'];

/** Where `runbook_url` annotations point unless a construct is given its own base URL. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://runbooks.ai-monitoring.dev/alerts';

export interface AlertRuleSpec {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold. @default - fires on the first evaluation */
  readonly for?: Duration | string;
  /** Keep firing this long after the condition clears (a cooldown); needs Prometheus >= 2.42. @default - none */
  readonly keepFiringFor?: Duration | string;
  readonly severity: Severity;
  readonly incidentClass: IncidentClass;
  readonly summary: string;
  /** May use Go templates such as `{{ $value | humanize }}` and `{{ $labels.model }}`. */
  readonly description: string;
  /** Runbook page under the rule set's base URL. @default - the alert name in kebab-case */
  readonly runbook?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RecordingRuleSpec {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

interface Group {
  readonly name: string;
  readonly interval?: Duration;
  readonly rules: Array<Record<string, unknown>>;
}

export interface RuleSetProps {
  /** Name of the PrometheusRule object. */
  readonly name: string;
  readonly namespace: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Labels added to every alert of the set (for example `team`). @default - none */
  readonly commonLabels?: Record<string, string>;
}

/**
 * Prometheus expands an alert's labels and annotations as Go templates (and `promtool check
 * rules` parses them), so each value is parse-checked at construction; `prefix` + key is the prop.
 */
export function validateAlertTemplates(values: Record<string, string>, prefix: string): void {
  for (const [k, v] of Object.entries(values)) validateGoTemplate(v, `${prefix}${k}`, 'prometheus');
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * A prometheus-operator `PrometheusRule` built from typed alert and recording rules. Every
 * expression is parsed at `add*()` time, every alert carries `severity`, `incident_class`,
 * `summary`, `description` and `runbook_url`, and duplicates are refused. All rule-producing
 * constructs of the library (thresholds, self-monitoring, AI monitors, SLOs...) build on it.
 */
export class RuleSet extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly runbookBaseUrl: string;
  readonly resource: K8sObject;
  private readonly groups = new Map<string, Group>();
  private readonly alertKeys = new Set<string>();
  private readonly recordKeys = new Set<string>();
  private readonly commonLabels: Record<string, string>;
  private readonly checks: Array<() => ValidationError | undefined> = [];

  constructor(scope: Construct, id: string, props: RuleSetProps) {
    super(scope, id);
    this.name = validateDnsSubdomain(props.name, 'name');
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    // Written into every alert's runbook_url: the credential guard applies (lib/core/url.ts).
    requireSafeUrl('runbookBaseUrl', requireString('runbookBaseUrl', props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL), { expected: 'an http(s) URL like https://runbooks.example.com' });
    this.runbookBaseUrl = (props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL).replace(/\/+$/, '');
    this.commonLabels = validatePromLabels(props.commonLabels ?? {}, 'commonLabels');
    validateAlertTemplates({ runbookBaseUrl: this.runbookBaseUrl }, '');
    validateAlertTemplates(this.commonLabels, 'commonLabels.');
    this.resource = new K8sObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: this.name, namespace: this.namespace },
      spec: { groups: Lazy.any({ produce: () => this.renderGroups() }) },
    });
    this.node.addValidation({ validate: () => this.failedChecks().map((e) => e.message) });
  }

  /**
   * Registers a condition that `add*()` mutators may still satisfy after construction, such as
   * "at least one signal". It fails construct validation (`App.synth()`, `Testing.synth()`) and
   * the rendering of the groups (`chart.toJson()`, promtool), so no path emits the broken set.
   */
  addCheck(check: () => ValidationError | undefined): this {
    this.checks.push(check);
    return this;
  }

  /** Upper bound of rules per rule set: one PrometheusRule object must stay well under etcd's object size limit. */
  static readonly MAX_RULES = 2000;

  private requireRoom(): void {
    const n = this.alertKeys.size + this.recordKeys.size;
    if (n >= RuleSet.MAX_RULES) throw invalid('rules', `${n + 1} rules`, `at most ${RuleSet.MAX_RULES} rules in rule set '${this.name}' (split them over several)`);
  }

  /** Declares a group; rules are evaluated together at `interval`. Idempotent for the same interval. */
  addGroup(name: string, interval?: Duration | string): this {
    const existing = this.groups.get(name);
    const iv = interval === undefined ? undefined : Duration.of(interval, `groups.${name}.interval`);
    if (existing) {
      if ((existing.interval?.milliseconds ?? -1) !== (iv?.milliseconds ?? -1)) {
        throw invalid(`groups.${name}.interval`, interval, `the interval the group was declared with (${existing.interval ?? 'default'})`);
      }
      return this;
    }
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(name)) throw invalid('group', name, 'a rule group name of letters, digits, "_", "-", "." or ":"');
    this.groups.set(name, { name, interval: iv, rules: [] });
    return this;
  }

  addAlert(group: string, spec: AlertRuleSpec): this {
    this.requireRoom();
    const prop = `alerts.${spec.alert}`;
    validateAlertName(spec.alert, 'alert');
    validatePromQL(spec.expr, `${prop}.expr`);
    const key = `${spec.alert}/${spec.severity}/${JSON.stringify(spec.labels ?? {})}`;
    if (this.alertKeys.has(key)) {
      throw new ValidationError(`'alert' must be unique per severity in rule set '${this.name}', got duplicate '${spec.alert}' (severity ${spec.severity})`);
    }
    if (!['warning', 'critical'].includes(spec.severity)) throw invalid(`${prop}.severity`, spec.severity, "'warning' or 'critical'");
    if (!['critical', 'high', 'medium'].includes(spec.incidentClass)) {
      throw invalid(`${prop}.incidentClass`, spec.incidentClass, "'critical', 'high' or 'medium'");
    }
    // Every alert is read by a person: an empty summary or description is a bug, not a default.
    for (const k of ['summary', 'description'] as const) {
      if (typeof spec[k] !== 'string' || spec[k].trim() === '') throw invalid(`${prop}.${k}`, spec[k], `a non-empty ${k}`);
    }
    const labels = validatePromLabels({ ...this.commonLabels, ...(spec.labels ?? {}) }, `${prop}.labels`);
    const annotations = validatePromLabels(spec.annotations ?? {}, `${prop}.annotations`);
    const forDuration = spec.for === undefined ? undefined : Duration.of(spec.for, `${prop}.for`);
    const keepFiring = spec.keepFiringFor === undefined ? undefined : Duration.of(spec.keepFiringFor, `${prop}.keepFiringFor`);
    validateAlertTemplates({ summary: spec.summary, description: spec.description, runbook: spec.runbook ?? '' }, `${prop}.`);
    validateAlertTemplates(spec.labels ?? {}, `${prop}.labels.`);
    validateAlertTemplates(annotations, `${prop}.annotations.`);
    this.group(group).rules.push({
      alert: spec.alert,
      expr: spec.expr,
      ...(forDuration && forDuration.milliseconds > 0 ? { for: forDuration.toPrometheus() } : {}),
      ...(keepFiring && keepFiring.milliseconds > 0 ? { keep_firing_for: keepFiring.toPrometheus() } : {}),
      labels: { ...labels, severity: spec.severity, incident_class: spec.incidentClass },
      annotations: {
        summary: spec.summary,
        description: spec.description,
        runbook_url: `${this.runbookBaseUrl}/${spec.runbook ?? kebab(spec.alert)}`,
        ...annotations,
      },
    });
    this.alertKeys.add(key);
    return this;
  }

  addRecord(group: string, spec: RecordingRuleSpec): this {
    this.requireRoom();
    validateMetricName(spec.record, 'record');
    validatePromQL(spec.expr, `records.${spec.record}.expr`);
    const labels = validatePromLabels(spec.labels ?? {}, `records.${spec.record}.labels`);
    const key = `${spec.record}/${JSON.stringify(labels)}`;
    if (this.recordKeys.has(key)) {
      throw new ValidationError(`'record' must be unique in rule set '${this.name}', got duplicate '${spec.record}'`);
    }
    this.group(group).rules.push({ record: spec.record, expr: spec.expr, ...(spec.labels ? { labels } : {}) });
    this.recordKeys.add(key);
    return this;
  }

  /** Alert names in this set (each once, whatever its number of severities). */
  get alertNames(): string[] {
    return [...new Set([...this.alertKeys].map((k) => k.split('/')[0]))];
  }

  /** Names of the recording rules in this set. */
  get recordNames(): string[] {
    return [...new Set([...this.recordKeys].map((k) => k.split('/')[0]))];
  }

  /** The groups as Prometheus' rule file format (`groups:`), for promtool. */
  renderGroups(): Array<Record<string, unknown>> {
    const [failure] = this.failedChecks();
    if (failure) throw failure;
    return [...this.groups.values()]
      .filter((g) => g.rules.length > 0)
      .map((g) => ({ name: g.name, ...(g.interval ? { interval: g.interval.toPrometheus() } : {}), rules: g.rules }));
  }

  private failedChecks(): ValidationError[] {
    return this.checks.map((check) => check()).filter((e): e is ValidationError => e !== undefined);
  }

  private group(name: string): Group {
    if (!this.groups.has(name)) this.addGroup(name);
    return this.groups.get(name)!;
  }
}

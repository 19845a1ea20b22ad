import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { toYaml } from '../core/yaml.js';
import { invalid, requireNumber, ValidationError } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateAlertName, validateDnsSubdomain, validatePromLabels } from '../core/names.js';
import { validateLogQL } from '../core/logql.js';
import { AlertRuleSpec, DEFAULT_RUNBOOK_BASE_URL, INCIDENT_CLASSES, SEVERITIES, validateAlertTemplates } from '../core/rules.js';
import { Duration } from '../core/units.js';
import { POD_JOB } from './agent-pipeline.js';
import { validateRe2, validateStreamSelector } from './pipeline.js';
import { requireSafeUrl } from '../core/url.js';

/**
 * Throws unless `expr` is a LogQL metric query (what the Loki ruler evaluates): parsed with
 * Grafana's LogQL grammar, regexes compiled as RE2, see lib/core/logql.ts.
 */
export function validateLogQLMetricQuery(expr: string, prop = 'expr'): string {
  return validateLogQL(expr, prop, 'metric');
}

export interface LogAlertRulesProps {
  /** Name of the ConfigMap the ruler mounts. */
  readonly name: string;
  readonly namespace: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Labels on every alert (for example `cluster`, `region`). */
  readonly commonLabels?: Record<string, string>;
}

export interface ErrorLogAlertProps {
  /** Streams watched. @default '{job="kubernetes-pods"}' */
  readonly selector?: string;
  /** RE2 pattern of an error line. @default '(?i)\b(error|exception|fatal|panic)\b' */
  readonly pattern?: string;
  /** Error lines per second per app for the warning. @default 1 */
  readonly warningRate?: number;
  /** Error lines per second per app for the critical alert. @default 10 */
  readonly criticalRate?: number;
  /** A spike: the 5m error rate this many times the previous hour's. @default 5 */
  readonly spikeFactor?: number;
}

/**
 * Log alerts evaluated by the Loki ruler (LogQL instead of PromQL), with the same contract as
 * every other alert of the platform: `severity`, `incident_class`, `summary`, `description`
 * and `runbook_url`, so the Alertmanager routes them like metric alerts. Rendered as a
 * ConfigMap holding the ruler's `rules.yaml`.
 */
export class LogAlertRules extends Construct {
  readonly name: string;
  readonly namespace: string;
  private readonly runbookBaseUrl: string;
  private readonly commonLabels: Record<string, string>;
  private readonly groups = new Map<string, Array<Record<string, unknown>>>();
  private readonly keys = new Set<string>();

  constructor(scope: Construct, id: string, props: LogAlertRulesProps) {
    super(scope, id);
    this.name = validateDnsSubdomain(props.name, 'name');
    this.namespace = props.namespace;
    requireSafeUrl('runbookBaseUrl', props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL); // the credential guard (issue 15)
    this.runbookBaseUrl = (props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL).replace(/\/+$/, '');
    this.commonLabels = validatePromLabels(props.commonLabels ?? {}, 'commonLabels');
    // The Loki ruler expands labels and annotations with Prometheus' template engine.
    validateAlertTemplates({ runbookBaseUrl: this.runbookBaseUrl }, '');
    validateAlertTemplates(this.commonLabels, 'commonLabels.');
    new K8sObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace: this.namespace },
      data: Lazy.any({ produce: () => ({ 'rules.yaml': toYaml({ groups: this.renderGroups() }) }) }),
    });
  }

  /** Adds a LogQL alert; `spec.expr` must be a LogQL metric query. */
  addAlert(group: string, spec: AlertRuleSpec): this {
    const prop = `alerts.${spec.alert}`;
    validateAlertName(spec.alert, 'alert');
    validateLogQLMetricQuery(spec.expr, `${prop}.expr`);
    validateAlertTemplates({ summary: spec.summary, description: spec.description, runbook: spec.runbook ?? '' }, `${prop}.`);
    validateAlertTemplates(spec.labels ?? {}, `${prop}.labels.`);
    validateAlertTemplates(spec.annotations ?? {}, `${prop}.annotations.`);
    if (!SEVERITIES.includes(spec.severity)) throw invalid(`${prop}.severity`, spec.severity, "'warning' or 'critical'");
    if (!INCIDENT_CLASSES.includes(spec.incidentClass)) throw invalid(`${prop}.incidentClass`, spec.incidentClass, "'critical', 'high' or 'medium'");
    if (!/^[A-Za-z0-9_.:-]+$/.test(group)) throw invalid('group', group, 'a rule group name of letters, digits, "_", "-", "." or ":"');
    const key = `${spec.alert}/${spec.severity}`;
    if (this.keys.has(key)) throw new ValidationError(`'alert' must be unique per severity in log rules '${this.name}', got duplicate '${spec.alert}' (severity ${spec.severity})`);
    const labels = validatePromLabels({ ...this.commonLabels, ...(spec.labels ?? {}) }, `${prop}.labels`);
    const forDuration = spec.for === undefined ? undefined : Duration.of(spec.for, `${prop}.for`);
    const rules = this.groups.get(group) ?? [];
    rules.push({
      alert: spec.alert,
      expr: spec.expr,
      ...(forDuration && forDuration.milliseconds > 0 ? { for: forDuration.toPrometheus() } : {}),
      labels: { ...labels, severity: spec.severity, incident_class: spec.incidentClass },
      annotations: {
        summary: spec.summary,
        description: spec.description,
        runbook_url: `${this.runbookBaseUrl}/${spec.runbook ?? spec.alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`,
        ...(spec.annotations ?? {}),
      },
    });
    this.groups.set(group, rules);
    this.keys.add(key);
    return this;
  }

  /**
   * Error-log alerts per namespace and app: a sustained error rate (warning, then critical)
   * and a spike against the previous hour's rate.
   */
  addErrorLogAlerts(props: ErrorLogAlertProps = {}): this {
    const selector = validateStreamSelector(props.selector ?? `{job="${POD_JOB}"}`, 'errorLogAlerts.selector');
    const pattern = props.pattern ?? '(?i)\\b(error|exception|fatal|panic)\\b';
    if (pattern.includes('`')) throw invalid('errorLogAlerts.pattern', pattern, 'a pattern without backticks');
    validateRe2(pattern, 'errorLogAlerts.pattern');
    const warning = requireNumber('errorLogAlerts.warningRate', props.warningRate ?? 1, 0);
    const critical = requireNumber('errorLogAlerts.criticalRate', props.criticalRate ?? 10, 0);
    if (critical <= warning) throw invalid('errorLogAlerts.criticalRate', critical, `above the warningRate (${warning})`);
    const factor = requireNumber('errorLogAlerts.spikeFactor', props.spikeFactor ?? 5, 1);
    const errors = (range: string, offset = '') => `sum by (namespace, app) (rate(${selector} |~ \`${pattern}\` [${range}]${offset ? ` offset ${offset}` : ''}))`;
    const common = {
      summary: 'Error logs of {{ $labels.app }} in {{ $labels.namespace }}',
      description: '{{ $labels.app }} in {{ $labels.namespace }} writes {{ $value | humanize }} error lines per second.',
      runbook: 'error-log-rate',
    };
    return this
      .addAlert('log-errors', { alert: 'ErrorLogRateHigh', expr: `${errors('5m')} > ${warning}`, for: '10m', severity: 'warning', incidentClass: 'medium', ...common })
      .addAlert('log-errors', { alert: 'ErrorLogRateHigh', expr: `${errors('5m')} > ${critical}`, for: '5m', severity: 'critical', incidentClass: 'high', ...common })
      .addAlert('log-errors', {
        alert: 'ErrorLogSpike',
        // Against the hour before the window, and only above the warning rate, so quiet apps do not page.
        expr: `(${errors('5m')} > ${factor} * ${errors('1h', '5m')}) and ${errors('5m')} > ${warning}`,
        for: '5m',
        severity: 'warning',
        incidentClass: 'medium',
        summary: 'Error log spike of {{ $labels.app }} in {{ $labels.namespace }}',
        description: `{{ $labels.app }} in {{ $labels.namespace }} writes more than ${factor} times its usual error lines ({{ $value | humanize }}/s).`,
        runbook: 'error-log-spike',
      });
  }

  /** Alert names in this set. */
  get alertNames(): string[] {
    return [...new Set([...this.keys].map((k) => k.split('/')[0]))];
  }

  /** The ruler's rule groups (Prometheus rule-file format with LogQL expressions). */
  renderGroups(): Array<Record<string, unknown>> {
    return [...this.groups.entries()].map(([name, rules]) => ({ name, rules }));
  }
}

import { Construct } from 'constructs';
import { invalid, requireNumber } from '../core/errors.js';
import { validateAlertName, validateMetricName } from '../core/names.js';
import { promqlOperand, validatePromQL } from '../core/promql.js';
import { IncidentClass, RuleSet } from '../core/rules.js';
import { Duration } from '../core/units.js';
import { SeedThresholdOptions, seedThresholdAlerts } from './seed-thresholds.js';

/** Unit of a threshold's measured value: decides how values are humanized in annotations. */
export type ThresholdUnit = 'percent' | 'ratio' | 'seconds' | 'milliseconds' | 'bytes' | 'none';

/** Whether the alert fires when the value rises above or falls below its thresholds. */
export type ThresholdDirection = 'above' | 'below';

/**
 * What a breach of the critical threshold means, per seed section 5.1: `resource` and
 * `performance` breaches are incident class `high`; `outage`, `data-integrity` and `security`
 * breaches are `critical`. Warning breaches are always `medium`.
 */
export type ThresholdCategory = 'resource' | 'performance' | 'outage' | 'data-integrity' | 'security';

/** One two-level threshold alert. */
export interface ThresholdAlert {
  /** Alert name, shared by the warning and the critical rule (CamelCase). */
  readonly name: string;
  /** PromQL giving the measured value, one series per target. */
  readonly query: string;
  /**
   * Records `query` once under this name (`level:metric:operations`), first in the alert's
   * group, and both levels compare the record: the query is evaluated once instead of twice
   * per round, same values, labels and timing (a group's rules run in order at one timestamp).
   * @default - each level evaluates `query` itself
   */
  readonly record?: string;
  readonly warning: number;
  readonly critical: number;
  /** @default 'above' */
  readonly direction?: ThresholdDirection;
  /** How long the breach must hold before the alert fires. */
  readonly for: Duration | string;
  /** @default 'none' */
  readonly unit?: ThresholdUnit;
  /** @default 'resource' */
  readonly category?: ThresholdCategory;
  /** What is measured, for the summary ("CPU usage"). */
  readonly summary: string;
  /** Which target breached, as a Go template over the query's labels. @default '{{ $labels.instance }}' */
  readonly target?: string;
  /** Rule group. @default 'thresholds' */
  readonly group?: string;
  /** Extra labels on both rules. */
  readonly labels?: Record<string, string>;
  /** Extra annotations on both rules. */
  readonly annotations?: Record<string, string>;
  /** Runbook page. @default - the alert name in kebab-case */
  readonly runbook?: string;
}

export interface AlertRulesProps {
  readonly namespace: string;
  /** Name of the PrometheusRule. @default 'threshold-alerts' */
  readonly name?: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Labels on every alert (for example `team`). */
  readonly commonLabels?: Record<string, string>;
  /** Alerts to start with; more with `addThreshold()`. */
  readonly thresholds?: ThresholdAlert[];
}

const TEMPLATE: Record<ThresholdUnit, string> = {
  percent: '{{ printf "%.1f" $value }}%',
  ratio: '{{ $value | humanizePercentage }}',
  seconds: '{{ $value | humanizeDuration }}',
  milliseconds: '{{ printf "%.0f" $value }}ms',
  bytes: '{{ $value | humanize1024 }}B',
  none: '{{ $value | humanize }}',
};

/** A threshold as people read it, in the same unit as the annotation's measured value. */
export function formatThreshold(value: number, unit: ThresholdUnit): string {
  const trim = (n: number) => String(Number(n.toPrecision(6)));
  switch (unit) {
    case 'percent': return `${trim(value)}%`;
    case 'ratio': return `${trim(value * 100)}%`;
    case 'seconds': return value < 1 ? `${trim(value * 1000)}ms` : `${trim(value)}s`;
    case 'milliseconds': return `${trim(value)}ms`;
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
      const k = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log(Math.abs(value) || 1) / Math.log(1024))));
      return `${trim(value / 1024 ** k)}${units[k]}`;
    }
    default: return trim(value);
  }
}

/** Incident class of a threshold level (DESIGN.md public contract, seed 5.1). */
export function incidentClassOf(level: 'warning' | 'critical', category: ThresholdCategory): IncidentClass {
  if (level === 'warning') return 'medium';
  return category === 'resource' || category === 'performance' ? 'high' : 'critical';
}

const UNITS: readonly ThresholdUnit[] = ['percent', 'ratio', 'seconds', 'milliseconds', 'bytes', 'none'];
const CATEGORIES: readonly ThresholdCategory[] = ['resource', 'performance', 'outage', 'data-integrity', 'security'];

/**
 * Typed threshold alerts (seed 1.2): each alert becomes two Prometheus rules under one name,
 * `severity: warning` at the warning level and `severity: critical` at the critical level, each
 * with its `incident_class`. Both fire above the critical level; the incident routing's inhibit
 * rule silences the warning while the critical of the same alert and target fires.
 */
export class AlertRules extends Construct {
  /** The seed's four threshold alerts (section 1.2); see {@link seedThresholdAlerts}. */
  static seedThresholds(options: SeedThresholdOptions = {}): ThresholdAlert[] {
    return seedThresholdAlerts(options);
  }

  readonly ruleSet: RuleSet;
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props: AlertRulesProps) {
    super(scope, id);
    this.ruleSet = new RuleSet(this, 'Resource', {
      name: props.name ?? 'threshold-alerts',
      namespace: props.namespace,
      runbookBaseUrl: props.runbookBaseUrl,
      commonLabels: props.commonLabels,
    });
    (props.thresholds ?? []).forEach((t) => this.addThreshold(t));
  }

  /** Names of the threshold alerts, in the order they were added. */
  get alertNames(): string[] {
    return [...this.names];
  }

  /** Adds one two-level threshold alert; throws on a duplicate name or inconsistent levels. */
  addThreshold(alert: ThresholdAlert): this {
    const name = validateAlertName(alert.name, 'thresholds.name');
    const prop = `thresholds.${name}`;
    if (this.names.has(name)) {
      throw invalid('thresholds.name', name, `unique in rule set '${this.ruleSet.name}' (already has ${name})`);
    }
    validatePromQL(alert.query, `${prop}.query`);
    const direction = alert.direction ?? 'above';
    if (direction !== 'above' && direction !== 'below') throw invalid(`${prop}.direction`, direction, "'above' or 'below'");
    const unit = alert.unit ?? 'none';
    if (!UNITS.includes(unit)) throw invalid(`${prop}.unit`, unit, `one of ${UNITS.join(', ')}`);
    const category = alert.category ?? 'resource';
    if (!CATEGORIES.includes(category)) throw invalid(`${prop}.category`, category, `one of ${CATEGORIES.join(', ')}`);
    const warning = requireNumber(`${prop}.warning`, alert.warning);
    const critical = requireNumber(`${prop}.critical`, alert.critical);
    if (direction === 'above' ? !(warning < critical) : !(warning > critical)) {
      throw invalid(`${prop}.critical`, critical,
        `${direction === 'above' ? 'above' : 'below'} the warning level (${warning}) for direction '${direction}'`);
    }
    const forDuration = Duration.of(alert.for, `${prop}.for`);
    const op = direction === 'above' ? '>' : '<';
    const target = alert.target ?? '{{ $labels.instance }}';
    const group = alert.group ?? 'thresholds';
    const record = alert.record === undefined ? undefined : validateMetricName(alert.record, `${prop}.record`);
    if (record) this.ruleSet.addRecord(group, { record, expr: alert.query });
    const measured = record ?? promqlOperand(alert.query);
    for (const [level, threshold] of [['warning', warning], ['critical', critical]] as const) {
      this.ruleSet.addAlert(group, {
        alert: name,
        expr: `${measured} ${op} ${threshold}`,
        for: forDuration,
        severity: level,
        incidentClass: incidentClassOf(level, category),
        summary: `${alert.summary} ${direction} ${level} threshold on ${target}`,
        description: `${alert.summary} on ${target} is ${TEMPLATE[unit]}, ${direction} the ${level} threshold of ${formatThreshold(threshold, unit)} for ${forDuration}.`,
        runbook: alert.runbook,
        labels: alert.labels,
        annotations: alert.annotations,
      });
    }
    this.names.add(name);
    return this;
  }

  /** The rule groups in Prometheus' rule-file form (for promtool and tests). */
  renderGroups(): Array<Record<string, unknown>> {
    return this.ruleSet.renderGroups();
  }
}

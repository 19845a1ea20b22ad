import { Construct } from 'constructs';
import { invalid, requireArray } from '../core/errors.js';
import { validateDnsLabel, validatePromLabels } from '../core/names.js';
import { IncidentClass, RuleSet } from '../core/rules.js';
import { Duration } from '../core/units.js';
import { parseOpenSlo } from './openslo.js';
import { SloIndicator } from './slo-indicator.js';
import { BurnRateSeverity, BurnRateWindow, BurnRateWindowSpec, round } from './slo-windows.js';
import { parseSloth } from './sloth.js';

/** An SLO without the deployment details: what the Sloth and OpenSLO readers produce. */
export interface SloDefinition {
  /** Name of the SLO, the `slo` label of its series and alerts. */
  readonly name: string;
  /** The `service` label. @default - none */
  readonly service?: string;
  /** Target percentage of good events, in (0, 100): 99.99 for "four nines". */
  readonly objective: number;
  /** Rolling period the objective holds over. @default '30d' */
  readonly period?: Duration | string;
  readonly indicator: SloIndicator;
  /** Burn-rate conditions. @default - `BurnRateWindow.defaults(period)` */
  readonly windows?: BurnRateWindowSpec[];
  /** Severities to alert on. @default ['page', 'ticket'] */
  readonly alertOn?: BurnRateSeverity[];
  /** Extra alert labels (for example `team`). @default - none */
  readonly labels?: Record<string, string>;
  /** One sentence on what the SLO protects, used in alert descriptions. @default - generated */
  readonly description?: string;
}

export interface SloProps extends SloDefinition {
  /** Namespace of the PrometheusRule. */
  readonly namespace: string;
  /**
   * Minimum traffic, in events per second over an alert's long window, before it may alert.
   * Guards against paging on one failed request of an almost idle service.
   * @default 1/60 (one event a minute)
   */
  readonly minimumEventRate?: number;
  /** @default 'critical' for availability and ratio SLOs (an outage), 'high' for latency (performance) */
  readonly pageIncidentClass?: IncidentClass;
  /** @default 'medium' */
  readonly ticketIncidentClass?: IncidentClass;
  /** Evaluation interval of the error-budget group, which reads the whole period. @default '5m' */
  readonly budgetInterval?: Duration | string;
  /** @default - RuleSet's default */
  readonly runbookBaseUrl?: string;
}

/** Deployment options of SLOs read from a Sloth or OpenSLO file. */
export type SloOptions = Omit<SloProps, keyof SloDefinition>;

/** Name of every SLO burn-rate alert; `slo` and `severity` labels tell them apart. */
export const SLO_ALERT = 'SLOErrorBudgetBurn';

/**
 * Names of the recording rules every {@link Slo} writes, each labelled `slo` (and `service` when
 * set): the contract that dashboards (`DashboardSet`) and users' queries read.
 */
export const SLO_RECORDS = {
  /** Bad events per second over `window` (the shortest window only). */
  errorRate: (window: string) => `slo:sli_errors:rate${window}`,
  /** All events per second over `window`. */
  totalRate: (window: string) => `slo:sli_total:rate${window}`,
  /** Error ratio over `window`: every alert window and the period, e.g. `slo:sli_error:ratio_rate1h`. */
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  /** The objective as a ratio (0.999). */
  objective: 'slo:objective:ratio',
  /** The error budget as a ratio: 1 - objective. */
  errorBudget: 'slo:error_budget:ratio',
  /** The SLO period in seconds. */
  period: 'slo:period:seconds',
  /** Error budget left over the period: 1 untouched, 0 spent, negative overspent. */
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
  /** Error ratio over the shortest window in multiples of the budget. */
  currentBurnRate: 'slo:current_burn_rate:ratio',
} as const;

/**
 * A service level objective as Prometheus rules (seed 4.1 `performance_analytics.slos`):
 * SLI recording rules per window, error-budget rules (remaining budget over the period, current
 * burn rate) and multi-window multi-burn-rate alerts named `SLOErrorBudgetBurn`, following the
 * Google SRE workbook. Every longer window is derived from the shortest window's recorded
 * rates (`sum_over_time` of rates, traffic-weighted), so no rule reads raw samples over days.
 */
export class Slo extends Construct {
  /** One `Slo` per SLO of a Sloth `prometheus/v1` spec (ids `<id>-<slo name>`). */
  static fromSloth(scope: Construct, id: string, yamlText: string, options: SloOptions): Slo[] {
    return parseSloth(yamlText).map((d) => new Slo(scope, `${id}-${d.name}`, { ...options, ...d }));
  }

  /** One `Slo` per `kind: SLO` document of OpenSLO `openslo/v1` YAML. */
  static fromOpenSlo(scope: Construct, id: string, yamlText: string, options: SloOptions): Slo[] {
    return parseOpenSlo(yamlText).map((d) => new Slo(scope, `${id}-${d.name}`, { ...options, ...d }));
  }

  readonly name: string;
  readonly objective: number;
  /** The error budget as a ratio: 1 - objective. */
  readonly errorBudget: number;
  readonly period: Duration;
  readonly indicator: SloIndicator;
  readonly windows: BurnRateWindow[];
  readonly minimumEventRate: number;
  readonly rules: RuleSet;
  private readonly selector: string;

  constructor(scope: Construct, id: string, props: SloProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name, 'name');
    if (typeof props.objective !== 'number' || !(props.objective > 0 && props.objective < 100)) {
      throw invalid('objective', props.objective, 'a percentage between 0 and 100, exclusive (for example 99.9)');
    }
    this.objective = props.objective;
    this.errorBudget = round(1 - props.objective / 100);
    this.period = Duration.of(props.period ?? '30d', 'period');
    if (this.period.isShorterThan(Duration.hours(1))) throw invalid('period', props.period, 'a duration of at least 1h');
    if (!(props.indicator instanceof SloIndicator)) throw invalid('indicator', props.indicator, 'an SloIndicator');
    this.indicator = props.indicator;
    if (props.windows !== undefined && requireArray('windows', props.windows, 'a non-empty list of burn-rate windows').length === 0) {
      throw invalid('windows', props.windows, 'a non-empty list of burn-rate windows (omit it for the defaults)');
    }
    this.windows = props.windows
      ? props.windows.map((w, i) => new BurnRateWindow(w, this.period, `windows[${i}]`))
      : BurnRateWindow.defaults(this.period);
    this.minimumEventRate = props.minimumEventRate ?? 1 / 60;
    if (!(this.minimumEventRate >= 0) || !Number.isFinite(this.minimumEventRate)) {
      throw invalid('minimumEventRate', props.minimumEventRate, 'a number of events per second >= 0');
    }
    const labels = { slo: this.name, ...(props.service ? { service: props.service } : {}) };
    validatePromLabels(props.labels ?? {}, 'labels');
    this.selector = `{slo="${this.name}"${props.service ? `,service="${props.service}"` : ''}}`;

    this.rules = new RuleSet(this, 'Resource', {
      name: `slo-${this.name}`,
      namespace: props.namespace,
      runbookBaseUrl: props.runbookBaseUrl,
    });
    this.addSliRules(labels);
    this.addBudgetRules(labels, Duration.of(props.budgetInterval ?? '5m', 'budgetInterval'));
    const alertOn = props.alertOn ?? ['page', 'ticket'];
    const pageClass = props.pageIncidentClass ?? (this.indicator.kind === 'latency' ? 'high' : 'critical');
    for (const severity of alertOn) {
      if (severity !== 'page' && severity !== 'ticket') throw invalid('alertOn', severity, "'page' or 'ticket'");
      this.addBurnAlert(severity, severity === 'page' ? pageClass : props.ticketIncidentClass ?? 'medium', props);
    }
  }

  /** Shortest window of all conditions: the only one read from raw series. */
  get baseWindow(): Duration {
    return this.windows.flatMap((w) => [w.shortWindow, w.longWindow]).reduce((a, b) => (b.isShorterThan(a) ? b : a));
  }

  /** The recorded error ratio over `window`, e.g. `slo:sli_error:ratio_rate1h{slo="x"}`. */
  errorRatio(window: Duration): string {
    return `${SLO_RECORDS.errorRatio(window.toPrometheus())}${this.selector}`;
  }

  private addSliRules(labels: Record<string, string>): void {
    const group = `slo-${this.name}-sli`;
    const base = this.baseWindow.toPrometheus();
    const errors = `${SLO_RECORDS.errorRate(base)}${this.selector}`;
    const total = `${SLO_RECORDS.totalRate(base)}${this.selector}`;
    this.rules.addRecord(group, { record: SLO_RECORDS.errorRate(base), expr: this.indicator.errorQuery(this.baseWindow), labels });
    this.rules.addRecord(group, { record: SLO_RECORDS.totalRate(base), expr: this.indicator.totalQuery(this.baseWindow), labels });
    this.rules.addRecord(group, { record: SLO_RECORDS.errorRatio(base), expr: `${errors} / ${total}`, labels });
    const windows = new Map<string, Duration>();
    this.windows.forEach((w) => [w.shortWindow, w.longWindow].forEach((d) => windows.set(d.toPrometheus(), d)));
    windows.delete(base);
    const longs = new Set(this.windows.map((w) => w.longWindow.toPrometheus()));
    for (const w of [...windows.keys()].sort((a, b) => windows.get(a)!.compare(windows.get(b)!))) {
      this.rules.addRecord(group, {
        record: SLO_RECORDS.errorRatio(w),
        expr: `sum_over_time(${errors}[${w}]) / sum_over_time(${total}[${w}])`,
        labels,
      });
      if (longs.has(w)) {
        this.rules.addRecord(group, { record: SLO_RECORDS.totalRate(w), expr: `avg_over_time(${total}[${w}])`, labels });
      }
    }
  }

  private addBudgetRules(labels: Record<string, string>, interval: Duration): void {
    const group = `slo-${this.name}-budget`;
    const base = this.baseWindow.toPrometheus();
    const p = this.period.toPrometheus();
    const errors = `${SLO_RECORDS.errorRate(base)}${this.selector}`;
    const total = `${SLO_RECORDS.totalRate(base)}${this.selector}`;
    this.rules.addGroup(group, interval);
    this.rules.addRecord(group, { record: SLO_RECORDS.objective, expr: `vector(${round(this.objective / 100)})`, labels });
    this.rules.addRecord(group, { record: SLO_RECORDS.errorBudget, expr: `vector(${this.errorBudget})`, labels });
    this.rules.addRecord(group, { record: SLO_RECORDS.period, expr: `vector(${this.period.seconds})`, labels });
    // A short period may already be an alert window (the 1h latency SLO's ticket window).
    if (!this.windows.some((w) => w.longWindow.equals(this.period) || w.shortWindow.equals(this.period))) {
      this.rules.addRecord(group, {
        record: SLO_RECORDS.errorRatio(p),
        expr: `sum_over_time(${errors}[${p}]) / sum_over_time(${total}[${p}])`,
        labels,
      });
    }
    this.rules.addRecord(group, {
      record: SLO_RECORDS.budgetRemaining,
      expr: `1 - ${SLO_RECORDS.errorRatio(p)}${this.selector} / ${this.errorBudget}`,
      labels,
    });
    this.rules.addRecord(group, {
      record: SLO_RECORDS.currentBurnRate,
      expr: `${SLO_RECORDS.errorRatio(base)}${this.selector} / ${this.errorBudget}`,
      labels,
    });
  }

  private addBurnAlert(severity: BurnRateSeverity, incidentClass: IncidentClass, props: SloProps): void {
    const windows = this.windows.filter((w) => w.severity === severity);
    if (windows.length === 0) return;
    // Strictly above the threshold: an error rate exactly at the budget is the objective being met.
    const conditions = windows.map((w) => {
      const threshold = round(w.factor * this.errorBudget);
      return `(${this.errorRatio(w.longWindow)} > ${threshold} and ${this.errorRatio(w.shortWindow)} > ${threshold}`
        + ` and ${SLO_RECORDS.totalRate(w.longWindow.toPrometheus())}${this.selector} >= ${round(this.minimumEventRate)})`;
    });
    const what = props.description ?? `${this.objective}% of ${this.indicator.kind === 'latency' ? `requests faster than ${this.indicator.threshold}` : 'requests succeed'} over ${this.period}`;
    const burns = windows.map((w) => `${w.factor}x over ${w.longWindow}/${w.shortWindow}`).join(' or ');
    this.rules.addAlert(`slo-${this.name}-alerts`, {
      alert: SLO_ALERT,
      expr: conditions.join('\nor\n'),
      severity: severity === 'page' ? 'critical' : 'warning',
      incidentClass,
      summary: `SLO ${this.name} is burning its error budget ${severity === 'page' ? 'fast' : 'steadily'}`,
      description: `SLO ${this.name} (${what}) burns its error budget at ${burns} the sustainable rate; error ratio {{ $value | humanizePercentage }}.`,
      runbook: 'slo-error-budget-burn',
      labels: { ...(props.labels ?? {}), slo: this.name, ...(props.service ? { service: props.service } : {}) },
    });
  }
}

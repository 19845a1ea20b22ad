import { Construct } from 'constructs';
import { invalid, requireArray, requireNumber, requireUnique } from '../core/errors.js';
import { validateAlertName } from '../core/names.js';
import { validatePromQL } from '../core/promql.js';
import { IncidentClass, RuleSet, Severity } from '../core/rules.js';
import { Duration } from '../core/units.js';

/** How many standard deviations from the baseline count as an anomaly. */
export class AnomalySensitivity {
  /** 4 sigma: only the rare outlier (about 1 in 16,000 samples of a normal distribution). */
  static readonly LOW = new AnomalySensitivity('low', 4);
  /** 3 sigma, the seed's threshold (4.2) and its `sensitivity: medium` (6.1). */
  static readonly MEDIUM = new AnomalySensitivity('medium', 3);
  /** 2 sigma: catches subtle shifts, with about 1 sample in 22 flagged on noise. */
  static readonly HIGH = new AnomalySensitivity('high', 2);

  /** A custom threshold in standard deviations, above 0. */
  static sigma(n: number, prop = 'sensitivity'): AnomalySensitivity {
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw invalid(prop, n, 'a number of standard deviations above 0');
    return new AnomalySensitivity(`${n}-sigma`, n);
  }

  /** `low`, `medium` or `high` as written in the seed. */
  static of(name: string): AnomalySensitivity {
    const preset = [AnomalySensitivity.LOW, AnomalySensitivity.MEDIUM, AnomalySensitivity.HIGH].find((s) => s.name === name);
    if (!preset) throw invalid('sensitivity', name, "'low', 'medium' or 'high'");
    return preset;
  }

  private constructor(readonly name: string, readonly sigma: number) {}
}

/** One series family to watch. */
export interface AnomalySignal {
  /** Name in the recording rules: `anomaly:<name>:zscore`. Lowercase letters, digits and `_`. */
  readonly name: string;
  /** Instant-vector PromQL; a rate should use a window of at least the rule interval, e.g. `sum by (model) (rate(model_requests_total[5m]))`. */
  readonly expr: string;
  /** Which deviations alert. @default 'both' */
  readonly direction?: 'up' | 'down' | 'both';
  /** What the signal is, for the alert description. @default - the name */
  readonly description?: string;
}

export interface AnomalyDetectionProps {
  /** Name of the PrometheusRule (and prefix of its groups). */
  readonly name: string;
  readonly namespace: string;
  /** @default - none; add with `addSignal` */
  readonly signals?: AnomalySignal[];
  /** History the mean and standard deviation are computed over. @default '30d' (seed 4.2; 6.1 uses 7d) */
  readonly trainingWindow?: Duration | string;
  /** @default AnomalySensitivity.MEDIUM (3 sigma) */
  readonly sensitivity?: AnomalySensitivity;
  /** Threshold in standard deviations; overrides `sensitivity`. @default - the sensitivity's */
  readonly threshold?: number;
  /** The alert keeps firing this long after the signal returns to normal (`keep_firing_for`). @default '15m' */
  readonly cooldown?: Duration | string;
  /**
   * Interval of the rule group. The signal is recorded at this interval and the baseline is
   * computed from that recording: 30d of a 5m recording is 8,640 samples per series, where
   * 30d of raw 15s samples would be 172,800 per evaluation.
   * @default '5m'
   */
  readonly interval?: Duration | string;
  /**
   * `weekly` compares each value with the same hour one week earlier instead of the training
   * mean (deviation still measured by the training window's standard deviation).
   * @default 'none'
   */
  readonly seasonality?: 'none' | 'weekly';
  /** Standard deviations at or below this are treated as no variation: no z-score, no alert. @default 0 */
  readonly minimumStddev?: number;
  /** @default 'AnomalyDetected' */
  readonly alertName?: string;
  /** @default 'warning' */
  readonly severity?: Severity;
  /** @default 'medium' */
  readonly incidentClass?: IncidentClass;
  /** @default - RuleSet's default */
  readonly runbookBaseUrl?: string;
}

/**
 * Statistical anomaly detection with z-scores (seed 4.2 `anomaly_detection`, 6.1 `anomalies`):
 * each signal is recorded at `interval`, its mean and standard deviation over the training
 * window are recorded from that recording, and `anomaly:<name>:zscore` = (value - mean) / stddev
 * exists only where the standard deviation is above `minimumStddev` (a flat series has no
 * z-score, so it can never divide by zero or alert). The alert fires beyond the threshold and
 * stays firing for the cooldown.
 */
export class AnomalyDetection extends Construct {
  readonly trainingWindow: Duration;
  readonly threshold: number;
  readonly cooldown: Duration;
  readonly interval: Duration;
  readonly seasonality: 'none' | 'weekly';
  readonly minimumStddev: number;
  readonly rules: RuleSet;
  private readonly props: AnomalyDetectionProps;
  private readonly group: string;
  private readonly signalNames: string[] = [];

  constructor(scope: Construct, id: string, props: AnomalyDetectionProps) {
    super(scope, id);
    this.props = props;
    this.trainingWindow = Duration.of(props.trainingWindow ?? '30d', 'trainingWindow');
    this.interval = Duration.of(props.interval ?? '5m', 'interval');
    if (this.interval.milliseconds === 0) throw invalid('interval', props.interval, 'a duration above 0s');
    if (this.trainingWindow.milliseconds < this.interval.milliseconds * 10) {
      throw invalid('trainingWindow', this.trainingWindow.toPrometheus(), `at least 10 intervals (${this.interval.times(10)}) for a meaningful standard deviation`);
    }
    this.threshold = props.threshold !== undefined
      ? AnomalySensitivity.sigma(props.threshold, 'threshold').sigma
      : (props.sensitivity ?? AnomalySensitivity.MEDIUM).sigma;
    this.cooldown = Duration.of(props.cooldown ?? '15m', 'cooldown');
    this.seasonality = props.seasonality ?? 'none';
    if (this.seasonality !== 'none' && this.seasonality !== 'weekly') throw invalid('seasonality', props.seasonality, "'none' or 'weekly'");
    if (this.seasonality === 'weekly' && this.trainingWindow.isShorterThan(Duration.days(7))) {
      throw invalid('trainingWindow', this.trainingWindow.toPrometheus(), 'at least 7d with weekly seasonality');
    }
    this.minimumStddev = requireNumber('minimumStddev', props.minimumStddev ?? 0, 0);
    validateAlertName(props.alertName ?? 'AnomalyDetected', 'alertName');
    this.rules = new RuleSet(this, 'Resource', { name: props.name, namespace: props.namespace, runbookBaseUrl: props.runbookBaseUrl });
    this.group = `${props.name}-anomaly`;
    this.rules.addGroup(this.group, this.interval);
    requireArray('signals', props.signals ?? [], 'a list of signals { name, expr }').forEach((s) => this.addSignal(s));
    // Signals may still come from addSignal, so "none" is refused at synthesis, not here.
    this.rules.addCheck(() => (this.signalNames.length === 0 ? invalid('signals', [], 'at least one signal') : undefined));
  }

  /** Names of the signals watched. */
  get signals(): string[] {
    return [...this.signalNames];
  }

  /** Watches one more signal: its value, baseline, z-score and alert. */
  addSignal(signal: AnomalySignal): this {
    if (typeof signal.name !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(signal.name)) {
      throw invalid('signals.name', signal.name, 'a lowercase name of letters, digits and "_", like inference_latency');
    }
    requireUnique('signals.name', signal.name, this.signalNames);
    validatePromQL(signal.expr, `signals.${signal.name}.expr`);
    const direction = signal.direction ?? 'both';
    if (!['up', 'down', 'both'].includes(direction)) throw invalid(`signals.${signal.name}.direction`, direction, "'up', 'down' or 'both'");
    const n = `anomaly:${signal.name}`;
    const w = this.trainingWindow.toPrometheus();
    // `detector` keeps two detections of the same signal (4.2 and 6.1) from writing the same series.
    const labels = { signal: signal.name, detector: this.props.name };
    const sel = `{detector="${this.props.name}"}`;
    const add = (record: string, expr: string) => this.rules.addRecord(this.group, { record, expr, labels });
    add(`${n}:value`, signal.expr);
    add(`${n}:avg_over_time${w}`, `avg_over_time(${n}:value${sel}[${w}])`);
    add(`${n}:stddev_over_time${w}`, `stddev_over_time(${n}:value${sel}[${w}])`);
    let mean = `${n}:avg_over_time${w}${sel}`;
    if (this.seasonality === 'weekly') {
      // The hour around the same time one week earlier.
      add(`${n}:avg_last_week`, `avg_over_time(${n}:value${sel}[1h] offset 6d23h30m)`);
      mean = `${n}:avg_last_week${sel}`;
    }
    add(`${n}:zscore`, `(${n}:value${sel} - ${mean}) / (${n}:stddev_over_time${w}${sel} > ${this.minimumStddev})`);
    const z = `${n}:zscore${sel}`;
    const cond = direction === 'up' ? `${z} > ${this.threshold}`
      : direction === 'down' ? `${z} < -${this.threshold}`
        : `abs(${z}) > ${this.threshold}`;
    this.rules.addAlert(`${this.group}-alerts`, {
      alert: this.props.alertName ?? 'AnomalyDetected',
      expr: cond,
      keepFiringFor: this.cooldown,
      severity: this.props.severity ?? 'warning',
      incidentClass: this.props.incidentClass ?? 'medium',
      summary: `Anomaly in ${signal.description ?? signal.name}`,
      description: `${signal.description ?? signal.name} is {{ $value | printf "%.1f" }} standard deviations from its ${this.seasonality === 'weekly' ? 'value a week ago' : `${w} mean`} (threshold ${this.threshold}).`,
      runbook: 'anomaly-detected',
      labels,
    });
    this.signalNames.push(signal.name);
    return this;
  }
}

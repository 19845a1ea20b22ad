import { invalid, requireNumber } from '../core/errors.js';
import { Duration } from '../core/units.js';

/** `page` wakes someone up (severity critical); `ticket` is handled in working hours (severity warning). */
export type BurnRateSeverity = 'page' | 'ticket';

/** One multi-window burn-rate condition, as in the Google SRE workbook (chapter 5, "Alerting on SLOs"). */
export interface BurnRateWindowSpec {
  readonly severity: BurnRateSeverity;
  /** The window that measures how much budget burned. */
  readonly longWindow: Duration | string;
  /** The confirmation window: the burn is still happening now, so the alert resets quickly. */
  readonly shortWindow: Duration | string;
  /** Fraction of the whole period's error budget that may burn within the long window before alerting, in (0, 1]. */
  readonly budgetConsumed: number;
}

/** The workbook's windows for a 30d period: 2% in 1h and 5% in 6h page; 10% in 1d and 10% in 3d open a ticket. */
export const WORKBOOK_WINDOWS: readonly BurnRateWindowSpec[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetConsumed: 0.02 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetConsumed: 0.05 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', budgetConsumed: 0.1 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetConsumed: 0.1 },
];

/** Shortest window a rate can be measured over: four samples at the seed's 15s scrape interval. */
export const MIN_SLO_WINDOW = Duration.minutes(1);

/**
 * A burn-rate condition resolved against an SLO period. The burn-rate factor follows from the
 * budget fraction: burning `budgetConsumed` of a `period` budget within `longWindow` means an
 * error rate of `budgetConsumed * period / longWindow` times the budget (14.4 for 2% of 30d in 1h).
 */
export class BurnRateWindow {
  /**
   * Default windows for a period. From 3d up the workbook's fixed windows apply, their factors
   * derived for the period (14.4/6/3/1 for 30d; 13.44/5.6/2.8/0.93 for 28d). Shorter periods
   * cannot hold a 3d window, so they scale with the period: page when half the budget burns
   * within period/12 (factor 6, confirmed over period/60), ticket when the whole period's
   * budget has burned (factor 1, confirmed over period/12). A 1h period gives 5m/1m and 1h/5m.
   */
  static defaults(period: Duration): BurnRateWindow[] {
    const specs = period.milliseconds >= Duration.days(3).milliseconds
      ? WORKBOOK_WINDOWS
      : BurnRateWindow.shortPeriodSpecs(period);
    return specs.map((s, i) => new BurnRateWindow(s, period, `windows[${i}]`));
  }

  /** The short-period profile (see `defaults`), windows rounded to whole seconds and at least one minute. */
  static shortPeriodSpecs(period: Duration): BurnRateWindowSpec[] {
    const at = (fraction: number) => Duration.seconds(Math.max(MIN_SLO_WINDOW.seconds, Math.round(period.seconds * fraction)));
    return [
      { severity: 'page', longWindow: at(1 / 12), shortWindow: at(1 / 60), budgetConsumed: 0.5 },
      { severity: 'ticket', longWindow: period, shortWindow: at(1 / 12), budgetConsumed: 1 },
    ];
  }

  readonly severity: BurnRateSeverity;
  readonly longWindow: Duration;
  readonly shortWindow: Duration;
  readonly budgetConsumed: number;
  /** Error rate, in multiples of the error budget, at which the condition holds. */
  readonly factor: number;

  constructor(spec: BurnRateWindowSpec, period: Duration, prop = 'windows') {
    if (spec.severity !== 'page' && spec.severity !== 'ticket') throw invalid(`${prop}.severity`, spec.severity, "'page' or 'ticket'");
    this.severity = spec.severity;
    this.longWindow = Duration.of(spec.longWindow, `${prop}.longWindow`);
    this.shortWindow = Duration.of(spec.shortWindow, `${prop}.shortWindow`);
    if (this.shortWindow.isShorterThan(MIN_SLO_WINDOW)) {
      throw invalid(`${prop}.shortWindow`, this.shortWindow.toPrometheus(), `at least ${MIN_SLO_WINDOW} (a rate needs several scrapes)`);
    }
    if (!this.shortWindow.isShorterThan(this.longWindow)) {
      throw invalid(`${prop}.shortWindow`, this.shortWindow.toPrometheus(), `shorter than the long window (${this.longWindow})`);
    }
    if (this.longWindow.isLongerThan(period)) {
      throw invalid('period', period.toPrometheus(), `at least the longest alert window (${this.longWindow})`);
    }
    this.budgetConsumed = requireNumber(`${prop}.budgetConsumed`, spec.budgetConsumed, Number.MIN_VALUE, 1);
    this.factor = round(this.budgetConsumed * period.ratio(this.longWindow));
  }
}

/** Rounds away binary noise (0.02 * 720 = 14.399999999999999) so thresholds read as written. */
export function round(n: number): number {
  return Number(n.toPrecision(12));
}

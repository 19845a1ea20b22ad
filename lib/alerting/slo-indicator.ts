import { invalid, ValidationError } from '../core/errors.js';
import { validateMetricName, validatePromLabelName } from '../core/names.js';
import { validatePromQL } from '../core/promql.js';
import { Duration } from '../core/units.js';

/** The placeholder Sloth uses for the rate window in its queries; accepted here too. */
const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;
const HAS_WINDOW = /\{\{\s*\.window\s*\}\}/;

export type SloKind = 'availability' | 'latency' | 'ratio';

export interface EventQueries {
  /** Bad events per second over `{{.window}}`, e.g. `sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))`. */
  readonly errors: string;
  /** All events per second over `{{.window}}`. */
  readonly total: string;
}

export interface AvailabilityIndicatorProps {
  /** Counter of all requests, e.g. `model_requests_total`. */
  readonly requests: string;
  /** Counter of failed requests, e.g. `model_request_errors_total`. */
  readonly errors: string;
  /** Label matchers applied to both counters, e.g. `model="llm"`. @default - none */
  readonly selector?: string;
  /** Labels to keep: one SLI (and alert) per value, e.g. `['model']`. @default - one SLI for the whole service */
  readonly groupBy?: string[];
}

export interface LatencyIndicatorProps {
  /** Histogram base name (without `_bucket`), e.g. `model_inference_latency_seconds`. */
  readonly histogram: string;
  /** Requests faster than this are good. Must be one of the histogram's bucket bounds. */
  readonly threshold: Duration | string;
  /** @default - none */
  readonly selector?: string;
  /** @default - one SLI for the whole service */
  readonly groupBy?: string[];
}

/**
 * What an SLO measures: good and bad events per second over a window. Availability and
 * latency build the queries from counters and histogram buckets; `ratio` takes raw queries
 * with Sloth's `{{.window}}` placeholder (also how the Sloth and OpenSLO readers pass theirs).
 */
export class SloIndicator {
  /** Failed requests over all requests, from two counters. */
  static availability(props: AvailabilityIndicatorProps): SloIndicator {
    validateMetricName(props.requests, 'indicator.requests');
    validateMetricName(props.errors, 'indicator.errors');
    const sel = matchers(props.selector);
    const by = groupBy(props.groupBy);
    return new SloIndicator('availability', {
      errors: `sum${by}(rate(${props.errors}${sel}[{{.window}}]))`,
      total: `sum${by}(rate(${props.requests}${sel}[{{.window}}]))`,
    }, props.groupBy ?? []);
  }

  /**
   * Requests slower than `threshold` over all requests, from a histogram: good events are the
   * `le` bucket at the threshold. A p95 target of 100ms is the objective "95% of requests
   * complete within 100ms", i.e. objective 95 with threshold 100ms.
   */
  static latency(props: LatencyIndicatorProps): SloIndicator {
    validateMetricName(props.histogram, 'indicator.histogram');
    if (props.threshold === undefined || props.threshold === null || props.threshold === '') {
      throw invalid('indicator.threshold', props.threshold, 'a latency like 100ms (a latency objective needs a threshold)');
    }
    const threshold = Duration.of(props.threshold, 'indicator.threshold');
    if (threshold.milliseconds === 0) throw invalid('indicator.threshold', props.threshold, 'a latency above 0s');
    const sel = props.selector ? `${props.selector},` : '';
    const by = groupBy(props.groupBy);
    const good = `sum${by}(rate(${props.histogram}_bucket{${sel}le=~"${leRegex(threshold)}"}[{{.window}}]))`;
    const total = `sum${by}(rate(${props.histogram}_count${matchers(props.selector)}[{{.window}}]))`;
    return new SloIndicator('latency', { errors: `(${total} - ${good})`, total }, props.groupBy ?? [], threshold);
  }

  /** Raw queries with the `{{.window}}` placeholder. */
  static ratio(queries: EventQueries): SloIndicator {
    for (const key of ['errors', 'total'] as const) {
      if (typeof queries[key] !== 'string' || !HAS_WINDOW.test(queries[key])) {
        throw invalid(`indicator.${key}`, queries[key], 'a PromQL query with a {{.window}} placeholder for the rate window');
      }
    }
    return new SloIndicator('ratio', queries, []);
  }

  private constructor(
    readonly kind: SloKind,
    private readonly queries: EventQueries,
    readonly groupBy: string[],
    /** The latency threshold (latency indicators only). */
    readonly threshold?: Duration,
  ) {
    // Fails at construction on a bad query, with the window filled in.
    validatePromQL(this.errorQuery(Duration.minutes(5)), 'indicator.errors');
    validatePromQL(this.totalQuery(Duration.minutes(5)), 'indicator.total');
  }

  /** Bad events per second over `window`. */
  errorQuery(window: Duration): string {
    return this.queries.errors.replace(WINDOW_PLACEHOLDER, window.toPrometheus());
  }

  /** All events per second over `window`. */
  totalQuery(window: Duration): string {
    return this.queries.total.replace(WINDOW_PLACEHOLDER, window.toPrometheus());
  }
}

function matchers(selector?: string): string {
  if (selector === undefined || selector === '') return '';
  if (/[{}]/.test(selector)) throw new ValidationError(`'indicator.selector' must be label matchers without braces, like model="llm", got '${selector}'`);
  return `{${selector}}`;
}

function groupBy(labels?: string[]): string {
  if (!labels || labels.length === 0) return '';
  labels.forEach((l, i) => validatePromLabelName(l, `indicator.groupBy[${i}]`));
  return ` by (${labels.join(', ')})`;
}

/**
 * The `le` value of a bucket bound in seconds. Prometheus 3 writes whole-number bounds as `1.0`
 * where older exporters wrote `1`, so whole seconds match both spellings.
 */
function leRegex(threshold: Duration): string {
  const seconds = threshold.milliseconds / 1000;
  return Number.isInteger(seconds) ? `${seconds}(\\\\.0)?` : String(seconds).replace('.', '\\\\.');
}

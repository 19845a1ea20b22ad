import { invalid, requireNumber } from '../core/errors.js';
import { validateDnsLabel } from '../core/names.js';
import { RuleSet, Severity } from '../core/rules.js';
import { Duration } from '../core/units.js';
import { incidentClassOf, ThresholdCategory } from './alert-rules.js';

/**
 * Options of one rule group (a family of related alerts), the same shape for every group of
 * `KubernetesRules` and `PlatformComponentRules`.
 */
export interface RuleGroupOptions {
  /** @default true */
  readonly enabled?: boolean;
  /**
   * Namespaces watched by the group's namespaced alerts (pods, workloads, volumes, quotas).
   * Ignored by cluster-scoped alerts (nodes, persistent volumes, the API server).
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /** Namespaces left out (for example a sandbox). @default - none */
  readonly excludeNamespaces?: string[];
  /** Threshold overrides by key (each group documents its keys and defaults in the README). @default - the group's defaults */
  readonly thresholds?: Record<string, number>;
  /** `for` overrides by alert name (both levels of a two-level alert). @default - the alert's own */
  readonly for?: Record<string, Duration | string>;
  /** Alert names of the group to leave out. @default - none */
  readonly disable?: string[];
}

/** What an alert's expression may read: resolved thresholds and the namespace matchers. */
export interface FamilyContext {
  /** Threshold by key, defaults merged with overrides. */
  readonly t: Record<string, number>;
  /**
   * `metric{matchers}` with the group's namespace matchers appended (namespaced metrics only).
   * `m('kube_pod_info', 'node!=""')` -> `kube_pod_info{node!="",namespace=~"a|b"}`.
   */
  readonly m: (metric: string, matchers?: string) => string;
}

/**
 * A recording rule that alerts of a family compare (both levels of a two-level alert), so its
 * query runs once per evaluation instead of once per level. Added first in the group, once,
 * when an alert naming it is enabled; the group's rules run in order at one timestamp, so the
 * alerts read the same values as the query. One rule set per Prometheus may record a name.
 */
export interface FamilyRecord {
  /** `level:metric:operations`. */
  readonly record: string;
  readonly expr: (c: FamilyContext) => string;
}

/** One alert of a family; two entries with the same name and different severities make two levels. */
export interface FamilyAlert {
  readonly alert: string;
  readonly severity: Severity;
  /** What a critical breach means (seed 5.1); warnings are always `medium`. @default 'resource' */
  readonly category?: ThresholdCategory;
  readonly for: string;
  readonly expr: (c: FamilyContext) => string;
  readonly summary: string;
  readonly description: string;
  /** Static labels that tell several instances of one alert apart. @default - none */
  readonly labels?: Record<string, string>;
  /** The record `expr` reads by name. @default - none */
  readonly record?: FamilyRecord;
}

/** A rule group: its name, threshold defaults and alerts. */
export interface RuleFamily {
  readonly group: string;
  readonly thresholds: Record<string, number>;
  readonly alerts: FamilyAlert[];
}

const regexAlternation = (names: string[]) => names.join('|');

/**
 * Adds a family's alerts to a rule set after applying the group's options; every override key
 * is checked against the family so a typo fails at construction, naming its prop path.
 */
export function addFamily(rules: RuleSet, family: RuleFamily, options: RuleGroupOptions | false | undefined, prop: string): string[] {
  if (options === false || options?.enabled === false) return [];
  const o = options ?? {};
  const names = new Set(family.alerts.map((a) => a.alert));
  for (const key of Object.keys(o.thresholds ?? {})) {
    if (!(key in family.thresholds)) throw invalid(`${prop}.thresholds.${key}`, key, `one of ${Object.keys(family.thresholds).join(', ')}`);
    requireNumber(`${prop}.thresholds.${key}`, o.thresholds![key], 0);
  }
  for (const key of [...Object.keys(o.for ?? {}), ...(o.disable ?? [])]) {
    if (!names.has(key)) throw invalid(`${prop}.${key in (o.for ?? {}) ? `for.${key}` : 'disable'}`, key, `an alert of group ${family.group}: ${[...names].join(', ')}`);
  }
  const include = (o.namespaces ?? []).map((n, i) => validateDnsLabel(n, `${prop}.namespaces[${i}]`));
  const exclude = (o.excludeNamespaces ?? []).map((n, i) => validateDnsLabel(n, `${prop}.excludeNamespaces[${i}]`));
  const nsMatchers = [
    ...(include.length ? [`namespace=~"${regexAlternation(include)}"`] : []),
    ...(exclude.length ? [`namespace!~"${regexAlternation(exclude)}"`] : []),
  ];
  const ctx: FamilyContext = {
    t: { ...family.thresholds, ...(o.thresholds ?? {}) },
    m: (metric, matchers) => {
      const all = [...(matchers ? [matchers] : []), ...nsMatchers];
      return all.length ? `${metric}{${all.join(',')}}` : metric;
    },
  };
  const added = new Set<string>();
  const recorded = new Set<string>();
  for (const a of family.alerts) {
    if ((o.disable ?? []).includes(a.alert)) continue;
    const forOverride = o.for?.[a.alert];
    if (a.record && !recorded.has(a.record.record)) {
      rules.addRecord(family.group, { record: a.record.record, expr: a.record.expr(ctx) });
      recorded.add(a.record.record);
    }
    rules.addAlert(family.group, {
      alert: a.alert,
      expr: a.expr(ctx),
      for: forOverride === undefined ? a.for : Duration.of(forOverride, `${prop}.for.${a.alert}`),
      severity: a.severity,
      incidentClass: incidentClassOf(a.severity, a.category ?? 'resource'),
      summary: a.summary,
      description: a.description,
      labels: a.labels,
    });
    added.add(a.alert);
  }
  return [...added];
}

/** `max by (labels) (expr)`: one series per object, whatever scraped it (HA pairs, several exporters). */
export const maxBy = (labels: string, expr: string) => `max by (${labels}) (${expr})`;

/** What {@link capacityAlerts} needs to know of one kind of capacity (a volume's space, a filesystem's inodes...). */
export interface CapacitySpec {
  /** Name of the two flat levels (warning and critical). */
  readonly full: string;
  /** Name of the trend alert. */
  readonly forecast: string;
  /** Template naming the object, for summaries. */
  readonly target: string;
  /** What runs out ("space", "inodes"). */
  readonly what: string;
  /** "nearly" or "almost", as the alert names say. */
  readonly nearly: string;
  /** The labels that name the object (`max by` and the forecast's `on`). */
  readonly by: string;
  /** Threshold key prefix: `<key>WarningPercent`, `<key>CriticalPercent`. */
  readonly key: string;
  readonly for: { readonly warning: string; readonly critical: string };
  /** Percent used, aggregated by `by`. */
  readonly usedPercent: (c: FamilyContext) => string;
  /** The free gauge the forecast extrapolates. */
  readonly free: (c: FamilyContext) => string;
}

/**
 * Two flat "nearly full" levels plus a forecast (the object still has room but will not within
 * `forecastHours` at the rate of the last `forecastLookbackHours`, looked at from
 * `forecastFromPercent` on). Shared by volumes and node filesystems, whose thresholds use the
 * same keys.
 */
export function capacityAlerts(spec: CapacitySpec): FamilyAlert[] {
  const level = (severity: 'warning' | 'critical'): FamilyAlert => ({
    alert: spec.full, severity, for: spec.for[severity],
    expr: (c) => `${spec.usedPercent(c)} > ${c.t[`${spec.key}${severity === 'warning' ? 'Warning' : 'Critical'}Percent`]}`,
    summary: `${spec.target} is ${spec.nearly} out of ${spec.what}`,
    description: `${spec.target} has used {{ printf "%.1f" $value }}% of its ${spec.what}.`,
  });
  return [
    level('warning'),
    level('critical'),
    {
      alert: spec.forecast, severity: 'warning', for: '1h',
      expr: (c) => `(${spec.usedPercent(c)} > ${c.t.forecastFromPercent}) and on (${spec.by}) (${maxBy(spec.by, `predict_linear(${spec.free(c)}[${c.t.forecastLookbackHours}h], ${c.t.forecastHours * 3600})`)} < 0)`,
      summary: `${spec.target} will run out of ${spec.what}`,
      description: `${spec.target} (now {{ printf "%.1f" $value }}% used) will run out of ${spec.what} within the forecast window at the rate of the last hours.`,
    },
  ];
}

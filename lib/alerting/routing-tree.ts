import { invalid, ValidationError } from '../core/errors.js';
import { validatePromLabelName } from '../core/names.js';
import { validateRe2 } from '../core/regex.js';
import { IncidentClass, INCIDENT_CLASSES } from '../core/rules.js';
import { Duration } from '../core/units.js';
import type { Receiver } from './receivers.js';

/** Routing of one incident class (seed 5.1). */
export interface IncidentClassRoute {
  /** Time within which someone must respond. */
  readonly responseTime: Duration | string;
  /** Receiver that gets the class's alerts (the escalation tier). */
  readonly receiver: string;
  /** @default - responseTime / 10 */
  readonly groupWait?: Duration | string;
  /** @default - responseTime / 5 */
  readonly groupInterval?: Duration | string;
  /** @default - responseTime x 12 */
  readonly repeatInterval?: Duration | string;
}

/** A class's route with its timings resolved. */
/**
 * The incident-class routing both {@link IncidentRouting} (its own Alertmanager) and
 * {@link ExistingAlertmanager} (an AlertmanagerConfig merged into yours) configure.
 */
export interface IncidentClassRoutingProps {
  /** Receivers; every incident class, the default and the Watchdog route must name one. */
  readonly receivers: Receiver[];
  /** Incident classes. @default SEED_INCIDENT_CLASSES (5m immediate, 15m tier-2, 30m tier-1) */
  readonly classes?: Partial<Record<IncidentClass, IncidentClassRoute>>;
  /** Receiver of alerts no class matches. @default - the `medium` class receiver */
  readonly defaultReceiver?: string;
  /** How often the Watchdog is re-sent to the dead man's switch. @default '1m' */
  readonly watchdogInterval?: Duration | string;
  /** @default ['alertname', 'region', 'cluster', 'namespace'] */
  readonly groupBy?: string[];
  /** Labels a critical alert and its warning must share for the critical to mute the warning. @default INHIBIT_EQUAL_LABELS */
  readonly inhibitEqual?: string[];
}

export interface ResolvedClassRoute {
  readonly incidentClass: IncidentClass;
  readonly responseTime: Duration;
  readonly receiver: string;
  readonly groupWait: Duration;
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
}

/** The seed's classes: response time 5m / 15m / 30m, escalation immediate / tier-2 / tier-1. */
export const SEED_INCIDENT_CLASSES: Readonly<Record<IncidentClass, IncidentClassRoute>> = {
  critical: { responseTime: '5m', receiver: 'immediate' },
  high: { responseTime: '15m', receiver: 'tier-2' },
  medium: { responseTime: '30m', receiver: 'tier-1' },
};

/**
 * Timings derived from a response time, so that a class with a shorter response time is
 * notified sooner and reminded more often:
 * - group_wait = response time / 10: the first notification leaves within a tenth of the
 *   response window (30s for 5m) while alerts firing together still arrive as one message;
 * - group_interval = response time / 5: new alerts joining an open incident are sent within a
 *   fifth of the window;
 * - repeat_interval = response time x 12: an unresolved incident is re-sent every twelve
 *   response windows (1h for 5m, 3h for 15m, 6h for 30m), often enough to resurface an
 *   unacknowledged page and rare enough not to train people to ignore it.
 */
export function resolveClassRoute(cls: IncidentClass, spec: IncidentClassRoute | undefined): ResolvedClassRoute {
  const prop = `classes.${cls}`;
  if (!spec || typeof spec.receiver !== 'string' || spec.receiver === '') {
    throw invalid(`${prop}.receiver`, spec?.receiver, `the name of the receiver for incident class '${cls}'`);
  }
  const responseTime = Duration.of(spec.responseTime, `${prop}.responseTime`);
  if (responseTime.milliseconds < 10_000) throw invalid(`${prop}.responseTime`, spec.responseTime, 'a duration of at least 10s');
  const round = (d: Duration) => Duration.seconds(Math.max(1, Math.round(d.seconds)));
  const groupWait = spec.groupWait !== undefined ? alertmanagerInterval(spec.groupWait, `${prop}.groupWait`, true) : round(responseTime.times(0.1));
  const groupInterval = spec.groupInterval !== undefined ? alertmanagerInterval(spec.groupInterval, `${prop}.groupInterval`, false) : round(responseTime.times(0.2));
  const repeatInterval = spec.repeatInterval !== undefined ? alertmanagerInterval(spec.repeatInterval, `${prop}.repeatInterval`, false) : responseTime.times(12);
  if (repeatInterval.isShorterThan(groupInterval)) {
    throw invalid(`${prop}.repeatInterval`, repeatInterval.toPrometheus(), `at least the groupInterval (${groupInterval})`);
  }
  return { incidentClass: cls, responseTime, receiver: spec.receiver, groupWait, groupInterval, repeatInterval };
}

export function resolveClassRoutes(classes: Partial<Record<IncidentClass, IncidentClassRoute>>): ResolvedClassRoute[] {
  return INCIDENT_CLASSES.map((cls) => resolveClassRoute(cls, classes[cls]));
}

/** Matchers of a route: label equality, or Alertmanager matcher strings like `severity=~"warning|critical"`. */
export type RouteMatchers = Record<string, string> | string[];

/** A route added in front of the incident-class routes (for example automated remediation). */
export interface RouteSpec {
  readonly matchers: RouteMatchers;
  readonly receiver: string;
  /** Keep matching the following routes, so the incident classes still notify people. @default false */
  readonly continue?: boolean;
  readonly groupBy?: string[];
  readonly groupWait?: Duration | string;
  readonly groupInterval?: Duration | string;
  readonly repeatInterval?: Duration | string;
}

const MATCHER_RE = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"$/;

/** Renders matchers to Alertmanager's `matchers:` strings; throws on a malformed one. */
export function renderMatchers(matchers: RouteMatchers, prop = 'matchers'): string[] {
  if (Array.isArray(matchers)) {
    if (matchers.length === 0) throw invalid(prop, matchers, 'at least one matcher');
    return matchers.map((m, i) => {
      const parsed = typeof m === 'string' ? MATCHER_RE.exec(m.trim()) : null;
      if (!parsed) throw invalid(`${prop}[${i}]`, m, 'a matcher like severity="critical" or model=~"llm-.*"');
      validatePromLabelName(parsed[1], `${prop}[${i}]`);
      // Alertmanager compiles =~ and !~ matchers as RE2 (amtool refuses an invalid one).
      if (parsed[2].includes('~')) validateRe2(parsed[3].replace(/\\(.)/g, '$1'), `${prop}[${i}]`, { allowEmpty: true });
      return `${parsed[1]}${parsed[2]}"${parsed[3]}"`;
    });
  }
  const entries = Object.entries(matchers ?? {});
  if (entries.length === 0) throw invalid(prop, matchers, 'at least one matcher');
  return entries.map(([k, v]) => {
    validatePromLabelName(k, `${prop}.${k}`);
    if (typeof v !== 'string') throw invalid(`${prop}.${k}`, v, 'a string');
    return `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
}

/**
 * An Alertmanager route interval. `group_wait` may be 0s (send at once); Alertmanager refuses a
 * zero `group_interval` or `repeat_interval` ("cannot be zero", amtool 0.28.1).
 */
export function alertmanagerInterval(value: Duration | string, prop: string, allowZero: boolean): Duration {
  const d = Duration.of(value, prop);
  if (!allowZero && d.milliseconds === 0) throw invalid(prop, d.toPrometheus(), 'a duration above 0s (Alertmanager refuses a zero interval)');
  return d;
}

/**
 * Checks a `group_by` list as Alertmanager does: label names, each once, or `['...']` alone
 * (group by every label); amtool refuses duplicates and `...` mixed with labels.
 */
export function validateGroupBy(labels: unknown, prop: string): string[] {
  if (!Array.isArray(labels)) throw invalid(prop, labels, "a list of label names like ['alertname', 'namespace'], or ['...']");
  labels.forEach((l, i) => {
    if (l === '...') {
      if (labels.length > 1) throw invalid(`${prop}[${i}]`, l, "alone: '...' (every label) cannot be combined with label names");
    } else validatePromLabelName(l as string, `${prop}[${i}]`);
    if (labels.indexOf(l) !== i) throw invalid(`${prop}[${i}]`, l, 'listed once (Alertmanager refuses duplicated group_by labels)');
  });
  return [...labels] as string[];
}

/** Throws unless `value` is a boolean (or undefined); YAML would carry `'yes'` or `1` to a config Alertmanager refuses. */
export function optionalBoolean(value: unknown, prop: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw invalid(prop, value, 'true or false');
  return value as boolean | undefined;
}

/** Renders one route of the tree. */
export function renderRoute(spec: RouteSpec, prop: string): Record<string, unknown> {
  const d = (v: Duration | string | undefined, key: string, name: string, allowZero: boolean) =>
    (v === undefined ? {} : { [key]: alertmanagerInterval(v, `${prop}.${name}`, allowZero).toPrometheus() });
  const groupBy = spec.groupBy === undefined ? undefined : validateGroupBy(spec.groupBy, `${prop}.groupBy`);
  const cont = optionalBoolean(spec.continue, `${prop}.continue`);
  return {
    receiver: spec.receiver,
    matchers: renderMatchers(spec.matchers, `${prop}.matchers`),
    ...(groupBy ? { group_by: groupBy } : {}),
    ...d(spec.groupWait, 'group_wait', 'groupWait', true),
    ...d(spec.groupInterval, 'group_interval', 'groupInterval', false),
    ...d(spec.repeatInterval, 'repeat_interval', 'repeatInterval', false),
    ...(cont ? { continue: true } : {}),
  };
}

/** Throws unless `receiver` is one of `known`. */
export function requireReceiver(prop: string, receiver: string, known: Iterable<string>): void {
  const names = [...known];
  if (!names.includes(receiver)) {
    throw new ValidationError(`'${prop}' must name a declared receiver (${names.join(', ') || 'none declared'}), got '${receiver}'`);
  }
}

/** A matcher as prometheus-operator's `AlertmanagerConfig` writes it. */
export interface CrdMatcher {
  readonly name: string;
  readonly value: string;
  readonly matchType: '=' | '!=' | '=~' | '!~';
}

/** Renders matchers (checked by {@link renderMatchers}) as `AlertmanagerConfig` matchers, values unescaped. */
export function renderCrdMatchers(matchers: RouteMatchers, prop = 'matchers'): CrdMatcher[] {
  return renderMatchers(matchers, prop).map((m) => {
    const [, name, matchType, value] = MATCHER_RE.exec(m)!;
    return { name, matchType: matchType as CrdMatcher['matchType'], value: value.replace(/\\(.)/g, '$1') };
  });
}

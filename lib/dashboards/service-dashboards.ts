import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { SLO_RECORDS } from '../alerting/slo.js';
import { WORKBOOK_WINDOWS } from '../alerting/slo-windows.js';
import { invalid, requireNumber } from '../core/errors.js';
import { validateMetricName } from '../core/names.js';
import { Duration } from '../core/units.js';
import {
  BY_REGION, datasourceVariable, graph, labelVariable, levels, LOKI, logLines, lokiQuery, lokiVariable, newDashboard,
  promQuery as q, regionVariable, row, single, tabular, timeline,
} from './panels.js';

const RATE = '[$__rate_interval]';

/** Seed 3.2 "Alert Overview": active alerts, alert history and alert trends. */
export function alertOverviewDashboard(): dashboard.DashboardBuilder {
  const firing = `ALERTS{alertstate="firing", ${BY_REGION}}`;
  return newDashboard('ai-alert-overview', 'Alert Overview', 'Active alerts, their history and trends, and Alertmanager notifications (seed 1.2, 3.2 and 5.1).')
    .withVariable(datasourceVariable())
    .withVariable(regionVariable())
    .withPanel(single('Firing alerts', q(`count(${firing}) or vector(0)`), { thresholds: levels(1, 5) }))
    .withPanel(single('Critical alerts', q(`count(ALERTS{alertstate="firing", severity="critical", ${BY_REGION}}) or vector(0)`), { thresholds: levels(1, 1) }))
    .withPanel(single('Warning alerts', q(`count(ALERTS{alertstate="firing", severity="warning", ${BY_REGION}}) or vector(0)`), { thresholds: levels(1, 10) }))
    .withPanel(single('Pending alerts', q(`count(ALERTS{alertstate="pending", ${BY_REGION}}) or vector(0)`)))
    .withRow(row('Active alerts'))
    .withPanel(tabular('Active alerts', q(
      `max by (alertname, severity, incident_class, namespace, model) (${firing})`, undefined, 'table',
    ), { description: 'Every firing alert with its seed 5.1 incident class.' }))
    .withRow(row('Alert history'))
    .withPanel(timeline('Alert history', q(`max by (alertname, severity) (${firing})`, '{{alertname}} ({{severity}})'), {
      description: 'When each alert fired over the selected time range.',
    }))
    .withRow(row('Alert trends'))
    .withPanel(graph('Firing alerts by severity', [q(`count by (severity) (${firing})`, '{{severity}}')], { unit: 'short' }))
    .withPanel(graph('Firing alerts by incident class', [q(`count by (incident_class) (${firing})`, '{{incident_class}}')], { unit: 'short' }))
    .withPanel(graph('Notifications sent', [
      q(`sum by (integration) (rate(alertmanager_notifications_total{${BY_REGION}}${RATE}))`, '{{integration}}'),
    ], { unit: 'ops' }))
    .withPanel(graph('Failed notifications', [
      q(`sum by (integration) (rate(alertmanager_notifications_failed_total{${BY_REGION}}${RATE}))`, '{{integration}}'),
    ], { unit: 'ops', thresholds: levels(0.001, 0.01) }));
}

export interface SloDashboardOptions {
  /** Windows of the `slo:sli_error:ratio_rate<window>` recording rules. */
  readonly windows: string[];
  /** Objective per `slo` label value (0.999 = 99.9%): burn rates against these instead of a recorded budget. */
  readonly objectives: Record<string, number>;
  /** Recording rule of the remaining error budget. @default SLO_BUDGET_REMAINING_METRIC */
  readonly budgetRemainingMetric?: string;
  /** Recording rule of each SLO's error budget (1 - objective). @default SLO_ERROR_BUDGET_METRIC, unless `objectives` are given */
  readonly errorBudgetMetric?: string;
}

// The SLO construct (lib/alerting/slo.ts) is the source of truth for these names.
/** SLO error ratio recorded over `window`, per `slo` label. */
export const sloErrorRatioMetric = SLO_RECORDS.errorRatio;
/** Remaining error budget over the SLO period (1 = untouched, 0 = spent) per `slo` label. */
export const SLO_BUDGET_REMAINING_METRIC = SLO_RECORDS.budgetRemaining;
/** Error budget (1 - objective) per `slo` label: the denominator of the burn rates. */
export const SLO_ERROR_BUDGET_METRIC = SLO_RECORDS.errorBudget;
/** The alert windows of the SLO construct's default (SRE workbook) conditions, shortest first. */
export const DEFAULT_SLO_WINDOWS: readonly string[] = [...new Map(WORKBOOK_WINDOWS
  .flatMap((w) => [w.shortWindow, w.longWindow]).map((d) => Duration.of(d, 'window'))
  .sort((a, b) => a.compare(b)).map((d) => [d.toPrometheus(), d] as const)).keys()];

/**
 * A vector of each SLO's error budget (1 - objective) labelled `slo`, built in PromQL so the
 * burn rate needs no recorded objective: `label_replace(vector(0.001), "slo", "x", "", "") or ...`.
 */
function budgetVector(objectives: Record<string, number>): string {
  return Object.entries(objectives)
    .map(([slo, objective]) => `label_replace(vector(${+(1 - objective).toPrecision(12)}), "slo", "${slo}", "", "")`)
    .join(' or ');
}

/** SLO overview: error budget remaining, error ratios per window and burn rates. */
export function sloOverviewDashboard(o: SloDashboardOptions): dashboard.DashboardBuilder {
  if (o.windows.length === 0) throw invalid('sloWindows', o.windows, 'at least one window like 1h');
  o.windows.forEach((w) => {
    // A [0s] range is a PromQL syntax error in every panel that reads the window.
    if (Duration.parse(w, 'sloWindows').milliseconds === 0) throw invalid('sloWindows', w, 'windows above 0s, like 1h');
  });
  for (const [slo, objective] of Object.entries(o.objectives)) {
    if (!/^[A-Za-z0-9_.:-]+$/.test(slo)) throw invalid('sloObjectives', slo, 'an slo label value of letters, digits, "_", ".", ":" or "-"');
    requireNumber(`sloObjectives.${slo}`, objective, 0, 1);
    if (objective === 0 || objective === 1) throw invalid(`sloObjectives.${slo}`, objective, 'a ratio strictly between 0 and 1, like 0.999');
  }
  const remaining = validateMetricName(o.budgetRemainingMetric ?? SLO_BUDGET_REMAINING_METRIC, 'sloMetrics.budgetRemaining');
  if (o.errorBudgetMetric !== undefined) validateMetricName(o.errorBudgetMetric, 'sloMetrics.errorBudget');
  const withObjectives = Object.keys(o.objectives).length > 0;
  if (o.errorBudgetMetric !== undefined && withObjectives) {
    throw invalid('sloObjectives', o.objectives, 'omitted when sloMetrics.errorBudget is recorded (one source of objectives)');
  }
  const recordedBudget = withObjectives ? undefined : o.errorBudgetMetric ?? SLO_ERROR_BUDGET_METRIC;
  const bySlo = 'slo=~"$slo"';
  const d = newDashboard('ai-slo-overview', 'SLO Overview', `Error budgets and burn rates. Reads the recording rules ${remaining} and ${sloErrorRatioMetric('<window>')}, labelled slo.`)
    .withVariable(datasourceVariable())
    .withVariable(regionVariable())
    .withVariable(labelVariable('slo', 'SLO', `label_values(${remaining}, slo)`))
    .withPanel(single('Error budget remaining', q(`min by (slo) (${remaining}{${bySlo}, ${BY_REGION}})`, '{{slo}}'), {
      unit: 'percentunit', span: 24,
      thresholds: new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'red' }, { value: 0.25, color: 'orange' }, { value: 0.5, color: 'green' },
      ]),
    }))
    .withPanel(graph('Error budget remaining over time', [
      q(`min by (slo) (${remaining}{${bySlo}, ${BY_REGION}})`, '{{slo}}'),
    ], { unit: 'percentunit', span: 24 }))
    .withRow(row('Error ratio by window'))
    .withPanel(graph('SLI error ratio', o.windows.map((w) => q(`max by (slo) (${sloErrorRatioMetric(w)}{${bySlo}, ${BY_REGION}})`, `{{slo}} ${w}`)), {
      unit: 'percentunit', span: 24,
    }));
  const budget = recordedBudget ? `max by (slo) (${recordedBudget}{${bySlo}, ${BY_REGION}})` : `(${budgetVector(o.objectives)})`;
  return d.withRow(row('Burn rates'))
    .withPanel(graph('Burn rate', o.windows.map((w) => q(
      `max by (slo) (${sloErrorRatioMetric(w)}{${bySlo}, ${BY_REGION}}) / on (slo) ${budget}`, `{{slo}} ${w}`,
    )), { unit: 'short', span: 24, thresholds: levels(6, 14.4), description: 'Error ratio / error budget: 1 spends the budget exactly over the SLO period; 14.4 over 1h and 6 over 6h are the usual paging rates.' }));
}

/** Logs: volume, errors and the lines themselves, from Loki (seed 3.1). */
export function logsDashboard(): dashboard.DashboardBuilder {
  const stream = '{namespace=~"$namespace"}';
  const errors = '|~ "(?i)(error|exception|fatal|panic)"';
  return newDashboard('ai-logs', 'Logs', 'Log volume, error lines and search across namespaces (seed 3.1).')
    .withVariable(lokiVariable())
    .withVariable(labelVariable('namespace', 'Namespace', 'label_values(namespace)', '.+', LOKI))
    .withVariable(new dashboard.TextBoxVariableBuilder('search').label('Search (regex)').defaultValue(''))
    .withPanel(graph('Log volume by namespace', [lokiQuery(`sum by (namespace) (count_over_time(${stream}[$__auto]))`, '{{namespace}}')], { unit: 'short' }).datasource(LOKI))
    .withPanel(graph('Error lines by namespace', [lokiQuery(`sum by (namespace) (count_over_time(${stream} ${errors} [$__auto]))`, '{{namespace}}')], { unit: 'short' }).datasource(LOKI))
    .withPanel(logLines('Error logs', lokiQuery(`${stream} ${errors}`), { span: 24 }))
    .withPanel(logLines('Logs', lokiQuery(`${stream} |~ "$search"`), { span: 24 }));
}

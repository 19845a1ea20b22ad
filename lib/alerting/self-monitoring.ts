import { Construct } from 'constructs';
import { AlertRuleSpec, RuleSet } from '../core/rules.js';
import { Duration } from '../core/units.js';

export interface SelfMonitoringRulesProps {
  readonly namespace: string;
  /** Name of the PrometheusRule. @default 'platform-self-monitoring' */
  readonly name?: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Labels on every alert. */
  readonly commonLabels?: Record<string, string>;
  /** Window of the `increase()`/`rate()` in the failure alerts. @default '5m' */
  readonly window?: Duration | string;
  /** Replaces the `for` of every alert but the Watchdog (end-to-end tests). @default - per alert */
  readonly for?: Duration | string;
}

/** Name of the always-firing alert; the incident routing sends it to the dead man's switch. */
export const WATCHDOG_ALERT = 'Watchdog';

type Rule = Omit<AlertRuleSpec, 'for'> & { readonly for?: string };

/**
 * Alerts that say when the monitoring platform itself is broken: a scrape target down, rule
 * evaluations failing, notifications failing (Prometheus to Alertmanager and Alertmanager to
 * receivers), TSDB/WAL trouble, a configuration reload failure, and the Watchdog that always
 * fires so that an external dead man's switch notices when the alerting pipeline goes silent.
 *
 * Written for this library; metric names checked against Prometheus 2.42 / 3.x and Alertmanager
 * 0.25 / 0.28 (`/metrics` of the Debian binaries and upstream source).
 */
export class SelfMonitoringRules extends Construct {
  readonly ruleSet: RuleSet;

  constructor(scope: Construct, id: string, props: SelfMonitoringRulesProps) {
    super(scope, id);
    this.ruleSet = new RuleSet(this, 'Resource', {
      name: props.name ?? 'platform-self-monitoring',
      namespace: props.namespace,
      runbookBaseUrl: props.runbookBaseUrl,
      commonLabels: props.commonLabels,
    });
    const w = Duration.of(props.window ?? '5m', 'window').toPrometheus();
    const override = props.for === undefined ? undefined : Duration.of(props.for, 'for');
    const add = (group: string, rule: Rule) => this.ruleSet.addAlert(group, { ...rule, for: override ?? rule.for });

    // Always firing; silence means Prometheus, the rules or Alertmanager stopped working.
    this.ruleSet.addAlert('watchdog', {
      alert: WATCHDOG_ALERT,
      expr: 'vector(1)',
      severity: 'warning',
      incidentClass: 'medium',
      summary: 'Alerting pipeline heartbeat (always firing)',
      description: 'Fires all the time so that a dead man\'s switch outside the cluster alerts when these notifications stop.',
    });

    add('targets', {
      alert: 'TargetDown', expr: 'up == 0', for: '10m', severity: 'warning', incidentClass: 'medium',
      summary: 'Scrape target {{ $labels.job }} on {{ $labels.instance }} is down',
      description: 'Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}, namespace {{ $labels.namespace }}) for 10 minutes: its metrics and alerts are missing.',
    });

    add('prometheus', {
      alert: 'PrometheusRuleEvaluationFailures',
      expr: `increase(prometheus_rule_evaluation_failures_total[${w}]) > 0`,
      for: '15m', severity: 'critical', incidentClass: 'critical',
      summary: 'Prometheus {{ $labels.instance }} fails to evaluate rules',
      description: '{{ $value | humanize }} rule evaluations of group {{ $labels.rule_group }} failed in the last ' + w + ': alerts of that group may not fire.',
    });
    // Since Prometheus 3.1 errors_total counts alerts like sent_total does; before, it counted
    // batches, so on 2.x the ratio under-reports (never over-reports) failures.
    add('prometheus', {
      alert: 'PrometheusNotificationsFailing',
      expr: `(rate(prometheus_notifications_errors_total[${w}]) / rate(prometheus_notifications_sent_total[${w}])) > 0.01`,
      for: '15m', severity: 'critical', incidentClass: 'critical',
      summary: 'Prometheus {{ $labels.instance }} fails to send alerts to {{ $labels.alertmanager }}',
      description: '{{ $value | humanizePercentage }} of the alerts sent to Alertmanager {{ $labels.alertmanager }} failed.',
    });
    add('prometheus', {
      alert: 'PrometheusNotificationsDropped',
      expr: `increase(prometheus_notifications_dropped_total[${w}]) > 0`,
      for: '15m', severity: 'critical', incidentClass: 'critical',
      summary: 'Prometheus {{ $labels.instance }} drops alerts',
      description: '{{ $value | humanize }} alerts were dropped on their way to Alertmanager in the last ' + w + '.',
    });
    add('prometheus', {
      alert: 'PrometheusNotConnectedToAlertmanagers',
      expr: `max_over_time(prometheus_notifications_alertmanagers_discovered[${w}]) < 1`,
      for: '10m', severity: 'critical', incidentClass: 'critical',
      summary: 'Prometheus {{ $labels.instance }} has no Alertmanager',
      description: 'Prometheus discovered no Alertmanager to send alerts to: no alert reaches anyone.',
    });
    add('prometheus', {
      alert: 'PrometheusConfigReloadFailed',
      expr: `max_over_time(prometheus_config_last_reload_successful[${w}]) == 0`,
      for: '10m', severity: 'warning', incidentClass: 'medium',
      summary: 'Prometheus {{ $labels.instance }} failed to reload its configuration',
      description: 'The last configuration reload failed; Prometheus runs the previous configuration.',
    });

    add('tsdb', {
      alert: 'PrometheusWalCorruption',
      expr: `increase(prometheus_tsdb_wal_corruptions_total[${w}]) > 0 or increase(prometheus_tsdb_wal_writes_failed_total[${w}]) > 0`,
      for: '0s', severity: 'critical', incidentClass: 'critical',
      summary: 'Prometheus {{ $labels.instance }} WAL is corrupt or failing',
      description: 'The write-ahead log reported corruption or failed writes: recent samples may be lost.',
    });
    add('tsdb', {
      alert: 'PrometheusTsdbCompactionsFailing',
      expr: `increase(prometheus_tsdb_compactions_failed_total[${w}]) > 0 or increase(prometheus_tsdb_head_truncations_failed_total[${w}]) > 0`,
      for: '1h', severity: 'warning', incidentClass: 'medium',
      summary: 'Prometheus {{ $labels.instance }} fails to compact its TSDB',
      description: 'Compactions or head truncations keep failing: memory and disk use will grow until they succeed.',
    });
    add('tsdb', {
      alert: 'PrometheusTsdbReloadsFailing',
      expr: `increase(prometheus_tsdb_reloads_failures_total[${w}]) > 0`,
      for: '1h', severity: 'warning', incidentClass: 'medium',
      summary: 'Prometheus {{ $labels.instance }} fails to reload TSDB blocks',
      description: '{{ $value | humanize }} block reloads failed in the last ' + w + '.',
    });

    add('alertmanager', {
      alert: 'AlertmanagerNotificationsFailing',
      expr: `(rate(alertmanager_notifications_failed_total[${w}]) / rate(alertmanager_notifications_total[${w}])) > 0.01`,
      for: '5m', severity: 'critical', incidentClass: 'critical',
      summary: 'Alertmanager {{ $labels.instance }} fails to notify through {{ $labels.integration }}',
      description: '{{ $value | humanizePercentage }} of the {{ $labels.integration }} notifications failed: incidents may go unseen.',
    });
    add('alertmanager', {
      alert: 'AlertmanagerConfigReloadFailed',
      expr: `max_over_time(alertmanager_config_last_reload_successful[${w}]) == 0`,
      for: '10m', severity: 'warning', incidentClass: 'medium',
      summary: 'Alertmanager {{ $labels.instance }} failed to reload its configuration',
      description: 'The last configuration reload failed; Alertmanager routes with the previous configuration.',
    });
  }

  /** The rule groups in Prometheus' rule-file form (for promtool and tests). */
  renderGroups(): Array<Record<string, unknown>> {
    return this.ruleSet.renderGroups();
  }
}

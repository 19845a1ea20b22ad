import { metricNames } from '../../lib/core/promql.js';
import { SelfMonitoringRules, WATCHDOG_ALERT } from '../../lib/alerting/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

describe('SelfMonitoringRules', () => {
  const chart = newChart();
  const self = new SelfMonitoringRules(chart, 'Self', { namespace: 'monitoring' });
  const objects = synth(chart);
  const rules: any[] = find(objects, 'PrometheusRule', 'platform-self-monitoring').spec.groups.flatMap((g: any) => g.rules);

  it('covers targets, rules, notifications, TSDB/WAL, reloads and the Watchdog', () => {
    expect(self.ruleSet.alertNames).toEqual(expect.arrayContaining([
      WATCHDOG_ALERT, 'TargetDown', 'PrometheusRuleEvaluationFailures', 'PrometheusNotificationsFailing',
      'PrometheusNotificationsDropped', 'PrometheusNotConnectedToAlertmanagers', 'PrometheusConfigReloadFailed',
      'PrometheusWalCorruption', 'PrometheusTsdbCompactionsFailing', 'PrometheusTsdbReloadsFailing',
      'AlertmanagerNotificationsFailing', 'AlertmanagerConfigReloadFailed',
    ]));
    const watchdog = rules.find((r) => r.alert === WATCHDOG_ALERT);
    expect(watchdog.expr).toBe('vector(1)');
    expect(watchdog.for).toBeUndefined();
  });

  it('reads only metrics Prometheus and Alertmanager export', () => {
    const names = new Set(rules.flatMap((r) => metricNames(r.expr)));
    expect([...names].sort()).toEqual([
      'alertmanager_config_last_reload_successful', 'alertmanager_notifications_failed_total', 'alertmanager_notifications_total',
      'prometheus_config_last_reload_successful', 'prometheus_notifications_alertmanagers_discovered', 'prometheus_notifications_dropped_total',
      'prometheus_notifications_errors_total', 'prometheus_notifications_sent_total', 'prometheus_rule_evaluation_failures_total',
      'prometheus_tsdb_compactions_failed_total', 'prometheus_tsdb_head_truncations_failed_total', 'prometheus_tsdb_reloads_failures_total',
      'prometheus_tsdb_wal_corruptions_total', 'prometheus_tsdb_wal_writes_failed_total', 'up',
    ]);
  });

  it('labels every alert with severity and incident_class', () => {
    for (const r of rules) {
      expect(['warning', 'critical']).toContain(r.labels.severity);
      expect(['critical', 'high', 'medium']).toContain(r.labels.incident_class);
    }
  });

  it('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  it('rejects a bad window', () => {
    expect(() => new SelfMonitoringRules(newChart(), 'S', { namespace: 'monitoring', window: '5 min' })).toThrow("'window' must be a duration");
  });
});

describeWithTool('promtool', 'self-monitoring rules under promtool', (promtool) => {
  const groups = new SelfMonitoringRules(newChart(), 'Self', { namespace: 'monitoring' }).renderGroups();

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  const tests = (downDescription: string) => [{
    interval: '1m',
    input_series: [
      { series: 'up{job="node",instance="n1",namespace="monitoring"}', values: '0x20' },
      { series: 'up{job="node",instance="n2",namespace="monitoring"}', values: '1x20' },
      { series: 'prometheus_config_last_reload_successful{instance="p0"}', values: '1x20' },
    ],
    alert_rule_test: [
      {
        eval_time: '1m', alertname: 'Watchdog', exp_alerts: [{
          exp_labels: { severity: 'warning', incident_class: 'medium' },
          exp_annotations: {
            summary: 'Alerting pipeline heartbeat (always firing)',
            description: 'Fires all the time so that a dead man\'s switch outside the cluster alerts when these notifications stop.',
            runbook_url: 'https://runbooks.ai-monitoring.dev/alerts/watchdog',
          },
        }],
      },
      { eval_time: '5m', alertname: 'TargetDown', exp_alerts: [] },
      {
        eval_time: '11m', alertname: 'TargetDown', exp_alerts: [{
          exp_labels: { severity: 'warning', incident_class: 'medium', job: 'node', instance: 'n1', namespace: 'monitoring' },
          exp_annotations: {
            summary: 'Scrape target node on n1 is down',
            description: downDescription,
            runbook_url: 'https://runbooks.ai-monitoring.dev/alerts/target-down',
          },
        }],
      },
      { eval_time: '15m', alertname: 'PrometheusConfigReloadFailed', exp_alerts: [] },
    ],
  }];

  it('fires the Watchdog at once and TargetDown after 10m', () => {
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: tests('Prometheus could not scrape n1 (job node, namespace monitoring) for 10 minutes: its metrics and alerts are missing.'),
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fails on a wrong expectation (the harness really compares)', () => {
    const r = promtoolTestRules(promtool, groups, { evaluation_interval: '1m', tests: tests('something else') });
    expect(r.status).not.toBe(0);
  });
});

import { validateLogQL } from '../../lib/core/logql.js';
import { LogAlertRules } from '../../lib/logging/index.js';
import { DashboardSet, Grafana } from '../../lib/dashboards/index.js';
import { newChart } from '../support/synth.js';

/**
 * LogQL the library must accept or refuse (Grafana's LogQL grammar, RE2 regexes, Go templates
 * of line_format/label_format, Loki's non-empty selector rule). No Loki binary is available
 * offline, so the verdicts are hand-written from Loki's documented behaviour.
 */
const TABLE: Array<[string, 'any' | 'metric' | 'selector', boolean, string?]> = [
  ['{namespace="ai"}', 'selector', true],
  ['{namespace="ai", app=~"model-.*"}', 'selector', true],
  ['{namespace="ai"} |= "error"', 'selector', false, 'a LogQL stream selector'],
  ['namespace="ai"', 'selector', false, 'syntax error at position 0'],
  ['{app=~".*"}', 'selector', false, 'a matcher that excludes the empty value'],
  ['{app=""}', 'selector', false, 'a matcher that excludes the empty value'],
  ['{app=~"(", namespace="ai"}', 'selector', false, 'a regex RE2 refuses, "("'],
  ['{namespace="ai"} |= "error" | json | level="error"', 'any', true],
  ['{namespace="ai"} |~ `(?i)\\b(error|panic)\\b`', 'any', true],
  ['{namespace="ai"} |~ "a{1001}"', 'any', false, 'invalid repeat count'],
  ['{namespace="ai"} !~ "[[:foo:]]"', 'any', false, 'invalid character class range'],
  ['{namespace="ai"} |~ "x" or "("', 'any', false, 'a regex RE2 refuses'],
  ['{namespace="ai"} | regexp "(?P<level>\\\\w+)"', 'any', true],
  ['{namespace="ai"} | regexp "(?P<level>\\\\w+"', 'any', false, 'missing closing )'],
  ['{namespace="ai"} | logfmt | level=~"err(?=or)"', 'any', false, 'invalid or unsupported Perl syntax'],
  // Loki's own template functions (not Prometheus'): not checked by name.
  ['{namespace="ai"} | line_format "{{ .level }}: {{ __line__ }}"', 'any', true],
  ['{namespace="ai"} | label_format level="{{ .level | ToUpper }}"', 'any', true],
  ['{namespace="ai"} | label_format level="{{ $x }}"', 'any', false, 'undefined variable'],
  ['{namespace="ai"} | line_format "{{ .level }} {{ .msg }}"', 'any', true],
  ['{namespace="ai"} | line_format "{{ if .level }}"', 'any', false, 'an invalid Go template'],
  ['{namespace="ai"} |= "\\d"', 'any', false, 'an invalid string literal'],
  ['sum by (app) (rate({namespace="ai"} |= "error" [5m])) > 1', 'metric', true],
  ['count_over_time({job="x"} |~ `(?i)panic` [10m]) > 0', 'metric', true],
  ['{namespace="ai"} |= "error"', 'metric', false, 'a LogQL metric query'],
  ['sum(rate({namespace="ai"}[5m])', 'metric', false, 'syntax error'],
];

describe('validateLogQL', () => {
  it.each(TABLE)('%p as %s -> accepted %p', (...[expr, kind, ok, message]) => {
    if (ok) expect(validateLogQL(expr, 'q', kind)).toBe(expr);
    else expect(() => validateLogQL(expr, 'q', kind)).toThrow(message);
  });
});

describe('LogQL at construction in the constructs that take it', () => {
  it('refuses a Loki ruler alert with an RE2 error, naming the prop', () => {
    const rules = new LogAlertRules(newChart(), 'R', { name: 'r', namespace: 'logging' });
    expect(() => rules.addAlert('g', {
      alert: 'Panics', expr: 'sum(rate({app="x"} |~ "panic(" [5m])) > 0', severity: 'critical', incidentClass: 'high', summary: 's', description: 'd',
    })).toThrow("'alerts.Panics.expr' must be a LogQL metric query");
  });

  it('refuses an error-log pattern RE2 refuses and a log-alert template promtool would refuse', () => {
    const rules = () => new LogAlertRules(newChart(), 'R', { name: 'r', namespace: 'logging' });
    expect(() => rules().addErrorLogAlerts({ pattern: 'error{1001}' })).toThrow("'errorLogAlerts.pattern' must be an RE2 (Go) regular expression");
    expect(() => rules().addAlert('g', {
      alert: 'Panics', expr: 'sum(rate({app="x"} |= "panic" [5m])) > 0', severity: 'critical', incidentClass: 'high', summary: '{{ $labels.app', description: 'd',
    })).toThrow("'alerts.Panics.summary' must be a valid Go template for Prometheus (unclosed action)");
  });

  it('refuses a log panel whose LogQL does not parse', () => {
    const chart = newChart();
    const grafana = new Grafana(chart, 'Grafana', {
      prometheus: { url: 'http://thanos-query.ai-monitoring.svc:9090' }, loki: { url: 'http://loki-gateway.logging.svc:80' }, rootUrl: 'https://ai-monitoring-grafana.example.com/',
    });
    const set = new DashboardSet(chart, 'Dashboards', { grafana, builtins: [] });
    const panel = { type: 'logs', title: 'Errors', datasource: { type: 'loki', uid: 'loki' }, targets: [{ refId: 'A', expr: '{app=~".*"} |= "error"' }] };
    expect(() => set.addDashboard({ uid: 'logs-x', title: 'Logs', panels: [panel] } as never))
      .toThrow(`'dashboards.logs-x.panels["Errors"].expr' must be a LogQL query`);
  });
});

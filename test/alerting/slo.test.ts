import { BurnRateWindow, Slo, SloIndicator, WORKBOOK_WINDOWS } from '../../lib/alerting/analytics.js';
import { Duration } from '../../lib/core/units.js';
import { all, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

const availability = () => SloIndicator.availability({ requests: 'model_requests_total', errors: 'model_request_errors_total' });
const latency = () => SloIndicator.latency({ histogram: 'model_inference_latency_seconds', threshold: '100ms' });

function seedSlos() {
  const chart = newChart();
  const a = new Slo(chart, 'Availability', { name: 'availability', namespace: 'monitoring', objective: 99.99, period: '30d', indicator: availability() });
  const l = new Slo(chart, 'Latency', { name: 'latency-p95', namespace: 'monitoring', objective: 95, period: '1h', indicator: latency() });
  return { chart, a, l };
}

describe('burn-rate windows', () => {
  it('reproduces the SRE workbook factors for 30d', () => {
    expect(BurnRateWindow.defaults(Duration.days(30)).map((w) => [w.severity, `${w.longWindow}/${w.shortWindow}`, w.factor])).toEqual([
      ['page', '1h/5m', 14.4],
      ['page', '6h/30m', 6],
      ['ticket', '1d/2h', 3],
      ['ticket', '3d/6h', 1],
    ]);
  });

  it('derives factors for another period from the same budget fractions', () => {
    expect(BurnRateWindow.defaults(Duration.days(28)).map((w) => w.factor)).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect(BurnRateWindow.defaults(Duration.days(7)).map((w) => w.factor)).toEqual([3.36, 1.4, 0.7, 0.233333333333]);
  });

  it('scales the windows of a period shorter than 3d', () => {
    expect(BurnRateWindow.defaults(Duration.hours(1)).map((w) => [w.severity, `${w.longWindow}/${w.shortWindow}`, w.factor])).toEqual([
      ['page', '5m/1m', 6],
      ['ticket', '1h/5m', 1],
    ]);
  });
});

describe('Slo', () => {
  const { chart, a, l } = seedSlos();
  const objects = synth(chart);

  it('writes one PrometheusRule per SLO with SLI, budget and alert groups', () => {
    expect(all(objects, 'PrometheusRule').map((o) => o.metadata.name)).toEqual(['slo-availability', 'slo-latency-p95']);
    expect(a.rules.recordNames).toEqual(expect.arrayContaining([
      'slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate3d', 'slo:period_error_budget_remaining:ratio', 'slo:current_burn_rate:ratio',
    ]));
    expect(a.errorBudget).toBe(0.0001);
    expect(l.rules.renderGroups().map((g) => g.name)).toEqual(['slo-latency-p95-sli', 'slo-latency-p95-budget', 'slo-latency-p95-alerts']);
  });

  it('reads the latency SLI from the histogram bucket at the threshold', () => {
    const base = l.rules.renderGroups()[0].rules as Array<Record<string, string>>;
    expect(base[0].expr).toBe('(sum(rate(model_inference_latency_seconds_count[1m])) - sum(rate(model_inference_latency_seconds_bucket{le=~"0\\\\.1"}[1m])))');
    const whole = SloIndicator.latency({ histogram: 'h_seconds', threshold: '1s' });
    expect(whole.errorQuery(Duration.minutes(5))).toContain('h_seconds_bucket{le=~"1(\\\\.0)?"}[5m]');
  });

  it('labels every burn alert with slo, severity and incident_class', () => {
    const alerts = a.rules.renderGroups().flatMap((g) => g.rules as Array<Record<string, any>>).filter((r) => r.alert);
    expect(alerts.map((r) => [r.alert, r.labels])).toEqual([
      ['SLOErrorBudgetBurn', { slo: 'availability', severity: 'critical', incident_class: 'critical' }],
      ['SLOErrorBudgetBurn', { slo: 'availability', severity: 'warning', incident_class: 'medium' }],
    ]);
    expect(alerts[0].expr).toContain('slo:sli_error:ratio_rate1h{slo="availability"} > 0.00144');
    expect(alerts[0].expr).toContain('slo:sli_total:rate1h{slo="availability"} >= 0.0166666666667');
  });

  it('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('Slo bad input', () => {
  const make = (props: Record<string, unknown>) => () => new Slo(newChart(), 'S', {
    name: 'api', namespace: 'monitoring', objective: 99.9, indicator: availability(), ...props,
  });
  it.each([
    [{ objective: 100 }, "'objective' must be a percentage between 0 and 100, exclusive (for example 99.9), got 100"],
    [{ objective: 0 }, "'objective' must be a percentage between 0 and 100, exclusive (for example 99.9), got 0"],
    [{ objective: -5 }, "'objective' must be a percentage between 0 and 100"],
    [{ objective: '99.9' }, "'objective' must be a percentage between 0 and 100, exclusive (for example 99.9), got '99.9'"],
    [{ period: '1d', windows: [...WORKBOOK_WINDOWS] }, "'period' must be at least the longest alert window (3d), got '1d'"],
    [{ period: '30 days' }, "'period' must be a duration like 15s, 5m, 1h30m or 30d, got '30 days'"],
    [{ period: '30m' }, "'period' must be a duration of at least 1h, got '30m'"],
    [{ windows: [{ severity: 'page', longWindow: '1h', shortWindow: '30s', budgetConsumed: 0.02 }] }, "'windows[0].shortWindow' must be at least 1m"],
    [{ windows: [{ severity: 'page', longWindow: '1h', shortWindow: '5m', budgetConsumed: 2 }] }, "'windows[0].budgetConsumed' must be a finite number"],
    [{ name: 'API' }, "'name' must be a Kubernetes name"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });

  it('rejects a latency objective without a threshold', () => {
    expect(() => SloIndicator.latency({ histogram: 'model_inference_latency_seconds' } as any))
      .toThrow("'indicator.threshold' must be a latency like 100ms (a latency objective needs a threshold), got nothing");
    expect(() => SloIndicator.latency({ histogram: 'h', threshold: '100 ms' }))
      .toThrow("'indicator.threshold' must be a duration like 15s, 5m, 1h30m or 30d, got '100 ms'");
  });

  it('rejects raw queries without a window placeholder or with bad PromQL', () => {
    expect(() => SloIndicator.ratio({ errors: 'sum(rate(e[5m]))', total: 'sum(rate(t[{{.window}}]))' }))
      .toThrow("'indicator.errors' must be a PromQL query with a {{.window}} placeholder");
    expect(() => SloIndicator.ratio({ errors: 'sum(rate(e[{{.window}}])', total: 'sum(rate(t[{{.window}}]))' }))
      .toThrow("'indicator.errors' must be a valid PromQL expression");
  });
});

describeWithTool('promtool', 'Slo rules under promtool', (promtool) => {
  const { a, l } = seedSlos();
  const groups = [...a.rules.renderGroups(), ...l.rules.renderGroups()];
  // Expected alerts with their annotations, as promtool compares them too.
  const expected = (slo: Slo, severities: Array<'critical' | 'warning'>, ratio: string) => severities.map((severity) => {
    const rule = slo.rules.renderGroups().flatMap((g) => g.rules as Array<Record<string, any>>)
      .find((r) => r.alert && r.labels.severity === severity)!;
    return {
      exp_labels: rule.labels,
      exp_annotations: { ...rule.annotations, description: rule.annotations.description.replace('{{ $value | humanizePercentage }}', ratio) },
    };
  });
  const availabilityAlerts = (severities: Array<'critical' | 'warning'>, ratio: string) => expected(a, severities, ratio);
  const latencyAlerts = (severities: Array<'critical' | 'warning'>, ratio: string) => expected(l, severities, ratio);
  // Counters given per minute (requests and errors, for `minutes` minutes), sampled at the real
  // 15s scrape interval: Prometheus 3 range windows are left-open, so a 1m window over 1m samples
  // holds a single sample and rates nothing.
  const perScrape = (perMinute: number, minutes: number) => `0+${perMinute / 4}x${minutes * 4}`;
  const traffic = (requests: number, errors: number, minutes: number) => [
    { series: 'model_requests_total', values: perScrape(requests, minutes) },
    { series: 'model_request_errors_total', values: perScrape(errors, minutes) },
  ];
  const latencyTraffic = (requests: number, slow: number, minutes: number) => [
    { series: 'model_inference_latency_seconds_count', values: perScrape(requests, minutes) },
    { series: 'model_inference_latency_seconds_bucket{le="0.1"}', values: perScrape(requests - slow, minutes) },
  ];
  const alertTest = (series: unknown[], evalTime: string, alerts: unknown[], alertname = 'SLOErrorBudgetBurn') => ({
    interval: '15s',
    input_series: series,
    alert_rule_test: [{ eval_time: evalTime, alertname, exp_alerts: alerts }],
  });

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('pages within minutes on a fast burn, tickets a slow burn, and stays quiet at the budget or when idle', () => {
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [
        // 1% errors = 100x the 99.99% budget: both page and ticket conditions hold after 5 minutes.
        alertTest(traffic(1000, 10, 30), '5m', availabilityAlerts(['critical', 'warning'], '1%')),
        // 4x the budget: above the 3x ticket factor, below the 6x and 14.4x page factors.
        alertTest(traffic(10000, 4, 200), '3h', availabilityAlerts(['warning'], '0.04%')),
        // Exactly the budget (burn rate 1) is the objective being met.
        alertTest(traffic(10000, 1, 500), '8h', []),
        // Idle: no requests at all.
        alertTest(traffic(0, 0, 120), '1h', []),
        // Almost idle and every request failing: below the minimum-traffic guard (1 event a minute).
        alertTest(traffic(0.2, 0.2, 120), '1h', []),
        // Latency, 1h period at 95%: half the requests slow pages, 10% slow opens a ticket, 5% alerts nothing.
        alertTest(latencyTraffic(100, 50, 30), '10m', latencyAlerts(['critical', 'warning'], '50%')),
        alertTest(latencyTraffic(100, 10, 90), '70m', latencyAlerts(['warning'], '10%')),
        // Just inside the budget (4.5% slow, the budget is 5%) alerts nothing. Exactly 5% is not
        // a stable test: 1 - good/total lands a float ulp above 0.05.
        alertTest(latencyTraffic(1200, 54, 90), '70m', []),
      ],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('records the remaining error budget', () => {
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: traffic(10000, 1, 120),
        promql_expr_test: [{
          expr: 'round(slo:current_burn_rate:ratio{slo="availability"}, 0.01)',
          eval_time: '1h',
          exp_samples: [{ labels: '{slo="availability"}', value: 1 }],
        }],
      }],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

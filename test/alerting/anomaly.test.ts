import { AnomalyDetection, AnomalySensitivity } from '../../lib/alerting/analytics.js';
import { all, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

const SIGNALS = [
  { name: 'inference_requests', expr: 'sum by (model) (rate(model_requests_total[5m]))', description: 'request rate' },
  { name: 'inference_error_ratio', expr: 'sum by (model) (rate(model_request_errors_total[5m])) / sum by (model) (rate(model_requests_total[5m]))', direction: 'up' as const },
];

describe('AnomalyDetection', () => {
  const chart = newChart();
  // Seed 4.2: 30d training, 3 sigma. Seed 6.1: 7d training, medium sensitivity, 15m cooldown.
  const predictive = new AnomalyDetection(chart, 'Predictive', { name: 'anomaly-predictive', namespace: 'monitoring', signals: SIGNALS, trainingWindow: '30d', threshold: 3 });
  const perf = new AnomalyDetection(chart, 'Perf', {
    name: 'anomaly-performance', namespace: 'monitoring', trainingWindow: '7d', sensitivity: AnomalySensitivity.of('medium'), cooldown: '15m', seasonality: 'weekly',
  }).addSignal(SIGNALS[0]);
  const objects = synth(chart);

  it('resolves the seed values', () => {
    expect([predictive.trainingWindow.toPrometheus(), predictive.threshold, predictive.cooldown.toPrometheus(), predictive.interval.toPrometheus()]).toEqual(['30d', 3, '15m', '5m']);
    expect([perf.trainingWindow.toPrometheus(), perf.threshold]).toEqual(['7d', 3]);
    expect([AnomalySensitivity.LOW.sigma, AnomalySensitivity.MEDIUM.sigma, AnomalySensitivity.HIGH.sigma]).toEqual([4, 3, 2]);
  });

  it('computes the baseline from the 5m recording and guards a zero standard deviation', () => {
    const [group] = predictive.rules.renderGroups();
    expect(group.interval).toBe('5m');
    const rules = group.rules as Array<Record<string, any>>;
    expect(rules.map((r) => r.record)).toEqual(expect.arrayContaining(['anomaly:inference_requests:value', 'anomaly:inference_requests:avg_over_time30d', 'anomaly:inference_requests:zscore']));
    expect(rules.find((r) => r.record === 'anomaly:inference_requests:stddev_over_time30d')!.expr).toBe('stddev_over_time(anomaly:inference_requests:value{detector="anomaly-predictive"}[30d])');
    expect(rules.find((r) => r.record === 'anomaly:inference_requests:zscore')!.expr)
      .toBe('(anomaly:inference_requests:value{detector="anomaly-predictive"} - anomaly:inference_requests:avg_over_time30d{detector="anomaly-predictive"})'
        + ' / (anomaly:inference_requests:stddev_over_time30d{detector="anomaly-predictive"} > 0)');
  });

  it('alerts with a cooldown (keep_firing_for)', () => {
    const alerts = predictive.rules.renderGroups()[1].rules as Array<Record<string, any>>;
    expect(alerts.map((a) => [a.alert, a.expr, a.keep_firing_for, a.labels])).toEqual([
      ['AnomalyDetected', 'abs(anomaly:inference_requests:zscore{detector="anomaly-predictive"}) > 3', '15m',
        { signal: 'inference_requests', detector: 'anomaly-predictive', severity: 'warning', incident_class: 'medium' }],
      ['AnomalyDetected', 'anomaly:inference_error_ratio:zscore{detector="anomaly-predictive"} > 3', '15m',
        { signal: 'inference_error_ratio', detector: 'anomaly-predictive', severity: 'warning', incident_class: 'medium' }],
    ]);
  });

  it('uses last week as the baseline with weekly seasonality', () => {
    const rules = perf.rules.renderGroups()[0].rules as Array<Record<string, any>>;
    expect(rules.find((r) => r.record === 'anomaly:inference_requests:avg_last_week')!.expr).toBe('avg_over_time(anomaly:inference_requests:value{detector="anomaly-performance"}[1h] offset 6d23h30m)');
  });

  it('matches the snapshot', () => {
    expect(all(objects, 'PrometheusRule')).toMatchSnapshot();
  });
});

describe('AnomalyDetection bad input', () => {
  const make = (props: Record<string, unknown>) => () => new AnomalyDetection(newChart(), 'A', { name: 'a', namespace: 'monitoring', signals: SIGNALS, ...props });
  it.each([
    [{ threshold: 0 }, "'threshold' must be a number of standard deviations above 0, got 0"],
    [{ threshold: -3 }, "'threshold' must be a number of standard deviations above 0, got -3"],
    [{ trainingWindow: '30 days' }, "'trainingWindow' must be a duration like 15s, 5m, 1h30m or 30d, got '30 days'"],
    [{ trainingWindow: '30m' }, "'trainingWindow' must be at least 10 intervals (50m) for a meaningful standard deviation, got '30m'"],
    [{ seasonality: 'weekly', trainingWindow: '3d' }, "'trainingWindow' must be at least 7d with weekly seasonality, got '3d'"],
    [{ cooldown: 'soon' }, "'cooldown' must be a duration like 15s, 5m, 1h30m or 30d, got 'soon'"],
    [{ signals: [{ name: 'Bad-Name', expr: 'up' }] }, "'signals.name' must be a lowercase name"],
    [{ signals: [SIGNALS[0], SIGNALS[0]] }, "'signals.name' must be unique, got duplicate 'inference_requests'"],
    [{ signals: [{ name: 'x', expr: 'rate(x[5m]' }] }, "'signals.x.expr' must be a valid PromQL expression"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });
  it('rejects a zero or negative sigma and unknown presets', () => {
    expect(() => AnomalySensitivity.sigma(0)).toThrow("'sensitivity' must be a number of standard deviations above 0, got 0");
    expect(() => AnomalySensitivity.sigma(-1)).toThrow("'sensitivity' must be a number of standard deviations above 0, got -1");
    expect(() => AnomalySensitivity.of('extreme')).toThrow("'sensitivity' must be 'low', 'medium' or 'high', got 'extreme'");
  });
  describe('with no signals (addSignal may still add them, so synthesis refuses it)', () => {
    const message = "'signals' must be at least one signal, got []";
    it('fails App.synth / Testing.synth through construct validation', () => {
      const chart = newChart();
      const detection = new AnomalyDetection(chart, 'A', { name: 'a', namespace: 'monitoring' });
      expect(detection.node.findChild('Resource').node.validate()).toEqual([message]);
      expect(() => synth(chart)).toThrow(message);
    });
    it('fails chart.toJson() and promtool rendering, which skip construct validation', () => {
      const chart = newChart();
      const detection = new AnomalyDetection(chart, 'A', { name: 'a', namespace: 'monitoring', signals: [] });
      expect(() => chart.toJson()).toThrow(message);
      expect(() => detection.rules.renderGroups()).toThrow(message);
    });
    it('passes once a signal is added after construction', () => {
      const chart = newChart();
      new AnomalyDetection(chart, 'A', { name: 'a', namespace: 'monitoring' }).addSignal(SIGNALS[0]);
      expect(all(synth(chart), 'PrometheusRule')).toHaveLength(1);
    });
  });
});

describeWithTool('promtool', 'AnomalyDetection rules under promtool', (promtool) => {
  const detection = new AnomalyDetection(newChart(), 'A', {
    name: 'anomaly-test', namespace: 'monitoring', trainingWindow: '1d', signals: [{ name: 'load', expr: 'test_load' }],
  });
  const groups = detection.rules.renderGroups();
  // A day of noise alternating 10 and 12 (mean 11, standard deviation 1) every 5m, then one spike.
  const noisy = (spike: number) => [...Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 10 : 12)), spike, ...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 10 : 12))].join(' ');
  const spikeAt = '16h40m'; // sample 200 at 5m steps
  const firing = (value: string) => [{
    exp_labels: { signal: 'load', detector: 'anomaly-test', severity: 'warning', incident_class: 'medium' },
    exp_annotations: {
      summary: 'Anomaly in load',
      description: `load is ${value} standard deviations from its 1d mean (threshold 3).`,
      runbook_url: 'https://runbooks.ai-monitoring.dev/alerts/anomaly-detected',
    },
  }];
  const test = (values: string, checks: Array<[string, unknown[]]>) => ({
    interval: '5m',
    input_series: [{ series: 'test_load', values }],
    alert_rule_test: checks.map(([evalTime, alerts]) => ({ eval_time: evalTime, alertname: 'AnomalyDetected', exp_alerts: alerts })),
  });

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fires on a 4-sigma spike and keeps firing for the cooldown, ignores a 2-sigma wobble and a flat series', () => {
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '5m',
      tests: [
        // 4 sigma: fires, still firing 10m after the spike (15m cooldown, annotations keep the last firing value), resolved after it.
        test(noisy(15), [['16h35m', []], [spikeAt, firing('3.8')], ['16h50m', firing('3.8')], ['17h10m', []]]),
        // 2 sigma: below the 3-sigma threshold.
        test(noisy(13), [[spikeAt, []]]),
        // Flat: standard deviation 0, so no z-score and no alert (no division by zero).
        test('10+0x220', [[spikeAt, []], ['18h', []]]),
      ],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

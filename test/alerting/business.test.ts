import { BusinessMetrics } from '../../lib/alerting/analytics.js';
import { all, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

describe('BusinessMetrics', () => {
  const chart = newChart();
  const business = new BusinessMetrics(chart, 'B', { name: 'business-metrics', namespace: 'monitoring' });
  const objects = synth(chart);

  it('records at 5m and aggregates at 1h, for 90 days (seed 4.1)', () => {
    expect([business.collectionInterval.toPrometheus(), business.aggregationInterval.toPrometheus(), business.retention.toPrometheus()]).toEqual(['5m', '1h', '90d']);
    const [fine, coarse] = business.rules.renderGroups();
    expect([fine.name, fine.interval, coarse.name, coarse.interval]).toEqual(['business-metrics-5m', '5m', 'business-metrics-1h', '1h']);
    expect(business.rules.recordNames).toEqual([
      'business:api_requests:rate5m', 'business:active_users:max', 'business:cpu_cores:rate5m', 'business:memory_working_set_bytes:sum',
      'business:api_requests:increase1h', 'business:active_users:max1h', 'business:active_users:avg1h', 'business:cpu_cores:avg1h', 'business:memory_working_set_bytes:avg1h',
    ]);
  });

  it('checks that the long-term store keeps the aggregates for 90 days', () => {
    expect(() => business.assertRetainedBy('365d')).not.toThrow();
    expect(() => business.assertRetainedBy('30d', 'thanos.retention1h')).toThrow("'thanos.retention1h' must be at least the business metrics retention (90d), got '30d'");
  });

  it('matches the snapshot', () => {
    expect(all(objects, 'PrometheusRule')).toMatchSnapshot();
  });
});

describe('BusinessMetrics bad input', () => {
  const make = (props: Record<string, unknown>) => () => new BusinessMetrics(newChart(), 'B', { name: 'b', namespace: 'monitoring', ...props });
  it.each([
    [{ collectionInterval: '5 minutes' }, "'collectionInterval' must be a duration like 15s, 5m, 1h30m or 30d, got '5 minutes'"],
    [{ aggregationInterval: '5m' }, "'aggregationInterval' must be longer than the collection interval (5m), got '5m'"],
    [{ retention: 'quarter' }, "'retention' must be a duration like 15s, 5m, 1h30m or 30d, got 'quarter'"],
    [{ requestsMetric: 'model-requests' }, "'requestsMetric' must be a Prometheus metric name"],
    [{ resourcesBy: ['team-name'] }, "'resourcesBy[0]' must be a Prometheus label name"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });
});

describeWithTool('promtool', 'BusinessMetrics rules under promtool', (promtool) => {
  const groups = new BusinessMetrics(newChart(), 'B', { name: 'business-metrics', namespace: 'monitoring' }).rules.renderGroups();

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('aggregates request volume and active users per hour', () => {
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '5m',
      tests: [{
        // The real 15s scrape interval (Prometheus 3 range windows are left-open: 5m samples
        // would leave a single sample in a 5m window). One request a second per pod.
        interval: '15s',
        input_series: [
          { series: 'model_requests_total{model="llm",pod="a"}', values: '0+15x600' },
          { series: 'model_requests_total{model="llm",pod="b"}', values: '0+15x600' },
          // 10, 20, 40, 20 users for five minutes each, then 10.
          { series: 'api_active_users{instance="gw-1"}', values: '10+0x19 20+0x19 40+0x19 20+0x19 10+0x199' },
        ],
        promql_expr_test: [
          // Rounded: extrapolated rates are a float ulp off the exact value.
          { expr: 'round(business:api_requests:rate5m, 0.001)', eval_time: '1h', exp_samples: [{ labels: '{model="llm"}', value: 2 }] },
          { expr: 'round(business:api_requests:increase1h)', eval_time: '1h', exp_samples: [{ labels: '{model="llm"}', value: 7200 }] },
          { expr: 'business:active_users:max1h', eval_time: '1h', exp_samples: [{ labels: 'business:active_users:max1h', value: 40 }] },
        ],
      }],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

import { CapacityForecast, ForecastResource } from '../../lib/alerting/analytics.js';
import { all, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

describe('CapacityForecast', () => {
  const chart = newChart();
  const forecast = new CapacityForecast(chart, 'F', { name: 'capacity-forecast', namespace: 'monitoring' });
  const objects = synth(chart);

  it('forecasts CPU, memory and storage 7d ahead, hourly (seed 4.2)', () => {
    expect([forecast.horizon.toPrometheus(), forecast.interval.toPrometheus(), forecast.lookback.toPrometheus()]).toEqual(['7d', '1h', '7d']);
    const [utilisation, fc] = forecast.rules.renderGroups();
    expect([utilisation.interval, fc.interval]).toEqual(['5m', '1h']);
    expect((fc.rules as Array<Record<string, any>>).filter((r) => r.record).map((r) => [r.record, r.expr])).toEqual([
      ['capacity:node_cpu_utilisation:predict_linear7d', 'predict_linear(capacity:node_cpu_utilisation:ratio[7d], 604800)'],
      ['capacity:node_memory_utilisation:predict_linear7d', 'predict_linear(capacity:node_memory_utilisation:ratio[7d], 604800)'],
      ['capacity:node_filesystem_utilisation:predict_linear7d', 'predict_linear(capacity:node_filesystem_utilisation:ratio[7d], 604800)'],
    ]);
    const alerts = (fc.rules as Array<Record<string, any>>).filter((r) => r.alert);
    expect(alerts.map((a) => [a.alert, a.for, a.labels.resource, a.labels.incident_class])).toEqual([
      ['ResourceExhaustionForecast', '1h', 'node_cpu', 'medium'],
      ['ResourceExhaustionForecast', '1h', 'node_memory', 'medium'],
      ['ResourceExhaustionForecast', '1h', 'node_filesystem', 'medium'],
    ]);
  });

  it('matches the snapshot', () => {
    expect(all(objects, 'PrometheusRule')).toMatchSnapshot();
  });
});

describe('CapacityForecast bad input', () => {
  const make = (props: Record<string, unknown>) => () => new CapacityForecast(newChart(), 'F', { name: 'f', namespace: 'monitoring', ...props });
  it.each([
    [{ horizon: '7 days' }, "'horizon' must be a duration like 15s, 5m, 1h30m or 30d, got '7 days'"],
    [{ horizon: 7 }, "'horizon' must be a duration like 15s, 5m, 1h30m or 30d, got 7"],
    [{ horizon: '0s' }, "'horizon' must be a duration above 0s, got '0s'"],
    [{ interval: 'hourly' }, "'interval' must be a duration like 15s, 5m, 1h30m or 30d, got 'hourly'"],
    [{ lookback: '5m' }, "'lookback' must be at least two samples (10m), got '5m'"],
    [{ capacity: 1.5 }, "'capacity' must be a finite number"],
    [{ resources: [ForecastResource.nodeCpu(), ForecastResource.nodeCpu()] }, "'resources.name' must be unique, got duplicate 'node_cpu'"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });
  it('rejects a bad custom resource', () => {
    expect(() => ForecastResource.custom('GPU', 'x')).toThrow("'resources.name' must be a lowercase name");
    expect(() => ForecastResource.custom('gpu', 'sum(x')).toThrow("'resources.gpu.utilisation' must be a valid PromQL expression");
  });
  describe('with no resources (addResource may still add them, so synthesis refuses it)', () => {
    const message = "'resources' must be at least one resource, got []";
    it('fails App.synth / Testing.synth through construct validation', () => {
      const chart = newChart();
      const forecast = new CapacityForecast(chart, 'F', { name: 'f', namespace: 'monitoring', resources: [] });
      expect(forecast.node.findChild('Resource').node.validate()).toEqual([message]);
      expect(() => synth(chart)).toThrow(message);
    });
    it('fails chart.toJson() and promtool rendering, which skip construct validation', () => {
      const chart = newChart();
      const forecast = new CapacityForecast(chart, 'F', { name: 'f', namespace: 'monitoring', resources: [] });
      expect(() => chart.toJson()).toThrow(message);
      expect(() => forecast.rules.renderGroups()).toThrow(message);
    });
    it('passes once a resource is added after construction', () => {
      const chart = newChart();
      new CapacityForecast(chart, 'F', { name: 'f', namespace: 'monitoring', resources: [] }).addResource(ForecastResource.nodeCpu());
      expect(all(synth(chart), 'PrometheusRule')).toHaveLength(1);
    });
  });
});

describeWithTool('promtool', 'CapacityForecast rules under promtool', (promtool) => {
  const forecast = new CapacityForecast(newChart(), 'F', { name: 'capacity-forecast', namespace: 'monitoring' });
  const groups = forecast.rules.renderGroups();
  const fs = '{instance="node-1",device="/dev/nvme1n1",fstype="ext4",mountpoint="/data"}';
  // A 100 GiB disk, half full, losing `perHour` GiB an hour, sampled every 5m for two days.
  const disk = (perHour: number) => [
    { series: `node_filesystem_size_bytes${fs}`, values: `${100 * 2 ** 30}+0x576` },
    { series: `node_filesystem_avail_bytes${fs}`, values: `${50 * 2 ** 30}-${(perHour / 12) * 2 ** 30}x576` },
  ];

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fires when a disk will fill within 7d and not when it grows slower', () => {
    const labels = { instance: 'node-1', device: '/dev/nvme1n1', fstype: 'ext4', mountpoint: '/data', resource: 'node_filesystem', severity: 'warning', incident_class: 'medium' };
    const rule = (groups[1].rules as Array<Record<string, any>>).find((r) => r.alert && r.labels.resource === 'node_filesystem')!;
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '5m',
      tests: [
        {
          // 0.5 GiB/h: 12 GiB a day; at 62% after a day it is full in about 3 days, inside the 7d horizon.
          interval: '5m',
          input_series: disk(0.5),
          alert_rule_test: [{
            eval_time: '1d',
            alertname: 'ResourceExhaustionForecast',
            exp_alerts: [{
              exp_labels: labels,
              exp_annotations: {
                summary: 'filesystem /data is forecast to run out within 7d',
                description: 'At the growth of the last 7d, filesystem /data on node-1 reaches 146% of capacity within 7d.',
                runbook_url: rule.annotations.runbook_url,
              },
            }],
          }],
        },
        {
          // 0.2 GiB/h: 4.8 GiB a day, full in about 10 days, beyond the horizon.
          interval: '5m',
          input_series: disk(0.2),
          alert_rule_test: [{ eval_time: '1d', alertname: 'ResourceExhaustionForecast', exp_alerts: [] }, { eval_time: '2d', alertname: 'ResourceExhaustionForecast', exp_alerts: [] }],
        },
      ],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

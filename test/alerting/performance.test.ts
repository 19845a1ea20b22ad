import { AnomalyDetection, PerformanceAnalysis } from '../../lib/alerting/analytics.js';
import { all, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

describe('PerformanceAnalysis', () => {
  const chart = newChart();
  const perf = new PerformanceAnalysis(chart, 'P', { name: 'performance-analysis', namespace: 'monitoring' });
  const anomaly = new AnomalyDetection(chart, 'A', {
    name: 'performance-anomalies', namespace: 'monitoring', trainingWindow: '7d', threshold: 3, cooldown: '15m', signals: perf.anomalySignals(),
  });
  const objects = synth(chart);

  it('collects at 1m and aggregates at 5m (seed 6.1)', () => {
    const [fine, coarse] = perf.rules.renderGroups();
    expect([fine.name, fine.interval, coarse.name, coarse.interval]).toEqual(['performance-analysis-1m', '1m', 'performance-analysis-5m', '5m']);
    expect(perf.rules.recordNames).toEqual(expect.arrayContaining([
      'perf:node_cpu_utilisation:ratio_rate1m', 'perf:node_cpu_utilisation:avg5m', 'perf:node_cpu_utilisation:max5m',
      'perf:node_bottleneck:avg5m', 'perf:node_cpu_utilisation:deriv1h', 'perf:model_inference_latency_seconds:p95_rate1m',
    ]));
  });

  it('feeds the 6.1 anomaly detection from the aggregates', () => {
    expect(anomaly.signals).toEqual(['node_cpu_utilisation', 'node_memory_utilisation', 'model_requests', 'model_inference_latency_p95']);
  });

  it('matches the snapshot', () => {
    expect(all(objects, 'PrometheusRule')).toMatchSnapshot();
  });
});

describe('PerformanceAnalysis bad input', () => {
  const make = (props: Record<string, unknown>) => () => new PerformanceAnalysis(newChart(), 'P', { name: 'p', namespace: 'monitoring', ...props });
  it.each([
    [{ collectionInterval: '1 minute' }, "'collectionInterval' must be a duration like 15s, 5m, 1h30m or 30d, got '1 minute'"],
    [{ collectionInterval: '15s' }, "'collectionInterval' must be at least 30s (two scrapes at 15s), got '15s'"],
    [{ aggregationInterval: '1m' }, "'aggregationInterval' must be longer than the collection interval (1m), got '1m'"],
    [{ trendWindow: '5m' }, "'trendWindow' must be longer than the aggregation interval (5m), got '5m'"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });
});

describeWithTool('promtool', 'PerformanceAnalysis rules under promtool', (promtool) => {
  const groups = new PerformanceAnalysis(newChart(), 'P', { name: 'performance-analysis', namespace: 'monitoring' }).rules.renderGroups();

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('divides the load of a scraped node by its CPU count', () => {
    // As scraped: node_load1 has the target's job and pod labels, which the count drops.
    const t = 'instance="node-1",job="node-exporter",pod="node-exporter-abcde"';
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: `node_load1{${t}}`, values: '3+0x5' },
          { series: `node_cpu_seconds_total{${t},cpu="0",mode="idle"}`, values: '0+30x5' },
          { series: `node_cpu_seconds_total{${t},cpu="1",mode="idle"}`, values: '0+30x5' },
        ],
        promql_expr_test: [{
          expr: 'perf:node_cpu_saturation:load1_per_cpu',
          eval_time: '3m',
          exp_samples: [{ labels: 'perf:node_cpu_saturation:load1_per_cpu{instance="node-1"}', value: 1.5 }],
        }],
      }],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('names the most utilised resource of a node as its bottleneck', () => {
    const n = '{instance="node-1"}';
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          // CPU 40% busy (idle grows 0.6 s/s on one CPU), memory 90% used, disk 20% busy.
          { series: `node_cpu_seconds_total{instance="node-1",cpu="0",mode="idle"}`, values: '0+36x30' },
          { series: `node_memory_MemAvailable_bytes${n}`, values: '10+0x30' },
          { series: `node_memory_MemTotal_bytes${n}`, values: '100+0x30' },
          { series: `node_disk_io_time_seconds_total{instance="node-1",device="nvme0n1"}`, values: '0+12x30' },
        ],
        promql_expr_test: [{
          expr: 'round(perf:node_bottleneck:avg5m, 0.01)',
          eval_time: '20m',
          exp_samples: [{ labels: '{instance="node-1",resource="memory"}', value: 0.9 }],
        }],
      }],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

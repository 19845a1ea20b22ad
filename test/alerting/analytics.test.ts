import { Construct } from 'constructs';
import {
  AnomalyDetection, AnomalySensitivity, BusinessMetrics, CapacityForecast, CostMetrics, OpenCostSource, PerformanceAnalysis, Slo, SloIndicator,
} from '../../lib/alerting/analytics.js';
import { MetricsStack } from '../../lib/metrics/metrics-stack.js';
import { all, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules } from '../support/tools.js';

/** The seed's analytics (4.1, 4.2, 6.1, 8.1) for one region, as the platform wires them. */
function seedAnalytics(scope: Construct, metrics: MetricsStack) {
  const namespace = metrics.namespace;
  const slos = [
    new Slo(scope, 'AvailabilitySlo', {
      name: 'inference-availability', namespace, objective: 99.99, period: '30d',
      indicator: SloIndicator.availability({ requests: 'model_requests_total', errors: 'model_request_errors_total' }),
    }),
    new Slo(scope, 'LatencySlo', {
      name: 'inference-latency-p95', namespace, objective: 95, period: '1h',
      indicator: SloIndicator.latency({ histogram: 'model_inference_latency_seconds', threshold: '100ms' }),
    }),
  ];
  const anomalies = new AnomalyDetection(scope, 'Anomalies', {
    name: 'predictive-anomalies', namespace, trainingWindow: '30d', threshold: 3.0,
    signals: [
      { name: 'model_requests', expr: 'sum by (model) (rate(model_requests_total[5m]))', description: 'model request rate' },
      { name: 'model_error_ratio', expr: 'sum by (model) (rate(model_request_errors_total[5m])) / sum by (model) (rate(model_requests_total[5m]))', direction: 'up', description: 'model error ratio' },
    ],
  });
  const forecast = new CapacityForecast(scope, 'Forecast', { name: 'capacity-forecast', namespace, horizon: '7d', interval: '1h' });
  const business = new BusinessMetrics(scope, 'Business', { name: 'business-metrics', namespace, collectionInterval: '5m', aggregationInterval: '1h', retention: '90d' });
  const cost = new CostMetrics(scope, 'Cost', {
    name: 'cost-metrics', namespace, opencost: OpenCostSource.deploy({ prometheus: metrics, clusterId: metrics.cluster }),
    budgetThresholdPercent: 120, monthlyBudget: 50000,
  });
  const performance = new PerformanceAnalysis(scope, 'Performance', { name: 'performance-analysis', namespace, collectionInterval: '1m', aggregationInterval: '5m' });
  const performanceAnomalies = new AnomalyDetection(scope, 'PerformanceAnomalies', {
    name: 'performance-anomalies', namespace, trainingWindow: '7d', sensitivity: AnomalySensitivity.of('medium'), cooldown: '15m',
    signals: performance.anomalySignals(),
  });
  return { slos, anomalies, forecast, business, cost, performance, performanceAnomalies };
}

describe('seed analytics', () => {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1', cluster: 'ai-us-east-1' });
  const a = seedAnalytics(chart, metrics);
  const objects = synth(chart);
  const rules = all(objects, 'PrometheusRule');

  it('synthesizes one PrometheusRule per construct, each selected by Prometheus', () => {
    expect(rules.map((r) => r.metadata.name)).toEqual([
      'slo-inference-availability', 'slo-inference-latency-p95', 'predictive-anomalies', 'capacity-forecast', 'business-metrics',
      'cost-metrics', 'performance-analysis', 'performance-anomalies',
    ]);
    rules.forEach((r) => expect(r.metadata.labels['app.kubernetes.io/part-of']).toBe('ai-monitoring'));
  });

  it('never records the same series twice across rule sets', () => {
    const keys = rules.flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules.filter((x: any) => x.record).map((x: any) => `${x.record}${JSON.stringify(x.labels ?? {})}`)));
    expect(keys.length).toBe(new Set(keys).size);
  });

  it('checks the 90d business retention against a 365d 1h tier', () => {
    expect(() => a.business.assertRetainedBy('365d')).not.toThrow();
  });

  describeWithTool('promtool', 'under promtool', (promtool) => {
    it('every rule set passes promtool check rules', () => {
      for (const r of rules) {
        const result = promtoolCheckRules(promtool, r.spec.groups);
        expect(`${r.metadata.name}: ${result.output}`).toContain('SUCCESS');
      }
    });
  });
});

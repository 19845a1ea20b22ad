import { CrossSystemRules, GpuMonitor, ModelServingMonitor, ModelServer } from '../../lib/ai/index.js';
import { MetricsStack } from '../../lib/metrics/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool } from '../support/tools.js';
import { expectRuleTests, expectValidRules, level } from './helpers.js';

function build() {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const serving = new ModelServingMonitor(chart, 'Llama', { name: 'llama', namespace: 'models', scraper: metrics, server: ModelServer.vllm() });
  const gpu = new GpuMonitor(chart, 'Gpu', { scraper: metrics });
  const cross = new CrossSystemRules(chart, 'Cross', { namespace: metrics.namespace });
  return { chart, serving, gpu, cross };
}

describe('CrossSystemRules', () => {
  const { chart, cross } = build();
  const objects = synth(chart);

  it('records the joins in the Prometheus namespace', () => {
    const rule = find(objects, 'PrometheusRule', 'ai-cross-system');
    expect(rule.metadata.namespace).toBe('ai-monitoring');
    expect(cross.rules.recordNames).toEqual(expect.arrayContaining(['model_pod:gpu_utilization:avg', 'model_pod:node_memory_utilization:ratio', 'pod:node_memory_pressure:bool']));
    expect(rule).toMatchSnapshot();
  });

  it('rejects bad thresholds', () => {
    expect(() => new CrossSystemRules(newChart(), 'C', { namespace: 'monitoring', thresholds: { latencySeconds: { warning: 1, critical: 0.5 } } }))
      .toThrow("'thresholds.latencySeconds.critical' must be at least the warning level (1), got 0.5");
    expect(() => new CrossSystemRules(newChart(), 'C', { namespace: 'monitoring', thresholds: { nodeMemoryRatio: -1 } }))
      .toThrow("'thresholds.nodeMemoryRatio' must be a finite number >= 0, got -1");
  });
});

describeWithTool('promtool', 'cross-system rules (promtool)', (promtool) => {
  const { serving, gpu, cross } = build();
  // The joins read the model and GPU records, so all three rule sets are evaluated together.
  const groups = [...serving.rules.renderGroups(), ...gpu.rules.renderGroups(), ...cross.rules.renderGroups()];
  const vllm = 'namespace="models", job="llama", pod="llama-0", model_name="llama-3-8b", model_server="vllm"';
  const model = { namespace: 'models', pod: 'llama-0', model: 'llama-3-8b', model_server: 'vllm' };
  const traffic = (latencySumPerMinute: number, errorsPerMinute: number) => [
    { series: `vllm:request_success_total{${vllm}, finished_reason="stop"}`, values: '0+600x20' },
    { series: `vllm:request_success_total{${vllm}, finished_reason="error"}`, values: `0+${errorsPerMinute}x20` },
    { series: `vllm:e2e_request_latency_seconds_sum{${vllm}}`, values: `0+${latencySumPerMinute}x20` },
    { series: `vllm:e2e_request_latency_seconds_count{${vllm}}`, values: '0+600x20' },
  ];
  const gpuUtil = (percent: number) => ({ series: 'DCGM_FI_DEV_GPU_UTIL{gpu="0", UUID="GPU-1", node="gpu-1", namespace="models", pod="llama-0", container="vllm"}', values: `${percent}x20` });
  const node = (availableRatio: number) => [
    { series: 'kube_pod_info{namespace="models", pod="llama-0", node="gpu-1", uid="u1"}', values: '1x20' },
    { series: 'node_memory_MemTotal_bytes{instance="gpu-1"}', values: '1000x20' },
    { series: 'node_memory_MemAvailable_bytes{instance="gpu-1"}', values: `${1000 * availableRatio}x20` },
  ];

  it('passes promtool check rules', () => expectValidRules(promtool, cross.rules.renderGroups()));

  it('labels GPU utilization and node memory with the model the pod serves', () => {
    expectRuleTests(promtool, groups, [{
      interval: '1m',
      input_series: [...traffic(60, 0), gpuUtil(80), ...node(0.25)],
      promql_expr_test: [
        { expr: 'model_pod:gpu_utilization:avg', eval_time: '10m', exp_samples: [{ labels: `model_pod:gpu_utilization:avg{namespace="models", pod="llama-0", model="llama-3-8b", model_server="vllm"}`, value: 80 }] },
        { expr: 'model_pod:node_memory_utilization:ratio', eval_time: '10m', exp_samples: [{ labels: `model_pod:node_memory_utilization:ratio{namespace="models", pod="llama-0", model="llama-3-8b", model_server="vllm"}`, value: 0.75 }] },
      ],
    }]);
  });

  it('ModelLatencyGpuBound: slow model on a saturated GPU, not on an idle one', () => {
    expectRuleTests(promtool, groups, [
      {
        interval: '1m',
        input_series: [...traffic(90, 0), gpuUtil(98)],
        alert_rule_test: [{ eval_time: '16m', alertname: 'ModelLatencyGpuBound', exp_alerts: [{ exp_labels: { ...model, ...level('warning', 'medium') } }] }],
      },
      {
        interval: '1m',
        input_series: [...traffic(90, 0), gpuUtil(40)],
        alert_rule_test: [{ eval_time: '16m', alertname: 'ModelLatencyGpuBound', exp_alerts: [] }],
      },
    ]);
  });

  it('ModelErrorsUnderMemoryPressure: errors on a full node, not on a healthy one', () => {
    expectRuleTests(promtool, groups, [
      {
        interval: '1m',
        input_series: [...traffic(60, 30), ...node(0.05)],
        alert_rule_test: [{ eval_time: '12m', alertname: 'ModelErrorsUnderMemoryPressure', exp_alerts: [{ exp_labels: { ...model, ...level('warning', 'medium') } }] }],
      },
      {
        interval: '1m',
        input_series: [...traffic(60, 30), ...node(0.6)],
        alert_rule_test: [{ eval_time: '12m', alertname: 'ModelErrorsUnderMemoryPressure', exp_alerts: [] }],
      },
    ]);
  });
});

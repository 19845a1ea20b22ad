import { MetricsStack } from '../../lib/metrics/index.js';
import { ModelServer, ModelServingMonitor } from '../../lib/ai/index.js';
import { all, find, newChart, synth } from '../support/synth.js';
import { describeWithTool } from '../support/tools.js';
import { expectRuleTests, expectValidRules, level } from './helpers.js';

function build() {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const monitors = {
    seed: new ModelServingMonitor(chart, 'Chat', { name: 'chat', namespace: 'models', scraper: metrics }),
    vllm: new ModelServingMonitor(chart, 'Llama', { name: 'llama', namespace: 'models', scraper: metrics, server: ModelServer.vllm() }),
    triton: new ModelServingMonitor(chart, 'Vision', { name: 'vision', namespace: 'models', scraper: metrics, server: ModelServer.triton() }),
    kserve: new ModelServingMonitor(chart, 'Iris', { name: 'iris', namespace: 'models', scraper: metrics, server: ModelServer.kserve({ port: 'http1' }) }),
  };
  return { chart, metrics, monitors, objects: synth(chart) };
}

describe('ModelServingMonitor', () => {
  const { objects, monitors } = build();
  const mine = objects.filter((o) => o.metadata.namespace === 'models' || /^ai-(?!monitoring)/.test(o.metadata.name ?? ''));

  it('scrapes each server on its port and stamps the label contract', () => {
    const llama = find(objects, 'PodMonitor', 'llama').spec.podMetricsEndpoints[0];
    expect(llama).toMatchObject({ portNumber: 8000, path: '/metrics' });
    expect(llama.port).toBeUndefined();
    expect(llama.relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: 'llama' },
      { action: 'replace', targetLabel: 'model_server', replacement: 'vllm' },
    ]);
    expect(find(objects, 'PodMonitor', 'vision').spec.podMetricsEndpoints[0].portNumber).toBe(8002);
    expect(find(objects, 'PodMonitor', 'chat').spec.podMetricsEndpoints[0].port).toBe('metrics');
    expect(find(objects, 'PodMonitor', 'iris').spec.podMetricsEndpoints[0].port).toBe('http1');
  });

  it('lets only Prometheus reach the metrics port, ingress only', () => {
    const np = find(objects, 'NetworkPolicy', 'llama-allow-scrape');
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress[0].ports).toEqual([{ port: 8000, protocol: 'TCP' }]);
    expect(np.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'ai-monitoring' });
  });

  it('records the same series for every preset, normalising the model label', () => {
    const vllm = find(objects, 'PrometheusRule', 'ai-model-serving-vllm');
    const text = JSON.stringify(vllm.spec);
    expect(text).toContain('label_replace(rate(vllm:request_success_total{model_server=\\"vllm\\", finished_reason=\\"error\\"}[5m]), \\"model\\", \\"$1\\", \\"model_name\\", \\"(.*)\\")');
    expect(text).toContain('vllm:kv_cache_usage_perc');
    const records = (name: string) => monitors[name as keyof typeof monitors].rules.recordNames;
    for (const preset of ['seed', 'vllm', 'triton', 'kserve']) {
      expect(records(preset)).toEqual(expect.arrayContaining(['model:requests:rate5m', 'model:latency_seconds:avg5m', 'model:throughput:rate5m', 'model_pod:latency_seconds:avg5m']));
    }
    expect(records('seed')).toEqual(expect.arrayContaining(['model:latency_seconds:p95_5m', 'model:batch_seconds:p95_5m', 'model:memory_bytes:max', 'model:request_error_ratio:rate5m']));
    expect(records('triton')).not.toContain('model:latency_seconds:p95_5m');
    expect(records('kserve')).not.toContain('model:request_error_ratio:rate5m');
    expect(monitors.kserve.rules.alertNames).not.toContain('ModelErrorSpike');
  });

  it('lists the real metric names of each preset', () => {
    expect(ModelServer.vllm().metricNames).toEqual(['vllm:e2e_request_latency_seconds', 'vllm:generation_tokens_total', 'vllm:kv_cache_usage_perc', 'vllm:request_queue_time_seconds', 'vllm:request_success_total']);
    expect(ModelServer.vllm({ legacyCacheMetric: true }).metricNames).toContain('vllm:gpu_cache_usage_perc');
    expect(ModelServer.triton().metricNames).toEqual(expect.arrayContaining(['nv_inference_request_success', 'nv_inference_request_failure', 'nv_inference_request_duration_us', 'nv_inference_queue_duration_us', 'nv_inference_count']));
    expect(ModelServer.kserve().metricNames).toEqual(['request_predict_seconds', 'request_predict_seconds_count']);
    expect(ModelServer.seed().metricNames).toEqual(['model_batch_processing_seconds', 'model_inference_latency_seconds', 'model_memory_consumption_bytes', 'model_request_errors_total', 'model_requests_total']);
  });

  it('shares one rule set per profile however many servers are monitored', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
    const strict = ModelServer.vllm({ profile: 'vllm-strict', thresholds: { errorSpikeFactor: 2 } });
    for (let i = 0; i < 50; i++) {
      new ModelServingMonitor(chart, `M${i}`, { name: `m-${i}`, namespace: 'models', scraper: metrics, server: i % 2 ? ModelServer.vllm() : strict });
    }
    const rules = all(synth(chart), 'PrometheusRule').filter((r) => r.metadata.name.startsWith('ai-model-serving'));
    expect(rules.map((r) => r.metadata.name).sort()).toEqual(['ai-model-serving-vllm', 'ai-model-serving-vllm-strict']);
    expect(rules.every((r) => r.metadata.namespace === 'ai-monitoring')).toBe(true);
  });

  it('scales: 1,000 monitors synthesize quickly with one rule set', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
    const start = performance.now();
    for (let i = 0; i < 1000; i++) new ModelServingMonitor(chart, `M${i}`, { name: `model-${i}`, namespace: 'models', scraper: metrics });
    const objects = synth(chart);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(all(objects, 'PodMonitor').filter((o) => o.metadata.namespace === 'models')).toHaveLength(1000);
    expect(all(objects, 'PrometheusRule').filter((o) => o.metadata.name.startsWith('ai-model-serving'))).toHaveLength(1);
  });

  it('matches the snapshot', () => {
    expect(mine).toMatchSnapshot();
  });
});

describe('ModelServingMonitor bad input', () => {
  const scraper = { namespace: 'monitoring', podLabels: { app: 'prometheus' } };
  const make = (props: Record<string, unknown>) => () => new ModelServingMonitor(newChart(), 'M', { name: 'chat', namespace: 'models', scraper, ...props });
  it.each([
    [() => ModelServer.vllm({ prot: 8000 } as any), "'vllm.prot' must be one of the known options (profile, port, path, thresholds, legacyCacheMetric), got 'prot'"],
    [() => ModelServer.triton({ thresholds: { errorSpike: 2 } as any }), "'triton.thresholds.errorSpike' must be one of the known options"],
    [() => ModelServer.seed({ thresholds: { memoryLimitRatio: { warning: 0.99, critical: 0.9 } } }), "'seed.thresholds.memoryLimitRatio.critical' must be at least the warning level (0.99), got 0.9"],
    [() => ModelServer.kserve({ port: 70000 }), "'kserve.port' must be a port number between 1 and 65535 or a port name, got 70000"],
    [() => ModelServer.seed({ profile: 'Seed_Strict' }), "'seed.profile' must be a Kubernetes name"],
    [make({ name: 'Chat' }), "'name' must be a Kubernetes name"],
    [make({ selector: { 'app/bad name': 'x' } }), "'selector' must be a Kubernetes label key"],
  ])('rejects %#', (fn, message) => {
    expect(fn).toThrow(message);
  });

  it('refuses one profile name for two different settings', () => {
    const chart = newChart();
    new ModelServingMonitor(chart, 'A', { name: 'a', namespace: 'models', scraper, server: ModelServer.vllm() });
    expect(() => new ModelServingMonitor(chart, 'B', { name: 'b', namespace: 'models', scraper, server: ModelServer.vllm({ thresholds: { errorSpikeFactor: 5 } }) }))
      .toThrow("'profile' must name one set of settings, got 'vllm' twice with different settings");
  });
});

describeWithTool('promtool', 'model serving rules (promtool)', (promtool) => {
  const { monitors } = build();
  const groups = (m: ModelServingMonitor) => m.rules.renderGroups();
  const seed = { namespace: 'models', job: 'chat', model: 'gpt-small', model_server: 'seed' };
  const seedSeries = `namespace="models", job="chat", pod="chat-0", model="gpt-small", model_server="seed"`;

  it('passes promtool check rules for every preset', () => {
    for (const m of Object.values(monitors)) expectValidRules(promtool, groups(m));
  });

  it('ModelServerDown fires after 5 minutes without a scrape, not while up', () => {
    expectRuleTests(promtool, groups(monitors.seed), [
      {
        interval: '1m',
        input_series: [{ series: `up{${seedSeries}}`, values: '0x10' }],
        alert_rule_test: [
          { eval_time: '4m', alertname: 'ModelServerDown', exp_alerts: [] },
          { eval_time: '6m', alertname: 'ModelServerDown', exp_alerts: [{ exp_labels: { namespace: 'models', job: 'chat', model_server: 'seed', ...level('critical', 'critical') } }] },
        ],
      },
      {
        interval: '1m',
        input_series: [{ series: `up{${seedSeries}}`, values: '1x10' }],
        alert_rule_test: [{ eval_time: '10m', alertname: 'ModelServerDown', exp_alerts: [] }],
      },
    ]);
  });

  it('ModelErrorSpike fires on a jump over the last hour, not on a steady error rate', () => {
    expectRuleTests(promtool, groups(monitors.seed), [
      {
        interval: '1m',
        input_series: [
          { series: `model_requests_total{${seedSeries}}`, values: '0+600x100' },
          { series: `model_request_errors_total{${seedSeries}}`, values: '0+6x60 480+120x40' },
        ],
        alert_rule_test: [
          { eval_time: '55m', alertname: 'ModelErrorSpike', exp_alerts: [] },
          { eval_time: '75m', alertname: 'ModelErrorSpike', exp_alerts: [{ exp_labels: { ...seed, ...level('warning', 'medium') } }] },
        ],
      },
      {
        interval: '1m',
        input_series: [
          { series: `model_requests_total{${seedSeries}}`, values: '0+600x100' },
          { series: `model_request_errors_total{${seedSeries}}`, values: '0+30x100' },
        ],
        alert_rule_test: [{ eval_time: '90m', alertname: 'ModelErrorSpike', exp_alerts: [] }],
      },
    ]);
  });

  it('ModelServiceDegraded fires when latency doubles under load, not when steady', () => {
    const count = { series: `model_inference_latency_seconds_count{${seedSeries}}`, values: '0+600x100' };
    const requests = { series: `model_requests_total{${seedSeries}}`, values: '0+600x100' };
    expectRuleTests(promtool, groups(monitors.seed), [
      {
        interval: '1m',
        input_series: [count, requests, { series: `model_inference_latency_seconds_sum{${seedSeries}}`, values: '0+30x60 1980+180x40' }],
        alert_rule_test: [
          { eval_time: '60m', alertname: 'ModelServiceDegraded', exp_alerts: [] },
          { eval_time: '76m', alertname: 'ModelServiceDegraded', exp_alerts: [{ exp_labels: { ...seed, ...level('warning', 'medium') } }] },
        ],
      },
      {
        interval: '1m',
        input_series: [count, requests, { series: `model_inference_latency_seconds_sum{${seedSeries}}`, values: '0+30x100' }],
        alert_rule_test: [{ eval_time: '90m', alertname: 'ModelServiceDegraded', exp_alerts: [] }],
      },
    ]);
  });

  it('ModelResourceExhaustion fires per level on the container memory limit', () => {
    const pod = 'namespace="models", pod="chat-0", container="server"';
    const memory = (bytes: number) => ({
      interval: '1m',
      input_series: [
        { series: `container_memory_working_set_bytes{${pod}, id="/kubepods/x"}`, values: `${bytes}x15` },
        { series: `kube_pod_container_resource_limits{${pod}, resource="memory", unit="byte"}`, values: '1000x15' },
        { series: `up{${seedSeries}}`, values: '1x15' },
      ],
    });
    const exp = (severity: 'warning' | 'critical', cls: 'medium' | 'high') => ({ exp_labels: { namespace: 'models', pod: 'chat-0', job: 'chat', model_server: 'seed', ...level(severity, cls, { resource: 'memory' }) } });
    expectRuleTests(promtool, groups(monitors.seed), [
      { ...memory(900), alert_rule_test: [{ eval_time: '12m', alertname: 'ModelResourceExhaustion', exp_alerts: [exp('warning', 'medium')] }] },
      { ...memory(990), alert_rule_test: [{ eval_time: '12m', alertname: 'ModelResourceExhaustion', exp_alerts: [exp('warning', 'medium'), exp('critical', 'high')] }] },
      { ...memory(500), alert_rule_test: [{ eval_time: '12m', alertname: 'ModelResourceExhaustion', exp_alerts: [] }] },
    ]);
  });

  it('vLLM: errors from finished_reason, model from model_name, KV-cache exhaustion', () => {
    const s = 'namespace="models", job="llama", pod="llama-0", model_name="llama-3-8b", model_server="vllm"';
    const labels = { namespace: 'models', job: 'llama', model: 'llama-3-8b', model_server: 'vllm' };
    expectRuleTests(promtool, groups(monitors.vllm), [{
      interval: '1m',
      input_series: [
        { series: `vllm:request_success_total{${s}, finished_reason="stop"}`, values: '0+570x15' },
        { series: `vllm:request_success_total{${s}, finished_reason="error"}`, values: '0+30x15' },
        { series: `vllm:kv_cache_usage_perc{${s}}`, values: '0.99x15' },
      ],
      promql_expr_test: [{ expr: 'model:request_error_ratio:rate5m', eval_time: '10m', exp_samples: [{ labels: `model:request_error_ratio:rate5m{namespace="models", job="llama", model="llama-3-8b", model_server="vllm"}`, value: 0.05 }] }],
      alert_rule_test: [{
        eval_time: '12m', alertname: 'ModelResourceExhaustion',
        exp_alerts: [{ exp_labels: { ...labels, ...level('warning', 'medium', { resource: 'kv_cache' }) } }, { exp_labels: { ...labels, ...level('critical', 'high', { resource: 'kv_cache' }) } }],
      }],
    }]);
  });

  it('Triton: average latency from microsecond counters, failures as errors', () => {
    const s = 'namespace="models", job="vision", pod="vision-0", model="resnet", version="1", model_server="triton"';
    const out = 'namespace="models", job="vision", model="resnet", model_server="triton"';
    expectRuleTests(promtool, groups(monitors.triton), [{
      interval: '1m',
      input_series: [
        { series: `nv_inference_request_success{${s}}`, values: '0+60x15' },
        { series: `nv_inference_request_failure{${s}}`, values: '0+4x15' },
        { series: `nv_inference_request_duration_us{${s}}`, values: '0+7500000x15' },
      ],
      promql_expr_test: [
        { expr: 'round(model:latency_seconds:avg5m, 0.001)', eval_time: '10m', exp_samples: [{ labels: `{${out}}`, value: 0.125 }] },
        { expr: 'model:request_error_ratio:rate5m', eval_time: '10m', exp_samples: [{ labels: `model:request_error_ratio:rate5m{${out}}`, value: 0.0625 }] },
      ],
    }]);
  });

  it('KServe: p95 from request_predict_seconds', () => {
    const s = 'namespace="models", job="iris", pod="iris-0", model_name="iris", model_server="kserve"';
    expectRuleTests(promtool, groups(monitors.kserve), [{
      interval: '1m',
      input_series: [
        { series: `request_predict_seconds_bucket{${s}, le="0.1"}`, values: '0+60x15' },
        { series: `request_predict_seconds_bucket{${s}, le="0.5"}`, values: '0+60x15' },
        { series: `request_predict_seconds_bucket{${s}, le="+Inf"}`, values: '0+60x15' },
      ],
      promql_expr_test: [{ expr: 'model:latency_seconds:p95_5m', eval_time: '10m', exp_samples: [{ labels: 'model:latency_seconds:p95_5m{namespace="models", job="iris", model="iris", model_server="kserve"}', value: 0.095 }] }],
    }]);
  });
});

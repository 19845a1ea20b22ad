import { MetricsStack } from '../../lib/metrics/index.js';
import { GpuMonitor } from '../../lib/ai/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool } from '../support/tools.js';
import { expectRuleTests, expectValidRules, level } from './helpers.js';

function build(props: Record<string, unknown> = {}) {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const gpu = new GpuMonitor(chart, 'Gpu', { scraper: metrics, ...props });
  return { gpu, objects: synth(chart) };
}

describe('GpuMonitor', () => {
  const { objects } = build();
  const ds = find(objects, 'DaemonSet', 'dcgm-exporter');
  const pod = ds.spec.template.spec;

  it('runs dcgm-exporter on GPU nodes in the privileged agent namespace', () => {
    expect(ds.metadata.namespace).toBe('monitoring-agents');
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.containers[0].image).toBe('nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04');
    expect(pod.containers[0].args).toEqual(['-f', '/etc/ai-monitoring/dcgm-counters.csv']);
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([{ name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' }, { name: 'DCGM_EXPORTER_LISTEN', value: ':9400' }]));
  });

  it('grants root but nothing more: no capabilities, no escalation, read-only root', () => {
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: false, runAsUser: 0,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.volumes[0]).toEqual({ name: 'pod-resources', hostPath: { path: '/var/lib/kubelet/pod-resources', type: 'Directory' } });
    expect(pod.containers[0].volumeMounts[0]).toMatchObject({ readOnly: true, mountPath: '/var/lib/kubelet/pod-resources' });
  });

  it('collects the alerted fields and keeps the pod attribution labels', () => {
    const csv = find(objects, 'ConfigMap', 'dcgm-exporter-counters').data['dcgm-counters.csv'];
    for (const f of ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_POWER_MGMT_LIMIT', 'DCGM_FI_DEV_XID_ERRORS']) {
      expect(csv).toContain(`${f}, gauge`);
    }
    expect(csv).not.toContain('DCGM_FI_PROF');
    const sm = find(objects, 'ServiceMonitor', 'dcgm-exporter');
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'metrics', honorLabels: true });
    // A free GPU (no pod labels in the exposition) must not take the exporter pod's.
    expect(sm.spec.endpoints[0].relabelings).toContainEqual({ action: 'labeldrop', regex: 'pod|container' });
    const np = find(objects, 'NetworkPolicy', 'dcgm-exporter');
    expect(np.spec.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/name']).toBe('prometheus');
  });

  it('matches the snapshot', () => {
    expect(objects.filter((o) => o.metadata.name?.includes('dcgm') || o.metadata.name === 'ai-gpu')).toMatchSnapshot();
  });

  it('rejects bad input', () => {
    expect(() => build({ nodeSelector: {} })).toThrow("'nodeSelector' must be at least one node label that selects GPU nodes");
    expect(() => new GpuMonitor(newChart(), 'G', { scraper: { namespace: 'monitoring', podLabels: { app: 'p' } } })).toThrow("'namespace' must be the privileged namespace for node agents");
    expect(() => build({ thresholds: { temperatureCelsius: { warning: 95, critical: 90 } } })).toThrow("'thresholds.temperatureCelsius.critical' must be at least the warning level (95), got 90");
    expect(() => build({ thresholds: { temperature: 3 } })).toThrow("'thresholds.temperature' must be one of the known options");
    expect(() => build({ nodeSelector: { 'bad key!': 'true' } })).toThrow("'nodeSelector' must be a Kubernetes label key");
  });
});

describeWithTool('promtool', 'GPU rules (promtool)', (promtool) => {
  const { gpu } = build();
  const groups = gpu.rules.renderGroups();
  const gpu0 = 'gpu="0", UUID="GPU-1", modelName="NVIDIA A100", node="gpu-node-1", namespace="models", pod="llama-0", container="vllm"';
  const labels = { gpu: '0', UUID: 'GPU-1', modelName: 'NVIDIA A100', node: 'gpu-node-1', namespace: 'models', pod: 'llama-0', container: 'vllm' };
  const test = (series: Array<[string, string]>, evalTime: string, alertname: string, exp: Array<Record<string, string>>) => ({
    interval: '1m',
    input_series: series.map(([name, values]) => ({ series: `${name}{${gpu0}}`, values })),
    alert_rule_test: [{ eval_time: evalTime, alertname, exp_alerts: exp.map((l) => ({ exp_labels: { ...labels, ...l } })) }],
  });

  it('passes promtool check rules', () => expectValidRules(promtool, groups));

  it('framebuffer memory: warning at 90%, critical at 98%, quiet below', () => {
    expectRuleTests(promtool, groups, [
      test([['DCGM_FI_DEV_FB_USED', '74000x10'], ['DCGM_FI_DEV_FB_FREE', '6000x10']], '6m', 'GpuFramebufferMemoryHigh', [level('warning', 'medium')]),
      test([['DCGM_FI_DEV_FB_USED', '79500x10'], ['DCGM_FI_DEV_FB_FREE', '500x10']], '6m', 'GpuFramebufferMemoryHigh', [level('warning', 'medium'), level('critical', 'high')]),
      test([['DCGM_FI_DEV_FB_USED', '40000x10'], ['DCGM_FI_DEV_FB_FREE', '40000x10']], '6m', 'GpuFramebufferMemoryHigh', []),
    ]);
  });

  it('temperature: 85°C warns, 92°C is critical, only after 5 minutes', () => {
    expectRuleTests(promtool, groups, [
      test([['DCGM_FI_DEV_GPU_TEMP', '85x10']], '6m', 'GpuTemperatureHigh', [level('warning', 'medium')]),
      test([['DCGM_FI_DEV_GPU_TEMP', '92x10']], '6m', 'GpuTemperatureHigh', [level('warning', 'medium'), level('critical', 'high')]),
      test([['DCGM_FI_DEV_GPU_TEMP', '92x10']], '3m', 'GpuTemperatureHigh', []),
      test([['DCGM_FI_DEV_GPU_TEMP', '70x10']], '6m', 'GpuTemperatureHigh', []),
    ]);
  });

  it('power: sustained draw at the limit', () => {
    expectRuleTests(promtool, groups, [
      test([['DCGM_FI_DEV_POWER_USAGE', '390x20'], ['DCGM_FI_DEV_POWER_MGMT_LIMIT', '400x20']], '16m', 'GpuPowerNearLimit', [level('warning', 'medium')]),
      test([['DCGM_FI_DEV_POWER_USAGE', '400x20'], ['DCGM_FI_DEV_POWER_MGMT_LIMIT', '400x20']], '16m', 'GpuPowerNearLimit', [level('warning', 'medium'), level('critical', 'high')]),
      test([['DCGM_FI_DEV_POWER_USAGE', '250x20'], ['DCGM_FI_DEV_POWER_MGMT_LIMIT', '400x20']], '16m', 'GpuPowerNearLimit', []),
    ]);
  });

  it('XID errors fire at once, a clean GPU does not', () => {
    expectRuleTests(promtool, groups, [
      test([['DCGM_FI_DEV_XID_ERRORS', '0 0 79 79']], '2m', 'GpuXidError', [level('critical', 'high')]),
      test([['DCGM_FI_DEV_XID_ERRORS', '0x5']], '5m', 'GpuXidError', []),
    ]);
  });

  it('utilization: saturated after an hour over 95%, idle allocation after two hours under 5%', () => {
    expectRuleTests(promtool, groups, [
      test([['DCGM_FI_DEV_GPU_UTIL', '99x70']], '65m', 'GpuSaturated', [level('warning', 'medium')]),
      test([['DCGM_FI_DEV_GPU_UTIL', '60x70']], '65m', 'GpuSaturated', []),
      test([['DCGM_FI_DEV_GPU_UTIL', '1x130']], '125m', 'GpuAllocatedIdle', [level('warning', 'medium')]),
      test([['DCGM_FI_DEV_GPU_UTIL', '50x130']], '125m', 'GpuAllocatedIdle', []),
    ]);
  });

  it('attributes utilization to pods', () => {
    expectRuleTests(promtool, groups, [{
      interval: '1m',
      input_series: [
        { series: `DCGM_FI_DEV_GPU_UTIL{${gpu0}}`, values: '80x5' },
        { series: 'DCGM_FI_DEV_GPU_UTIL{gpu="1", UUID="GPU-2", node="gpu-node-1", namespace="models", pod="llama-0", container="vllm"}', values: '60x5' },
      ],
      promql_expr_test: [{ expr: 'pod:gpu_utilization:avg', eval_time: '2m', exp_samples: [{ labels: 'pod:gpu_utilization:avg{namespace="models", pod="llama-0"}', value: 70 }] }],
    }]);
  });
});

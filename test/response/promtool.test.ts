// The automation alerts and the KEDA trigger queries through the real Prometheus tooling: the
// memory-pressure and latency conditions fire only after the seed's durations (5m, 3m).
import { WorkloadAutoscaler } from '../../lib/response/index.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';
import { seedResponse } from './fixture.js';

const GiB = 2 ** 30;
const pod = 'namespace="ai-serving", pod="model-serving-7d9f8-abcde"';

describeWithTool('promtool', 'automation rules with promtool', (promtool) => {
  const { response } = seedResponse();
  const rules = response.automationRules;
  const groups = [
    ...response.ruleSet.renderGroups(),
    {
      name: 'keda-triggers',
      rules: rules.map((r) => ({ record: `keda:${r.name.replace(/-/g, '_')}`, expr: WorkloadAutoscaler.sustained({ name: r.name, ...r.condition }) })),
    },
  ];

  it('pass promtool check rules (alerts and KEDA queries)', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  const firing = (alert: string) => `count(ALERTS{alertname="${alert}", alertstate="firing"}) or vector(0)`;

  it('fire memory pressure after 5m above 85% and scale on the sustained value', () => {
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: `container_memory_working_set_bytes{${pod}, container="server"}`, values: `${3.6 * GiB}x15` },
          { series: `kube_pod_container_resource_limits{${pod}, container="server", resource="memory"}`, values: `${4 * GiB}x15` },
        ],
        promql_expr_test: [
          { expr: firing('ModelServingMemoryPressure'), eval_time: '4m', exp_samples: [{ labels: '{}', value: 0 }] },
          { expr: firing('ModelServingMemoryPressure'), eval_time: '6m', exp_samples: [{ labels: '{}', value: 1 }] },
          { expr: 'keda:memory_pressure', eval_time: '10m', exp_samples: [{ labels: '{__name__="keda:memory_pressure"}', value: 0.9 }] },
        ],
      }, {
        interval: '1m',
        input_series: [
          { series: `container_memory_working_set_bytes{${pod}, container="server"}`, values: `${3 * GiB}x15` },
          { series: `kube_pod_container_resource_limits{${pod}, container="server", resource="memory"}`, values: `${4 * GiB}x15` },
        ],
        promql_expr_test: [{ expr: firing('ModelServingMemoryPressure'), eval_time: '10m', exp_samples: [{ labels: '{}', value: 0 }] }],
      }],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fire high latency after 3m with p95 above 200ms, not below it', () => {
    const buckets = (fast: number, medium: number) => [
      { series: `model_inference_latency_seconds_bucket{${pod}, le="0.1"}`, values: `0+${fast}x15` },
      { series: `model_inference_latency_seconds_bucket{${pod}, le="0.25"}`, values: `0+${medium}x15` },
      { series: `model_inference_latency_seconds_bucket{${pod}, le="0.5"}`, values: '0+100x15' },
      { series: `model_inference_latency_seconds_bucket{${pod}, le="+Inf"}`, values: '0+100x15' },
    ];
    const r = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: buckets(10, 30), // p95 in the 250-500ms bucket
        promql_expr_test: [
          { expr: firing('ModelServingHighLatency'), eval_time: '3m', exp_samples: [{ labels: '{}', value: 0 }] },
          { expr: firing('ModelServingHighLatency'), eval_time: '5m', exp_samples: [{ labels: '{}', value: 1 }] },
        ],
      }, {
        interval: '1m',
        input_series: buckets(96, 99), // 96% of requests under 100ms: p95 about 99ms
        promql_expr_test: [
          { expr: firing('ModelServingHighLatency'), eval_time: '10m', exp_samples: [{ labels: '{}', value: 0 }] },
        ],
      }],
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

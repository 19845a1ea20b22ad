import { MetricsStack } from '../../lib/metrics/index.js';
import { ModelServer, ModelServingMonitor } from '../../lib/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool } from '../support/tools.js';
import { expectRuleTests, expectValidRules } from './helpers.js';

// A made-up server with its own names: the same normalised rules must come out of it.
const tgi = () => ModelServer.custom({
  profile: 'tgi', port: 'metrics', modelLabel: 'model_id',
  requests: { metric: 'tgi_request_count' },
  errors: { metric: 'tgi_request_failure', match: 'err!="validation"' },
  latency: { histogram: 'tgi_request_duration' },
  queue: { sum: { metric: 'tgi_queue_seconds_sum' }, count: { metric: 'tgi_queue_seconds_count' }, secondsPerUnit: 1 },
  throughput: { metric: 'tgi_request_generated_tokens_total' }, throughputUnit: 'tokens',
});

function build() {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const monitor = new ModelServingMonitor(chart, 'Tgi', { name: 'tgi', namespace: 'models', scraper: metrics, server: tgi() });
  return { monitor, objects: synth(chart) };
}

describe('ModelServer.custom', () => {
  it('scrapes the given port and labels series with the profile', () => {
    const { objects } = build();
    const ep = find(objects, 'PodMonitor', 'tgi').spec.podMetricsEndpoints[0];
    expect(ep).toMatchObject({ port: 'metrics', path: '/metrics' });
    expect(ep.relabelings).toContainEqual({ action: 'replace', targetLabel: 'model_server', replacement: 'tgi' });
  });

  it('reads exactly the metric names it was given', () => {
    expect(tgi().metricNames).toEqual([
      'tgi_queue_seconds_count', 'tgi_queue_seconds_sum', 'tgi_request_count', 'tgi_request_duration',
      'tgi_request_failure', 'tgi_request_generated_tokens_total',
    ]);
  });

  it.each([
    [{ port: 1, modelLabel: 'm', requests: { metric: 'a' }, latency: { histogram: 'b' } }, "'custom.profile' must be a profile name"],
    [{ profile: 'x', port: 1, modelLabel: 'model-id', requests: { metric: 'a' }, latency: { histogram: 'b' } }, "'custom.modelLabel'"],
    [{ profile: 'x', port: 1, modelLabel: 'm', requests: [], latency: { histogram: 'b' } }, "'custom.requests' must be one or more request counters"],
    [{ profile: 'x', port: 1, modelLabel: 'm', requests: { metric: 'a-b' }, latency: { histogram: 'b' } }, "'custom.requests[0].metric' must be a Prometheus metric name"],
    [{ profile: 'x', port: 1, modelLabel: 'm', requests: { metric: 'a', match: 'code=' }, latency: { histogram: 'b' } }, "'custom.requests[0].match'"],
    [{ profile: 'x', port: 1, modelLabel: 'm', requests: { metric: 'a', match: 'a="1"} or vector(1) or x{' }, latency: { histogram: 'b' } }, "'custom.requests[0].match' must be label matchers"],
    [{ profile: 'x', port: 1, modelLabel: 'm', requests: { metric: 'a' }, latency: { sum: { metric: 's' }, count: { metric: 'c' }, secondsPerUnit: 0 } }, "'custom.latency.secondsPerUnit' must be a finite number"],
    [{ profile: 'x', port: 1, modelLabel: 'm', requests: { metric: 'a' }, latency: { histogram: 'b' }, thoughput: {} }, "'custom.thoughput' must be one of the known options"],
  ])('rejects bad input at construction: %j', (options, message) => {
    expect(() => ModelServer.custom(options as never)).toThrow(message);
  });
});

describeWithTool('promtool', 'ModelServer.custom rules (promtool)', (promtool) => {
  const { monitor } = build();
  const groups = monitor.rules.renderGroups();

  it('passes promtool check rules', () => expectValidRules(promtool, groups));

  it('normalises the model label and computes p95 and the error ratio from the given names', () => {
    const s = 'namespace="models", job="tgi", pod="tgi-0", model_id="mistral", model_server="tgi"';
    const out = 'namespace="models", job="tgi", model="mistral", model_server="tgi"';
    expectRuleTests(promtool, groups, [{
      interval: '1m',
      input_series: [
        { series: `tgi_request_duration_bucket{${s}, le="0.1"}`, values: '0+60x15' },
        { series: `tgi_request_duration_bucket{${s}, le="0.5"}`, values: '0+60x15' },
        { series: `tgi_request_duration_bucket{${s}, le="+Inf"}`, values: '0+60x15' },
        { series: `tgi_request_count{${s}}`, values: '0+60x15' },
        { series: `tgi_request_failure{${s}, err="generation"}`, values: '0+6x15' },
        { series: `tgi_request_failure{${s}, err="validation"}`, values: '0+30x15' },
      ],
      promql_expr_test: [
        { expr: 'model:latency_seconds:p95_5m', eval_time: '10m', exp_samples: [{ labels: `model:latency_seconds:p95_5m{${out}}`, value: 0.095 }] },
        { expr: 'model:request_error_ratio:rate5m', eval_time: '10m', exp_samples: [{ labels: `model:request_error_ratio:rate5m{${out}}`, value: 0.1 }] },
      ],
    }]);
  });
});

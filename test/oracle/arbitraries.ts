/**
 * Generators of props for the oracle: valid values, boundary values and hostile ones (quotes,
 * `"}`, newlines, Go-template and YAML specials, PromQL fragments, regex metacharacters, huge
 * numbers, wrong types). Every prop generator mixes its valid forms with the hostile set.
 */
import fc from 'fast-check';

export type Arb = fc.Arbitrary<unknown>;

/** Values no prop should take silently: each must be accepted with valid output or rejected naming the prop. */
export const HOSTILE_STRINGS = [
  '', ' ', '"', "'", '"}', '"} or vector(1) #', '\n', 'a\nb', '{{ .x }}', '{{', '}}', '{{ template "x" }}', '$labels', '%',
  ': ', '- a', '#', '&anchor', '*alias', '!!str', '~', 'null', 'true', '0x1F', '---', '...', '|', '>',
  'up', 'up{a="b"}', 'rate(up[5m])', 'up # comment', 'sum by (a) (x)', '1 +', ')', '[5m]', 'a{1001}', '(', '[[:foo:]]', '.*', '\\d+', '^$',
  'http://a b', 'http://user:pass@example.com', 'https://example.com/?token=abc', 'ftp://example.com', '/etc/passwd', '../x',
  'A'.repeat(64), 'a'.repeat(64), 'a'.repeat(254), 'UPPER', 'with space', 'under_score', 'dot.ted', '-lead', 'trail-', 'ünïcödé', '\u0000', '\t',
];
export const HOSTILE_NUMBERS = [0, -0, -1, 1, 0.5, -0.5, 1.5, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e21, 1e308, 5e-324, -1e308, NaN, Infinity, -Infinity, 65535, 65536];
export const WRONG_TYPES: unknown[] = [undefined, null, true, false, [], {}, [1], ['a'], { a: 1 }, 42, 'x', () => 1];

export const hostile: Arb = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom(...WRONG_TYPES),
  fc.string({ maxLength: 12 }),
);

/** A prop generator: its valid forms (weighted up) mixed with the hostile set. */
export const prop = (...valid: Arb[]): Arb => fc.oneof({ arbitrary: fc.oneof(...valid), weight: 3 }, { arbitrary: hostile, weight: 2 });

const unitOf = (units: string[], max: number) => fc.tuple(fc.integer({ min: 0, max }), fc.constantFrom(...units)).map(([n, u]) => `${n}${u}`);
export const duration = prop(fc.constantFrom('15s', '30s', '1m', '5m', '10m', '1h', '1h30m', '6h', '1d', '7d', '30d', '365d', '0s', '1ms', '100ms'), unitOf(['ms', 's', 'm', 'h', 'd', 'w', 'y'], 100_000));
export const size = prop(fc.constantFrom('1Gi', '10Gi', '100GB', '500GB', '512MB', '0B', '1.5GB', '1TB'), unitOf(['B', 'KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB'], 10_000));
export const int = (min = 0, max = 100) => prop(fc.integer({ min, max }), fc.constantFrom(min, max, min - 1, max + 1));
export const num = (min = 0, max = 100) => prop(fc.double({ min, max, noNaN: true }), fc.constantFrom(min, max));
export const dnsName = prop(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,70}[a-z0-9])?$/), fc.constantFrom('monitoring', 'ai-serving', 'a'.repeat(63), 'a'.repeat(50)));
export const labelName = prop(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/), fc.constantFrom('alertname', 'model', 'namespace', '__name__', 'le'));
export const labelList = prop(fc.array(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/), { maxLength: 4 }), fc.constantFrom(['alertname', 'alertname'], ['...'], ['...', 'a'], []));
export const bool = prop(fc.boolean());
export const text = prop(fc.string({ maxLength: 40 }), fc.constantFrom('Model {{ $labels.model }} is slow', 'CPU at {{ $value | humanizePercentage }}', 'plain text'));
export const url = prop(fc.constantFrom('http://example.com', 'https://runbooks.example.com/ai', 'http://alertmanager.ai-monitoring.svc:9093', 'https://a.example.com/x/y', 'http://a b', 'example.com'), fc.webUrl());
export const promql = prop(fc.constantFrom(
  'up', 'sum(rate(model_requests_total[5m]))', 'up{job="a"}', 'up # targets', 'rate(up)', 'up{a=~"("}', 'up{a=~"5\\\\d{2}"}', '{__name__="up"}',
  'sum by (model) (rate(model_request_errors_total[5m])) / sum by (model) (rate(model_requests_total[5m]))', 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))',
  'up and on() vector(1)', 'absent(up)', 'topk(3, up)', 'topk("a", up)', 'avg_over_time(up[5m:1m])', '1', 'time()', 'up offset 5m', 'up @ 100',
));
export const labelMap = prop(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.string({ maxLength: 10 }), { maxKeys: 3 }), fc.constantFrom({ team: 'ai' }, { 'a-b': 'c' }, { __x: 'y' }, { a: 5 }));
export const k8sLabels = prop(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}[a-z0-9]$/), fc.stringMatching(/^[a-z0-9]{0,10}$/), { minKeys: 1, maxKeys: 3 }), fc.constantFrom({ app: 'x' }, { 'app.kubernetes.io/name': 'model-serving' }, { app: 'with space' }));
export const image = prop(fc.constantFrom('registry.example.com/app:v1.2.3', 'quay.io/prometheus/prometheus:v3.5.0', 'registry.example.com/app', 'registry.example.com/app:latest', 'app:v1', 'registry.example.com/app@sha256:' + 'a'.repeat(64)));

import { promqlOperand, stripPromQLComments, validatePromQL } from '../../lib/core/promql.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

/**
 * PromQL the library must accept or refuse at construction, written as PromQL text (a JS
 * `\\` is one backslash of PromQL). The verdicts are hand-written and also proven with
 * `promtool check rules` 3.5 below, which must agree with the table and with the library.
 */
const TABLE: Array<[string, boolean, string?, 'runtime'?]> = [
  ['up', true],
  ['rate(http_requests_total[5m])', true],
  ['sum by (job) (rate(x[5m])) > 0.5', true],
  ['histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))', true],
  ['up{status=~"5\\\\d{2}"}', true],
  ['up{status=~`5\\d{2}`}', true],
  ["up{a='x'}", true],
  ['up{a=~"[[:digit:]]+", b!~"(?i)err", c=~"\\\\pL+"}', true],
  ['label_replace(up, "a", "$1", "b", "(.*)")', true],
  ['up offset -5m', true],
  ['up @ 100', true],
  ['max_over_time(up[5m:1m])', true],
  ['topk(3, up)', true],
  ['count_values("v", up)', true],
  ['quantile(0.9, up)', true],
  ['1 > bool 2', true],
  ['up and on(job) up', true],
  ['scalar(up) * 2', true],
  ['up # targets', true],
  ['rate(up[90s]) # a comment\n  > 0', true],
  ['sum(up) by (job)', true],
  ['rate(up)', false, 'expected type matrix in call to function "rate", got vector'],
  ['abs(up, up)', false, 'expected 1 argument(s) in call to "abs", got 2'],
  ['sum(up[5m])', false, 'expected type vector in aggregation expression, got matrix'],
  ['topk("a", up)', false, 'expected type scalar in aggregation parameter, got string'],
  ['count_values(1, up)', false, 'expected type string in aggregation parameter, got scalar'],
  ['histogram_quantile(up, up)', false, 'expected type scalar'],
  ['1 > 2', false, 'comparisons between scalars must use BOOL modifier'],
  ['up and 1', false, 'set operator not allowed in binary scalar expression'],
  ['up[5m] + 1', false, 'binary expression must contain only scalar and instant vector types'],
  ['-"a"', false, 'unary expression only allowed on expressions of type scalar or instant vector'],
  ['{a=""}', false, 'vector selector must contain at least one non-empty matcher'],
  ['up > on(job) group_left(job) up', false, 'must not occur in ON and GROUP clause at once'],
  ['up{a=~"("}', false, 'a regex RE2 refuses, "(" (error parsing regexp: missing closing )'],
  ['up{a=~"a{1001}"}', false, 'invalid repeat count'],
  ['up{a=~"[[:foo:]]"}', false, 'invalid character class range'],
  ['up{a=~"(?=x)"}', false, 'invalid or unsupported Perl syntax'],
  ['up{a!~"x\\\\1"}', false, 'invalid escape sequence'],
  ['up{status=~"5\\d{2}"}', false, 'an invalid string literal "5\\d{2}"'],
  // promtool check rules passes it (the regex is compiled at evaluation); proven below with test rules.
  ['label_replace(up, "a", "$1", "b", "(")', false, 'a regex RE2 refuses', 'runtime'],
  ['limitk(2, up)', false, "'limitk', which Prometheus 3.5 does not enable"],
  ['sort_by_label(up, "a")', false, "'sort_by_label', which Prometheus 3.5 does not enable"],
  ['rate(up[5m] anchored)', false, 'Prometheus 3.5 does not enable'],
  ['rate(up[5m*2])', false, 'a duration expression, which Prometheus 3.5 does not enable'],
  ['up offset (1m+1m)', false, 'a duration expression'],
  ['holt_winters(up[5m], 0.5, 0.5)', false, 'syntax error'],
  ['sum(rate(x[5m])', false, 'syntax error'],
  ['# only a comment', false, 'must be a PromQL expression'],
];

describe('validatePromQL: types, RE2 and Prometheus 3.5 (hand-written verdicts)', () => {
  // Rest parameters: a callback with more parameters than a row has is taken for `done` by jest.
  it.each(TABLE)('%p -> accepted %p', (...[expr, ok, message]) => {
    if (ok) expect(validatePromQL(expr, 'q')).toBe(expr);
    else expect(() => validatePromQL(expr, 'q')).toThrow(message);
  });

  it('names the prop and points at the position', () => {
    expect(() => validatePromQL('sum(rate(up))', 'thresholds.X.query')).toThrow(
      "'thresholds.X.query' must be a valid PromQL expression, got a type error (expected type matrix in call to function \"rate\", got vector) at position 9:\nsum(rate(up))\n         ^",
    );
  });
});

describe('embedding an expression with a comment', () => {
  it('strips comments through the parse tree, keeping a # inside strings', () => {
    expect(stripPromQLComments('up{a="#x"} # targets\n  + 1 # one')).toBe('up{a="#x"} \n  + 1');
    expect(promqlOperand('up # targets')).toBe('(up)');
    expect(promqlOperand('a or b # x', true)).toBe('(a or b)');
    expect(promqlOperand('a / b # x', true)).toBe('a / b');
  });
});

describeWithTool('promtool', 'validatePromQL agrees with promtool check rules', (promtool) => {
  it('gives the verdict promtool gives on every expression of the table', () => {
    const table = TABLE.filter(([expr, , , when]) => !expr.startsWith('#') && when !== 'runtime');
    const rules = table.map(([expr], i) => ({ record: `case:${i}`, expr }));
    const r = promtoolCheckRules(promtool, [{ name: 'promql', rules }]);
    const refused = new Set([...r.output.matchAll(/rule (\d+),/g)].map((m) => Number(m[1]) - 1));
    const ours = (expr: string) => { try { validatePromQL(expr); return true; } catch { return false; } };
    const verdicts = table.map(([expr, ok]) => ({ expr, expected: ok, promtool: !refused.has(table.findIndex(([e]) => e === expr)), library: ours(expr) }));
    expect(verdicts.filter((v) => v.promtool !== v.expected || v.library !== v.expected)).toEqual([]);
  });

  it.each(TABLE.filter(([, , , when]) => when === 'runtime'))('%p fails when Prometheus evaluates it (promtool test rules)', (...[expr]) => {
    const r = promtoolTestRules(promtool, [{ name: 'g', rules: [{ record: 'x', expr }] }], {
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: [{ series: 'up{job="a"}', values: '1 1 1' }], promql_expr_test: [{ expr: 'x', eval_time: '1m', exp_samples: [] }] }],
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('invalid regular expression');
  });
});

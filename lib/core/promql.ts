import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode, Tree } from '@lezer/common';
import { ValidationError } from './errors.js';
import { unquoteGoString } from './go-string.js';
import { promqlTypeErrors } from './promql-linter.js';
import { re2Error } from './regex.js';

function parse(expr: string): Tree {
  return parser.parse(expr);
}

/**
 * Grammar the lezer parser of codemirror-promql 0.314 knows but Prometheus 3.5 (the version
 * the manifests deploy) refuses without feature flags the library does not set. Measured with
 * `promtool check rules` 3.5.3: each of these is "not enabled", "experimental" or "unknown".
 */
const NOT_IN_PROMETHEUS_3_5 = new Set([
  'double_exponential_smoothing', 'first_over_time', 'histogram_quantiles', 'info', 'mad_over_time', 'sort_by_label',
  'sort_by_label_desc', 'start_timestamp', 'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time',
  'ts_of_min_over_time', 'range', 'start', 'end', 'step', 'limitk', 'limit_ratio', 'anchored', 'smoothed',
]);

function fail(prop: string, expr: string, at: number, what: string): ValidationError {
  const caret = `${expr}\n${' '.repeat(Math.max(0, at))}^`;
  return new ValidationError(`'${prop}' must be a valid PromQL expression, got ${what} at position ${at}:\n${caret}`);
}

/**
 * Checks a PromQL expression at construction the way Prometheus 3.5 will when it loads it:
 * - syntax, with the Prometheus project's lezer grammar (`@prometheus-io/lezer-promql`);
 * - types, with the Prometheus UI's own checker (`@prometheus-io/codemirror-promql`): argument
 *   counts and types, range vs instant vectors, operand types, aggregation parameters,
 *   `bool` on scalar comparisons, selectors that match everything;
 * - features newer than or experimental in Prometheus 3.5 (see `NOT_IN_PROMETHEUS_3_5`, and
 *   duration arithmetic such as `[5m*2]`);
 * - every string literal decoded with Go's escapes, and every regex (`=~`, `!~`, the regex of
 *   `label_replace`) compiled as RE2 (`re2js`).
 * Throws naming the prop, the expression and the character position; returns `expr` unchanged.
 */
export function validatePromQL(expr: string, prop = 'expr'): string {
  const { stripped, problem } = typeof expr === 'string' ? analyze(expr) : { stripped: '', problem: undefined };
  if (stripped === '') {
    throw new ValidationError(`'${prop}' must be a PromQL expression, got ${JSON.stringify(expr)}`);
  }
  if (problem) throw fail(prop, expr, problem.at, problem.what);
  return expr;
}

interface Analysis {
  /** The expression without its comments, trimmed (`stripPromQLComments`). */
  readonly stripped: string;
  /** The first thing Prometheus 3.5 would refuse, if any. */
  readonly problem?: { readonly at: number; readonly what: string };
}

/**
 * Everything the library asks of one expression, from one parse: its comments and the first
 * problem (syntax, Prometheus 3.5 features, strings and regexes, then types). The answer depends
 * on the text alone, so it is kept by exact text: the platform checks the same expression many
 * times (a record, the alert built on it, the dashboard panel reading it, the other region).
 */
const analyses = new Map<string, Analysis>();

/**
 * Verdicts an earlier run of the same bundled app reached (scripts/promql-verdict-cache.mjs; not
 * part of the public API). `accepted` answers only for an exact text that the same checker code
 * parsed and found without problems, with the text without comments (undefined otherwise);
 * `checked` is told of every text this run checks in full and accepts.
 */
export interface PromQLVerdictStore {
  accepted(expr: string): string | undefined;
  checked(expr: string, stripped: string): void;
}

let verdicts: PromQLVerdictStore | undefined;

/** Installs (or, without an argument, removes) the store of earlier verdicts. */
export function setPromQLVerdictStore(store?: PromQLVerdictStore): void {
  verdicts = store;
}

function analyze(expr: string): Analysis {
  const known = analyses.get(expr);
  if (known) return known;
  const earlier = verdicts?.accepted(expr);
  if (earlier !== undefined) {
    const analysis = { stripped: earlier };
    analyses.set(expr, analysis);
    return analysis;
  }
  const tree = parse(expr);
  let problem: Analysis['problem'];
  let stripped = '';
  let last = 0;
  // One walk for both: the first problem in document order, and every comment.
  tree.iterate({
    enter: (node) => {
      if (node.name === 'LineComment') {
        stripped += expr.slice(last, node.from);
        last = node.to;
      }
      if (problem) return;
      if (node.type.isError) problem = { at: node.from, what: 'a syntax error' };
      else if (CHECKED_NODES.has(node.name)) problem = checkNode(node.node, expr);
    },
  });
  stripped = (stripped + expr.slice(last)).trim();
  if (!problem && stripped !== '') {
    let diagnostics;
    try {
      diagnostics = promqlTypeErrors(expr, tree);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      diagnostics = [{ from: 0, message: 'an expression nested too deeply to check' }];
    }
    if (diagnostics.length > 0) problem = { at: diagnostics[0].from, what: `a type error (${diagnostics[0].message})` };
  }
  const analysis = { stripped, problem };
  analyses.set(expr, analysis);
  if (!problem) verdicts?.checked(expr, stripped);
  return analysis;
}

/** The node types `checkNode` looks at; the others are skipped without materializing a node. */
const CHECKED_NODES = new Set(['StringLiteral', 'FunctionIdentifier', 'AggregateOp', 'Anchored', 'Smoothed', 'DurationExpr', 'OffsetDurationExpr']);

/** Checks one node for what the grammar accepts and Prometheus 3.5 refuses. */
function checkNode(node: SyntaxNode, expr: string): { at: number; what: string } | undefined {
  const text = expr.slice(node.from, node.to);
  if (node.name === 'StringLiteral') {
    const value = unquoteGoString(text);
    if (value === undefined) return { at: node.from, what: `an invalid string literal ${text} (Go escapes only: \\\\ \\" \\n \\t \\xFF...)` };
    if (isRegexOperand(node, expr)) {
      const error = re2Error(value);
      if (error) return { at: node.from, what: `a regex RE2 refuses, ${text} (${error})` };
    }
    return undefined;
  }
  if ((node.name === 'FunctionIdentifier' || node.name === 'AggregateOp' || node.name === 'Anchored' || node.name === 'Smoothed')
    && NOT_IN_PROMETHEUS_3_5.has(text.trim())) {
    return { at: node.from, what: `'${text.trim()}', which Prometheus 3.5 does not enable` };
  }
  if ((node.name === 'DurationExpr' || node.name === 'OffsetDurationExpr') && !isPlainDuration(node)) {
    return { at: node.from, what: 'a duration expression, which Prometheus 3.5 does not enable' };
  }
  return undefined;
}

/** A literal duration (`5m`, `-1h`), not arithmetic or a function such as `step()`. */
function isPlainDuration(node: SyntaxNode): boolean {
  const kids: string[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) kids.push(c.name);
  if (kids.length === 1) return kids[0] === 'NumberDurationLiteralInDurationContext';
  // `offset -5m`: a sign, then a nested plain duration (checked on its own visit).
  return node.name === 'OffsetDurationExpr' && kids.length === 2 && kids[0] === 'UnaryOp' && kids[1] === 'OffsetDurationExpr';
}

/** The value of a `=~`/`!~` matcher, or the regex (5th) argument of `label_replace`. */
function isRegexOperand(node: SyntaxNode, expr: string): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.name === 'UnquotedLabelMatcher' || parent.name === 'QuotedLabelMatcher') {
    const op = parent.getChild('MatchOp');
    return op !== null && node.from > op.from && /~/.test(expr.slice(op.from, op.to));
  }
  if (parent.name === 'FunctionCallBody') {
    const call = parent.parent;
    const name = call?.firstChild ? expr.slice(call.firstChild.from, call.firstChild.to).trim() : '';
    return name === 'label_replace' && parent.getChildren('Expr').map((n) => n.from).indexOf(node.from) === 4;
  }
  return false;
}

/**
 * The expression without its `#` comments, trimmed. The library embeds user expressions in
 * larger ones (`(<query>) > 5`); a comment would swallow the rest of its line, so every
 * embedding goes through this. Comments are found by the parse tree, not by a regex, so a `#`
 * inside a string or a label value is kept.
 */
export function stripPromQLComments(expr: string): string {
  return typeof expr === 'string' ? analyze(expr).stripped : '';
}

/**
 * `expr` ready to embed as an operand of a larger expression: comments removed and wrapped in
 * parentheses, or with `onlyIfNeeded`, wrapped only when it is a comparison or set operation
 * (`a or b > 5` would otherwise compare only `b`).
 */
export function promqlOperand(expr: string, onlyIfNeeded = false): string {
  const stripped = stripPromQLComments(expr);
  return onlyIfNeeded && !needsParentheses(stripped) ? stripped : `(${stripped})`;
}

/** Arithmetic binds tighter than comparisons and set operators; only those need the parentheses. */
const LOOSE = new Set(['Eql', 'Neq', 'Lte', 'Lss', 'Gte', 'Gtr', 'And', 'Or', 'Unless']);
const looseness = new Map<string, boolean>();

function needsParentheses(stripped: string): boolean {
  let needed = looseness.get(stripped);
  if (needed !== undefined) return needed;
  const top = parse(stripped).topNode.firstChild;
  needed = false;
  for (let c = top?.name === 'BinaryExpr' ? top.firstChild : null; c; c = c.nextSibling) needed ||= LOOSE.has(c.name);
  looseness.set(stripped, needed);
  return needed;
}

/**
 * The metric names an expression reads (vector selectors with a name, or `{__name__="..."}`).
 * Used by tests that prove every dashboard query reads a metric the platform produces.
 */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const tree = parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(expr.slice(id.from, id.to));
        else {
          const byName = nameMatcher(node.node, expr);
          if (byName) names.add(byName);
        }
      }
    },
  });
  return [...names].sort();
}

function nameMatcher(selector: SyntaxNode, expr: string): string | undefined {
  const text = expr.slice(selector.from, selector.to);
  const m = /__name__\s*=\s*"([^"]+)"/.exec(text);
  return m?.[1];
}

import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { invalid } from './errors.js';
import { goTemplateError } from './go-template.js';
import { unquoteGoString } from './go-string.js';
import { compileRe2, re2Error } from './regex.js';

/** What a LogQL expression must be where it is used. */
export type LogQLKind = 'any' | 'metric' | 'selector';


/**
 * Checks a LogQL expression at construction with Grafana's LogQL grammar
 * (`@grafana/lezer-logql`, the parser of Grafana's Loki query editor), then what Loki checks
 * after parsing: every string decoded with Go's escapes, every regex (`=~`, `!~`, `|~`, `!~`,
 * `| regexp`) compiled as RE2 (`re2js`), `line_format`/`label_format` templates parsed as Go
 * templates, and each stream selector holding a matcher that cannot match the empty string
 * (Loki refuses `{app=~".*"}`). `kind: 'metric'` (ruler rules) requires a metric query,
 * `kind: 'selector'` a bare stream selector. Returns `expr` unchanged.
 */
export function validateLogQL(expr: string, prop = 'expr', kind: LogQLKind = 'any'): string {
  const expected = kind === 'metric' ? 'a LogQL metric query like sum by (app) (rate({namespace="ai"} |= "error" [5m])) > 1'
    : kind === 'selector' ? 'a LogQL stream selector like {namespace="ai-serving"}' : 'a LogQL query like {namespace="ai"} |= "error"';
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw invalid(prop, expr, expected);
  }
  const tree = parser.parse(expr);
  let problem: { at: number; what: string } | undefined;
  tree.iterate({ enter: (ref) => { if (!problem && ref.type.isError) problem = { at: ref.from, what: 'a syntax error' }; } });
  tree.iterate({
    enter: (ref) => {
      if (problem) return false;
      const node = ref.node;
      if (node.name === 'String') problem = checkString(node, expr);
      else if (node.name === 'Matchers' && node.parent?.name !== 'Matchers') problem = checkSelector(node, expr);
      return problem ? false : undefined;
    },
  });
  if (problem) throw invalid(prop, expr, `${expected} (${problem.what} at position ${problem.at})`);
  const top = tree.topNode.getChild('Expr')?.firstChild?.name;
  const selectorOnly = top === 'LogExpr' && tree.topNode.getChild('Expr')!.firstChild!.getChildren('PipelineExpr').length === 0;
  if ((kind === 'metric' && top !== 'MetricExpr') || (kind === 'selector' && !selectorOnly)) {
    throw invalid(prop, expr, expected);
  }
  return expr;
}

function checkString(node: SyntaxNode, expr: string): { at: number; what: string } | undefined {
  const text = expr.slice(node.from, node.to);
  const value = unquoteGoString(text);
  if (value === undefined) return { at: node.from, what: `an invalid string literal ${text}` };
  if (isRegex(node)) {
    const error = re2Error(value);
    if (error) return { at: node.from, what: `a regex RE2 refuses, ${text} (${error})` };
  }
  const before = node.prevSibling?.name;
  const template = node.parent?.name === 'LineFormatExpr' || (node.parent?.name === 'LabelFormatMatcher' && before === 'Eq');
  const error = template ? goTemplateError(value, 'loki') : undefined;
  if (error) return { at: node.from, what: `an invalid Go template ${text} (${error})` };
  return undefined;
}

/** Strings Loki compiles as RE2: after `=~`/`!~`/`|~`, the alternatives of a regex line filter, `| regexp`. */
function isRegex(node: SyntaxNode): boolean {
  const before = node.prevSibling?.name === 'Filter' ? node.prevSibling.firstChild?.name : node.prevSibling?.name;
  if (before === 'Re' || before === 'Nre' || before === 'PipeMatch') return true;
  const parent = node.parent;
  if (parent?.name === 'OrFilter') {
    const op = parent.parent?.getChild('Filter')?.firstChild?.name;
    return op === 'PipeMatch' || op === 'Nre';
  }
  return parent?.name === 'LabelParser' && parent.getChild('Regexp') !== null;
}

/** Loki refuses a selector whose every matcher matches the empty string (`{app=~".*"}`). */
function checkSelector(node: SyntaxNode, expr: string): { at: number; what: string } | undefined {
  const matchers: SyntaxNode[] = [];
  // The grammar nests the list: Matchers -> Matchers "," Matcher.
  for (let list: SyntaxNode | null = node; list; list = list.getChild('Matchers')) matchers.push(...list.getChildren('Matcher'));
  const selects = matchers.some((m) => {
    const op = m.getChild('Eq') ? 'eq' : m.getChild('Re') ? 're' : 'other';
    const value = unquoteGoString(expr.slice(m.getChild('String')?.from ?? 0, m.getChild('String')?.to ?? 0)) ?? '';
    if (op === 'eq') return value !== '';
    return op === 're' && re2Error(value) === undefined && !compileRe2(value).matches('');
  });
  return selects ? undefined : { at: node.from, what: 'a stream selector without a matcher that excludes the empty value (Loki refuses it)' };
}

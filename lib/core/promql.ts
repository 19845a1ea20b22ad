import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode, Tree } from '@lezer/common';
import { ValidationError } from './errors.js';

function parse(expr: string): Tree {
  return parser.parse(expr);
}

/**
 * Checks a PromQL expression with the Prometheus project's own grammar and throws at the
 * first syntax error, naming the prop, the expression and the character position.
 * Semantic checks (types of function arguments) are left to promtool in the test suite.
 */
export function validatePromQL(expr: string, prop = 'expr'): string {
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw new ValidationError(`'${prop}' must be a PromQL expression, got ${JSON.stringify(expr)}`);
  }
  let errorAt = -1;
  parse(expr).iterate({
    enter: (node) => {
      if (errorAt >= 0) return false;
      if (node.type.isError) {
        errorAt = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (errorAt >= 0) {
    const caret = `${expr}\n${' '.repeat(errorAt)}^`;
    throw new ValidationError(
      `'${prop}' must be a valid PromQL expression, got a syntax error at position ${errorAt}:\n${caret}`,
    );
  }
  return expr;
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

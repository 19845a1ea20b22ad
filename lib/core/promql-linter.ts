import type { Tree } from '@lezer/common';
// A named import of a CommonJS module (Node's ESM loader finds `exports.Parser` statically), not
// createRequire: bundlers then include the checker, and the app's code cache covers it.
import { Parser as PromQLChecker } from '@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js';

/**
 * The Prometheus project's own PromQL type checker, run headless.
 *
 * `@prometheus-io/codemirror-promql` carries the checks Prometheus' Go parser makes after
 * parsing (function argument counts and types, range vs instant vectors, binary operator
 * operands, aggregation parameters) in its `Parser` class, which reads a CodeMirror
 * `EditorState`. The package exports it only through its linter extension, so this module is
 * the one place that deep-imports `dist/cjs/parser/parser.js`. The CommonJS build is used on
 * purpose: the ESM build's imports have no file extensions, which Node's ESM loader refuses.
 */
interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly message: string;
  readonly from: number;
  readonly to: number;
}

const Parser = PromQLChecker as unknown as new (state: object) => { analyze(): void; getDiagnostics(): Diagnostic[] };

/**
 * Type errors of `expr` as the Prometheus UI's linter reports them (errors only, sorted by
 * position), checked on `tree`, the complete parse of `expr` by `@prometheus-io/lezer-promql`
 * (the grammar the linter's own language wraps: same node types, same ids).
 *
 * The checker reads only two things of its `EditorState`: the syntax tree, through
 * `syntaxTree(state)` (= `state.field(Language.state).tree`), and the text, through
 * `state.sliceDoc(from, to)`. Building a real state per expression (a document, a facet
 * configuration and a second parse of the same text) cost about three quarters of the check
 * (README, "Performance"), so it gets a view of the tree the caller already parsed, with exactly
 * those two members. test/core/promql-semantics.test.ts holds the checker to promtool.
 */
export function promqlTypeErrors(expr: string, tree: Tree): Diagnostic[] {
  const field = { tree };
  const state = { field: () => field, sliceDoc: (from = 0, to = expr.length) => expr.slice(from, to) };
  const checker = new Parser(state);
  checker.analyze();
  return checker.getDiagnostics().filter((d) => d.severity === 'error');
}

import { createRequire } from 'node:module';

/**
 * The Prometheus project's own PromQL type checker, run headless.
 *
 * `@prometheus-io/codemirror-promql` carries the checks Prometheus' Go parser makes after
 * parsing (function argument counts and types, range vs instant vectors, binary operator
 * operands, aggregation parameters) in its `Parser` class, which reads a CodeMirror
 * `EditorState`. The package exports it only through its linter extension, so this module is
 * the one place that deep-imports `dist/cjs/parser/parser.js`. The CommonJS build is used on
 * purpose: the ESM build's imports have no file extensions, which Node's ESM loader refuses, and
 * the state, language and parser must come from one module system or CodeMirror's facets do not
 * match. Only `@codemirror/state` and `@codemirror/language` are loaded: no view, no DOM.
 */
const require = createRequire(import.meta.url);

interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly message: string;
  readonly from: number;
  readonly to: number;
}
interface EditorStateLike {
  update(spec: object): { state: EditorStateLike };
}

const { EditorState } = require('@codemirror/state') as { EditorState: { create(c: object): EditorStateLike } };
const language = require('@codemirror/language') as {
  LRLanguage: { define(spec: { parser: unknown }): unknown };
  ensureSyntaxTree(state: EditorStateLike, upto: number, timeout: number): unknown;
  syntaxTreeAvailable(state: EditorStateLike, upto?: number): boolean;
};
const { parser } = require('@prometheus-io/lezer-promql') as { parser: unknown };
const { Parser } = require('@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js') as {
  Parser: new (state: EditorStateLike) => { analyze(): void; getDiagnostics(): Diagnostic[] };
};

const promql = language.LRLanguage.define({ parser });

/**
 * Type errors of `expr` as the Prometheus UI's linter reports them (errors only, sorted by
 * position). An editor parses only its viewport within a time budget; here the whole document
 * is parsed first (`ensureSyntaxTree`) and the state updated once so the tree it exposes is the
 * complete one.
 */
export function promqlTypeErrors(expr: string): Diagnostic[] {
  const initial = EditorState.create({ doc: expr, extensions: promql });
  language.ensureSyntaxTree(initial, expr.length, 60_000);
  const state = initial.update({}).state;
  if (!language.syntaxTreeAvailable(state, expr.length)) {
    throw new Error('internal: the PromQL syntax tree is incomplete');
  }
  const checker = new Parser(state);
  checker.analyze();
  return checker.getDiagnostics().filter((d) => d.severity === 'error');
}

// The bundled app's stand-in for `@codemirror/language` where the PromQL type checker of
// `@prometheus-io/codemirror-promql` imports it (scripts/bundle-plugins.mjs). The checker takes
// only `syntaxTree` from it, and lib/core/promql-linter.ts hands the checker a state whose
// `field()` is the parsed tree. The real module brings `@codemirror/view` and `@codemirror/state`
// with it (an editor: 280 kB of the bundle, with style sheets built when it loads), which a
// headless check never uses.
'use strict';
const { Tree } = require('@lezer/common');

/** `syntaxTree` of `@codemirror/language` 6: the tree of the state's language field, or an empty tree. */
exports.syntaxTree = (state) => {
  const field = state.field(undefined, false);
  return field ? field.tree : Tree.empty;
};

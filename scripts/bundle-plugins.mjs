// The esbuild plugins of the bundled apps (scripts/bundle-apps.mjs), shared with the tests that
// hold each stand-in to the module it replaces (test/scripts/).
import * as path from 'node:path';

/** The schema validators' RE2 patterns, compiled on first use (scripts/lazy-re2.cjs). */
const lazyRe2 = {
  name: 'lazy-re2',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes-models\/validate\/runtime\/re2$/ }, () => ({ path: path.resolve('scripts/lazy-re2.cjs') }));
  },
};

/** The PromQL type checker's one import of the CodeMirror editor (scripts/codemirror-syntax-tree.cjs). */
const headlessPromQLChecker = {
  name: 'headless-promql-checker',
  setup(b) {
    b.onResolve({ filter: /^@codemirror\/language$/ }, (args) =>
      (/[\\/]@prometheus-io[\\/]codemirror-promql[\\/]dist[\\/]cjs[\\/]parser[\\/]/.test(args.importer)
        ? { path: path.resolve('scripts/codemirror-syntax-tree.cjs') }
        : undefined));
  },
};

export const bundlePlugins = [lazyRe2, headlessPromQLChecker];

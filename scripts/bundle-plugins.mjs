// The esbuild plugins and options of the bundled apps (scripts/bundle-apps.mjs), shared with the
// tests that hold each stand-in to the module it replaces, and the verdict cache to its contract
// (test/scripts/).
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

/**
 * An app's entry: `appEntry('examples/x/main.ts')` imports scripts/promql-verdict-cache.mjs before
 * the app itself, so the PromQL verdicts of the bundle's earlier runs are installed before the app
 * checks its first expression.
 */
export const appEntry = (file) => `app-entry:${path.resolve(file)}`;

const verdictCacheFirst = {
  name: 'promql-verdict-cache-first',
  setup(b) {
    b.onResolve({ filter: /^app-entry:/ }, (args) => ({ path: args.path.slice('app-entry:'.length), namespace: 'app-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'app-entry' }, (args) => ({
      contents: `import ${JSON.stringify(path.resolve('scripts/promql-verdict-cache.mjs'))};\nimport ${JSON.stringify(args.path)};\n`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** How every app is bundled: one CommonJS file for Node 20, run by scripts/code-cache-launcher.mjs. */
export const appBuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // re2-wasm (used by the schema validators) locates its .wasm file next to its own module.
  external: ['re2-wasm'],
  // The library's ES modules read import.meta.url (for createRequire, and the verdict cache for
  // its file name); in the bundle it is the bundle's own URL.
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [...bundlePlugins, verdictCacheFirst],
};

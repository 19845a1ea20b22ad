// `npm run build:app`: bundles the cdk8s apps (the seed platform, and the benchmark's scaled
// case) into one ES module each under dist-lib/app/. The library is published as separate
// modules; the app is bundled because a cold `cdk8s synth` otherwise spends most of its time
// resolving, reading and compiling the ~850 modules of the schema models, the Grafana SDK and
// the PromQL grammar one by one (README, "Performance"). esbuild compiles the TypeScript
// directly, so no tsc step is needed and the app is never older than its sources.
import { build } from 'esbuild';

await build({
  entryPoints: {
    'seed-platform': 'examples/seed-platform/main.ts',
    'bench-case': 'bench/cold-case.ts',
  },
  outdir: 'dist-lib/app',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  minify: process.env.BUNDLE_MINIFY !== '0', // BUNDLE_MINIFY=0 keeps names readable in a --cpu-prof profile
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // re2-wasm (used by the schema validators) locates its .wasm file next to its own module.
  external: ['re2-wasm'],
  // CommonJS dependencies (cdk8s, yaml, the Grafana SDK) call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

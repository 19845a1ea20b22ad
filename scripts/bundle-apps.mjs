// `npm run build:app`: bundles the cdk8s apps (the seed platform, and the benchmark's scaled
// case) into one CommonJS file each under dist-lib/app/, started by `<app>.mjs`. The library is
// published as separate modules; the app is bundled because a cold `cdk8s synth` otherwise spends
// most of its time resolving, reading and compiling the ~850 modules of the schema models, the
// Grafana SDK and the PromQL grammar one by one (README, "Performance"). The bundle is CommonJS so
// that `<app>.mjs` can run it with a V8 code cache (scripts/code-cache-launcher.mjs): from the
// second run on, the bundle's functions are not compiled again. esbuild compiles the TypeScript
// directly, so no tsc step is needed and the app is never older than its sources.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { bundlePlugins } from './bundle-plugins.mjs';

const outdir = 'dist-lib/app';
const apps = {
  'seed-platform': 'examples/seed-platform/main.ts',
  'bench-case': 'bench/cold-case.ts',
};

fs.mkdirSync(outdir, { recursive: true });
// Caches of earlier bundles would never be read again (their names carry the bundle's size and mtime).
for (const f of fs.readdirSync(outdir)) if (f.endsWith('.v8cache')) fs.rmSync(`${outdir}/${f}`);

await build({
  entryPoints: apps,
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  minify: process.env.BUNDLE_MINIFY !== '0', // BUNDLE_MINIFY=0 keeps names readable in a --cpu-prof profile
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // re2-wasm (used by the schema validators) locates its .wasm file next to its own module.
  external: ['re2-wasm'],
  // The library's ES modules read import.meta.url (for createRequire); in the bundle it is the
  // bundle's own URL.
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  plugins: bundlePlugins,
  logLevel: 'warning',
});

fs.copyFileSync('scripts/code-cache-launcher.mjs', `${outdir}/code-cache-launcher.mjs`);
for (const name of Object.keys(apps)) {
  fs.writeFileSync(`${outdir}/${name}.mjs`, `import { launch } from './code-cache-launcher.mjs';\nlaunch(new URL('./${name}.cjs', import.meta.url));\n`);
}

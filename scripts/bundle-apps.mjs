// `npm run build:app`: bundles the cdk8s apps (the seed platform, and the benchmark's scaled
// case) into one CommonJS file each under dist-lib/app/, started by `<app>.mjs`. The library is
// published as separate modules; the app is bundled because a cold `cdk8s synth` otherwise spends
// most of its time resolving, reading and compiling the ~850 modules of the schema models, the
// Grafana SDK and the PromQL grammar one by one (README, "Performance"). The bundle is CommonJS so
// that `<app>.mjs` can run it with a V8 code cache (scripts/code-cache-launcher.mjs): from the
// second run on, the bundle's functions are not compiled again, and the PromQL verdicts its earlier
// runs reached are kept next to it (scripts/promql-verdict-cache.mjs). esbuild compiles the TypeScript
// directly, so no tsc step is needed and the app is never older than its sources.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { appBuildOptions, appEntry } from './bundle-plugins.mjs';

const outdir = 'dist-lib/app';
const apps = {
  'seed-platform': 'examples/seed-platform/main.ts',
  'bench-case': 'bench/cold-case.ts',
};

fs.mkdirSync(outdir, { recursive: true });
// Caches of earlier bundles would never be read again (their names carry the bundle's size and mtime).
for (const f of fs.readdirSync(outdir)) if (f.endsWith('.v8cache') || f.endsWith('.promql-verdicts.json')) fs.rmSync(`${outdir}/${f}`);

await build({
  ...appBuildOptions,
  entryPoints: Object.fromEntries(Object.entries(apps).map(([name, entry]) => [name, appEntry(entry)])),
  outdir,
  outExtension: { '.js': '.cjs' },
  minify: process.env.BUNDLE_MINIFY !== '0', // BUNDLE_MINIFY=0 keeps names readable in a --cpu-prof profile
  logLevel: 'warning',
});

fs.copyFileSync('scripts/code-cache-launcher.mjs', `${outdir}/code-cache-launcher.mjs`);
for (const name of Object.keys(apps)) {
  fs.writeFileSync(`${outdir}/${name}.mjs`, `import { launch } from './code-cache-launcher.mjs';\nlaunch(new URL('./${name}.cjs', import.meta.url));\n`);
}

// Runs a bundled app (CommonJS, next to this file) with a V8 code cache, so a second `cdk8s synth`
// does not compile the bundle again. Copied into dist-lib/app/ by scripts/bundle-apps.mjs; each
// app's entry (`seed-platform.mjs`, ...) is a one-line call of `launch()`.
//
// Hand-written because Node 20 has no compile cache for the entry script: `module.enableCompileCache()`
// and NODE_COMPILE_CACHE exist only from Node 22.1, and the package supports ^20.19. This is the
// documented `vm.Script` `cachedData` API those are built on. The cache holds the bytecode of every
// function the previous run compiled (it is taken after the run), not results: the app still
// builds, validates and writes everything. V8 refuses a cache made by another V8 version or with
// other flags (`cachedDataRejected`), and the file name carries the bundle's size and mtime, so a
// rebuilt bundle never reads the bytecode of the old one (the build also deletes old caches).
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';

/** Runs the CommonJS bundle `bundleUrl` (a file: URL) as Node would `require` it, with the code cache. */
export function launch(bundleUrl) {
  const file = fileURLToPath(bundleUrl);
  const stat = fs.statSync(file);
  const cacheFile = `${file}.${stat.size}-${Math.trunc(stat.mtimeMs)}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet: this run makes it
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {}, filename: file };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  if (cachedData && !script.cachedDataRejected) return;
  try {
    // Written to a temporary name, then renamed: two concurrent runs never read half a cache.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
  } catch {
    // a read-only checkout only loses the cache
  }
}

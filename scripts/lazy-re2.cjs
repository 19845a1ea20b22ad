// The bundled app's stand-in for `@kubernetes-models/validate/runtime/re2` (scripts/bundle-apps.mjs).
// The prometheus-operator schema validators build their few RE2 patterns (`(?i)` flags, which
// JavaScript's RegExp lacks) when their module loads, and the first `new RE2()` instantiates
// re2-wasm's WebAssembly: 20-50 ms of every cold `cdk8s synth`, although the seed sets none of
// the fields those patterns check. This class is the same engine, created on the first `test()`;
// `test()` is the only method the generated validators call.
'use strict';

class LazyRE2 {
  constructor(pattern, flags) {
    this.pattern = pattern;
    this.flags = flags;
    this.compiled = undefined;
  }

  test(input) {
    if (this.compiled === undefined) {
      const { RE2 } = require('re2-wasm');
      this.compiled = new RE2(this.pattern, this.flags);
    }
    return this.compiled.test(input);
  }
}

// The importer is an ES module of a "type": "module" package: its default import is `module.exports`.
module.exports = LazyRE2;

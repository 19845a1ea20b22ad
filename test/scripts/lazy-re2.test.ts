import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

// scripts/lazy-re2.cjs stands in for `@kubernetes-models/validate/runtime/re2` in the bundled
// apps. The oracle is re2-wasm itself, on the very patterns the prometheus-operator validators
// construct (read from their generated code, so a new pattern upstream is covered too).
const nodeRequire = createRequire(path.resolve('package.json'));
const schemas = path.resolve('node_modules/@kubernetes-models/prometheus-operator/_schemas');
const patterns = [...new Set(fs.readdirSync(schemas).filter((f) => f.endsWith('.js')).flatMap((f) =>
  [...fs.readFileSync(path.join(schemas, f), 'utf8').matchAll(/new func\d+\("((?:[^"\\]|\\.)*)","(\w*)"\)/g)].map((m) => `${JSON.parse(`"${m[1]}"`)}\u0000${m[2]}`)))]
  .map((p) => p.split('\u0000') as [string, string]);
const inputs = ['', 'warn', 'WARN', 'Abort', 'abort ', 'x', 'January', 'march:MAY', '13', '1:12', 'Monday', 'sunday:FRIDAY', 'tuesday', 'funday', 'ab\u00e9'];

describe('lazy RE2 of the bundled apps', () => {
  it('finds the patterns the validators build', () => {
    expect(patterns.length).toBeGreaterThanOrEqual(3);
    expect(patterns.map(([p]) => p)).toContain('^(?i)(abort|warn)?$');
  });

  it('loads re2-wasm only on the first test(), then answers as re2-wasm does', () => {
    // A fresh Node process, so that its module cache shows when re2-wasm is loaded.
    const script = `
      const LazyRE2 = require('./scripts/lazy-re2.cjs');
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('re2-wasm'));
      const patterns = JSON.parse(process.argv[1]), inputs = JSON.parse(process.argv[2]);
      const lazy = patterns.map(([p, f]) => new LazyRE2(p, f));
      const before = loaded();
      const answers = lazy.map((re) => inputs.map((s) => re.test(s)));
      process.stdout.write(JSON.stringify({ before, after: loaded(), answers }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(patterns), JSON.stringify(inputs)], { encoding: 'utf8' }));
    expect(out.before).toBe(false);
    expect(out.after).toBe(true);
    const { RE2 } = nodeRequire('re2-wasm');
    patterns.forEach(([p, f], i) => {
      const eager = new RE2(p, f);
      expect([p, out.answers[i]]).toEqual([p, inputs.map((s) => eager.test(s))]);
    });
    expect(out.answers[patterns.findIndex(([p]) => p === '^(?i)(abort|warn)?$')].slice(1, 3)).toEqual([true, true]);
  });
});

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../support/tools.js';

// scripts/codemirror-syntax-tree.cjs stands in for `@codemirror/language` where the PromQL type
// checker imports it, in the bundled apps. Bundled as the apps are (the same esbuild plugins),
// the checker must still give Prometheus' verdicts: the expectations are hand-written (and held to
// promtool 3.5 by test/core/promql-semantics.test.ts), and the editor must be gone from the bundle.
const CASES: Array<[string, string | undefined]> = [
  ['sum by (job) (rate(x[5m])) > 0.5', undefined],
  ['histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))', undefined],
  ['1 > bool 2', undefined],
  ['rate(up)', 'expected type matrix in call to function "rate", got vector'],
  ['abs(up, up)', 'expected 1 argument(s) in call to "abs", got 2'],
  ['sum(up[5m])', 'expected type vector in aggregation expression, got matrix'],
  ['1 > 2', 'comparisons between scalars must use BOOL modifier'],
  ['{a=""}', 'vector selector must contain at least one non-empty matcher'],
];

describe('headless PromQL checker of the bundled apps', () => {
  it('gives the type checker\'s verdicts without the CodeMirror editor in the bundle', async () => {
    const { bundlePlugins } = await import(path.resolve('scripts/bundle-plugins.mjs'));
    const dir = tmpDir();
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(entry, `import { validatePromQL } from ${JSON.stringify(path.resolve('lib/core/promql.ts'))};
      const out = JSON.parse(process.argv[2]).map((e: string) => { try { validatePromQL(e); return null; } catch (err) { return (err as Error).message; } });
      process.stdout.write(JSON.stringify(out));`);
    const result = await build({
      entryPoints: [entry], outfile: path.join(dir, 'checker.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      define: { 'import.meta.url': '"file:///checker.cjs"' }, plugins: bundlePlugins, metafile: true, logLevel: 'error',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.includes('codemirror-syntax-tree.cjs'))).toBe(true);
    expect(inputs.filter((f) => /@codemirror[\\/](view|state|language)/.test(f))).toEqual([]);
    const verdicts: Array<string | null> = JSON.parse(execFileSync(process.execPath, [path.join(dir, 'checker.cjs'), JSON.stringify(CASES.map(([e]) => e))], { encoding: 'utf8' }));
    CASES.forEach(([expr, error], i) => {
      if (error === undefined) expect([expr, verdicts[i]]).toEqual([expr, null]);
      else expect([expr, verdicts[i]]).toEqual([expr, expect.stringContaining(error)]);
    });
  });
});

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../support/tools.js';

/** Every file under `dir`, relative path -> contents. */
function tree(dir: string, rel = ''): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(rel, e.name);
    return e.isDirectory() ? Object.entries(tree(dir, p)) : [[p, fs.readFileSync(path.join(dir, p), 'utf8')]];
  }));
}

describe('bundled seed app (the app of cdk8s.yaml)', () => {
  it('writes byte for byte what the TypeScript example writes, on its first run and with its caches', () => {
    const env = { ...process.env, NODE_OPTIONS: '' };
    execFileSync(process.execPath, ['scripts/bundle-apps.mjs'], { env, stdio: 'pipe' });
    const [bundled, again, source] = [tmpDir(), tmpDir(), tmpDir()];
    // The first run after the build, then one with its code cache and PromQL verdicts.
    execFileSync(process.execPath, ['dist-lib/app/seed-platform.mjs'], { env: { ...env, CDK8S_OUTDIR: bundled }, stdio: 'pipe' });
    const verdicts = fs.readdirSync('dist-lib/app').filter((f) => f.startsWith('seed-platform.cjs.') && f.endsWith('.promql-verdicts.json'));
    expect(verdicts).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join('dist-lib/app', verdicts[0]), 'utf8')).length).toBeGreaterThan(500);
    execFileSync(process.execPath, ['dist-lib/app/seed-platform.mjs'], { env: { ...env, CDK8S_OUTDIR: again }, stdio: 'pipe' });
    execFileSync(process.execPath, ['--import', 'tsx', 'examples/seed-platform/main.ts'], { env: { ...env, CDK8S_OUTDIR: source }, stdio: 'pipe' });
    const [a, a2, b] = [tree(bundled), tree(again), tree(source)];
    expect(Object.keys(a).sort()).toEqual(['eu-west-1/platform.k8s.yaml', 'us-east-1/platform.k8s.yaml']);
    for (const f of Object.keys(b)) expect([f, a[f] === b[f], a2[f] === b[f]]).toEqual([f, true, true]);
  });
});

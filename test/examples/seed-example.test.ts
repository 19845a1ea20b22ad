import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SEED_REGIONS } from '../../lib/index.js';
import { validateManifest } from '../../lib/core/schema.js';
import { seedObjects } from '../support/seed.js';
import { tmpDir } from '../support/tools.js';

describe('seed example', () => {
  it.each(SEED_REGIONS)('every object of %s matches its upstream schema', (region) => {
    const objects = seedObjects(region);
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) expect(() => validateManifest(o)).not.toThrow();
  });

  it('npm run synth writes YAML only under dist/us-east-1 and dist/eu-west-1', () => {
    const out = tmpDir();
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'examples/seed-platform/main.ts'], {
      env: { ...process.env, CDK8S_OUTDIR: out, NODE_OPTIONS: '' },
      stdio: 'pipe',
    }).toString();
    expect(fs.readdirSync(out).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const region of SEED_REGIONS) {
      const files = fs.readdirSync(path.join(out, region));
      expect(files.length).toBeGreaterThan(0);
      const docs = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, region, f), 'utf8')).map((d) => d.toJS()));
      expect(docs.find((d) => d.kind === 'Prometheus').spec.externalLabels.region).toBe(region);
      // It says what it wrote: each file with its object count.
      for (const f of files) {
        const count = parseAllDocuments(fs.readFileSync(path.join(out, region, f), 'utf8')).length;
        expect(stdout).toContain(`wrote ${path.join(out, region, f)} (${count} objects)`);
      }
    }
  });
});

// The seed platform: one cdk8s App per region, each writing to dist/<region>/.
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEED_REGIONS } from '../../lib/index.js';
import { seedRegion } from './region.js';

const outRoot = process.env.CDK8S_OUTDIR ?? 'dist';

for (const region of SEED_REGIONS) {
  const app = new App({ outdir: path.join(outRoot, region), yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
  seedRegion(chart, region);
  app.synth();
  // Say what was written, so a reviewer knows which files to diff.
  for (const file of fs.readdirSync(app.outdir).sort()) {
    const objects = fs.readFileSync(path.join(app.outdir, file), 'utf8').match(/^kind: /gm)?.length ?? 0;
    console.log(`wrote ${path.join(app.outdir, file)} (${objects} objects)`);
  }
}

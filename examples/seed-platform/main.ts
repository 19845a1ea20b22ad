// The seed platform: one cdk8s App per region, each writing to dist/<region>/.
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as path from 'node:path';
import { MonitoringPlatform, SEED_REGIONS, seedPlatform } from '../../lib/index.js';

const outRoot = process.env.CDK8S_OUTDIR ?? 'dist';

for (const region of SEED_REGIONS) {
  const app = new App({ outdir: path.join(outRoot, region), yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
  new MonitoringPlatform(chart, 'Platform', seedPlatform(region));
  app.synth();
}

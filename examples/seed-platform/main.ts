// The seed platform: one cdk8s App per region, each writing to dist/<region>/. It reads the
// Pulumi stack's configuration (examples/pulumi/Pulumi.seed.yaml, or SEED_STACK_FILE) and
// computes the same bucket names and role ARNs as the Pulumi program, so what is written here
// is what `pulumi up` applies (test/pulumi/synth-equals-apply.test.ts).
import { App, YamlOutputType } from 'cdk8s';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { useFastYamlWriter } from '../../lib/index.js';
import { regionContext } from '../../lib/pulumi/region-context.js';
import { Topology } from '../../lib/topology/index.js';
import { PLATFORM_NAME, synthesizeSeedRegion } from './region.js';

// cdk8s's bytes, written faster (lib/core/fast-yaml.ts).
useFastYamlWriter();

const outRoot = process.env.CDK8S_OUTDIR ?? 'dist';
const stack = parse(fs.readFileSync(process.env.SEED_STACK_FILE ?? 'examples/pulumi/Pulumi.seed.yaml', 'utf8')).config;
const regions = stack['ai-monitoring:regions'];
const topology = new Topology({ regions });

for (const r of regions) {
  const app = new App({ outdir: path.join(outRoot, r.region), yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const ctx = regionContext({
    name: `${PLATFORM_NAME}-${r.region}`, region: r.region, role: r.role, oidcProviderArn: r.oidcProviderArn, bucketPrefix: stack['ai-monitoring:bucketPrefix'],
  });
  synthesizeSeedRegion(ctx, topology, stack['ai-monitoring:monthlyBudget'], app);
  app.synth();
  // Say what was written, so a reviewer knows which files to diff.
  for (const file of fs.readdirSync(app.outdir).sort()) {
    const objects = fs.readFileSync(path.join(app.outdir, file), 'utf8').match(/^kind: /gm)?.length ?? 0;
    console.log(`wrote ${path.join(app.outdir, file)} (${objects} objects)`);
  }
}

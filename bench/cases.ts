// Benchmark cases: the seed platform (both regions) and the same platform with N model services
// added to each region, synthesized and written to disk as `npm run synth` does.
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as path from 'node:path';
import { SEED_REGIONS, useFastYamlWriter } from '../lib/index.js';
import { seedRegion } from '../examples/seed-platform/region.js';

export interface BenchCase {
  readonly name: string;
  /** Model services monitored on top of the seed platform, per region (0 for the seed itself). */
  readonly services: number;
}

export const CASES: BenchCase[] = [
  { name: 'seed platform (2 regions)', services: 0 },
  { name: '1,000 model services', services: 1000 },
  { name: '10,000 model services', services: 10_000 },
];

/** Builds both regions with `services` extra model services and writes them under `outdir`; returns the object count. */
export function synthCase(services: number, outdir: string): number {
  useFastYamlWriter(); // as the seed app does
  let objects = 0;
  for (const region of SEED_REGIONS) {
    const app = new App({ outdir: path.join(outdir, region), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
    const platform = seedRegion(chart, region);
    for (let i = 0; i < services; i++) platform.addModelService(`model-${i}`);
    app.synth();
    objects += chart.node.findAll().filter((c) => ApiObject.isApiObject(c)).length;
  }
  return objects;
}

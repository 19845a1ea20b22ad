// Benchmark cases: the seed platform (both regions) and platforms scaled to N model services.
import { App, Chart } from 'cdk8s';
import { MonitoringPlatform, SEED_REGIONS } from '../lib/index.js';
import { seedRegion } from '../examples/seed-platform/region.js';

export interface BenchCase {
  readonly name: string;
  /** Services monitored on top of the seed platform (0 for the seed itself). */
  readonly services: number;
}

export const CASES: BenchCase[] = [
  { name: 'seed platform (2 regions)', services: 0 },
  { name: '100 model services', services: 100 },
  { name: '1,000 model services', services: 1000 },
  { name: '2,000 model services', services: 2000 },
];

/** Builds the case's charts and synthesizes them to manifests in memory; returns the object count. */
export function buildAndSynth(c: BenchCase): number {
  let objects = 0;
  for (const region of SEED_REGIONS) {
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
    const platform = seedRegion(chart, region);
    addServices(platform, c.services);
    objects += chart.toJson().length;
  }
  return objects;
}

function addServices(platform: MonitoringPlatform, n: number): void {
  for (let i = 0; i < n; i++) platform.addModelService(`model-${i}`);
}

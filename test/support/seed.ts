import { Chart } from 'cdk8s';
import { MonitoringPlatform, SeedRegion } from '../../lib/index.js';
import { seedRegion } from '../../examples/seed-platform/region.js';
import { newChart, synth, Manifest } from './synth.js';

/** The seed example's chart for one region, as examples/seed-platform/main.ts builds it. */
export function seedChart(region: SeedRegion): { chart: Chart; platform: MonitoringPlatform } {
  const chart = newChart();
  const platform = seedRegion(chart, region);
  return { chart, platform };
}

const cache = new Map<SeedRegion, Manifest[]>();

/** The synthesized (schema-validated) manifests of one seed region, built once per test file. */
export function seedObjects(region: SeedRegion): Manifest[] {
  if (!cache.has(region)) cache.set(region, synth(seedChart(region).chart));
  return cache.get(region)!;
}

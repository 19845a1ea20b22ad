// One region of the seed platform: its model-serving workload and the monitoring platform.
// Shared by `npm run synth` (main.ts), the Pulumi program and the tests.
import { Construct } from 'constructs';
import { MonitoringPlatform, SeedOptions, SeedRegion, seedPlatform } from '../../lib/index.js';
import { modelServingWorkload } from './model-serving.js';

export function seedRegion(scope: Construct, region: SeedRegion, options: Omit<SeedOptions, 'modelServing'> = {}): MonitoringPlatform {
  const modelServing = modelServingWorkload(scope);
  return new MonitoringPlatform(scope, 'Platform', seedPlatform(region, { ...options, modelServing }));
}

import type { MonitoringPlatformProps } from '../platform.js';

/** The two regions of seed section 8.2. */
export type SeedRegion = 'us-east-1' | 'eu-west-1';
export const SEED_REGIONS: readonly SeedRegion[] = ['us-east-1', 'eu-west-1'];

/**
 * The specification's values (241116_TECH_MONITORING_INT_v1.0) as platform props for one
 * region. Every value is quoted from the seed; where the seed is changed the README's seed
 * table says why.
 */
export function seedPlatform(region: SeedRegion): MonitoringPlatformProps {
  return {
    metrics: {
      region,
      cluster: `ai-${region}`,
      replicas: 2, // 1.1 mode: distributed -> an HA pair per region
      retention: '30d', // 1.1 retention
      retentionSize: '100GB', // 1.1 storage.retention_size
      scrapeInterval: '15s', // 1.1 scraping.interval
      scrapeTimeout: '10s', // 1.1 scraping.timeout
    },
  };
}

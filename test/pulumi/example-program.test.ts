import * as pulumi from '@pulumi/pulumi';
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { recordResources, value } from './support.js';

// Runs examples/pulumi/index.ts against mocks with the `seed` stack's configuration.
const recorded = recordResources();
const stack = parse(fs.readFileSync('examples/pulumi/Pulumi.seed.yaml', 'utf8')).config;

describe('examples/pulumi (seed stack, mocked)', () => {
  it('builds both regions and exports bucket names', async () => {
    pulumi.runtime.setAllConfig({
      'ai-monitoring:regions': JSON.stringify(stack['ai-monitoring:regions']),
      'ai-monitoring:bucketPrefix': stack['ai-monitoring:bucketPrefix'],
      'ai-monitoring:kubeconfig-us-east-1': 'apiVersion: v1\nkind: Config',
      'ai-monitoring:kubeconfig-eu-west-1': 'apiVersion: v1\nkind: Config',
    }, ['ai-monitoring:kubeconfig-us-east-1', 'ai-monitoring:kubeconfig-eu-west-1']);
    const program = await import('../../examples/pulumi/index.js');
    const buckets = await value(program.buckets);
    expect(buckets['us-east-1'].metrics).toBe('ai-monitoring-example-metrics-us-east-1');
    expect(buckets['eu-west-1'].metricsReplica).toBe('ai-monitoring-example-metrics-replica-eu-west-1');
    await value(program.dashboardUrls);
    // The ConfigGroups register once the manifests are rendered; wait for both.
    const platformGroups = () => recorded.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup' && r.name.endsWith('-platform'));
    for (let i = 0; i < 50 && platformGroups().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(platformGroups().map((g) => g.name).sort()).toEqual(['ai-monitoring-eu-west-1-platform', 'ai-monitoring-us-east-1-platform']);
    for (const g of platformGroups()) expect(g.inputs.objs.some((o: any) => o.kind === 'Prometheus')).toBe(true);
  });
});

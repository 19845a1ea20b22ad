import { App, Chart } from 'cdk8s';
import { SeedRegion } from '../../lib/index.js';
import { seedOptionsFromPulumi, seedRegion } from '../../examples/seed-platform/region.js';
import { GlobalMonitoring, MonitoringRegionArgs, RegionContext } from '../../lib/pulumi/index.js';
import { RegionSpec, Topology } from '../../lib/topology/index.js';
import { providerRegion, recordResources, settle, value } from './support.js';

const recorded = recordResources();

const topology = new Topology({
  regions: (['us-east-1', 'eu-west-1'] as const).map((region, i): RegionSpec => ({
    region,
    role: i === 0 ? 'primary' : 'secondary',
    cidr: `10.${i + 1}0.0.0/16`,
    queryEndpoint: `thanos-query.${region}.monitoring.internal:10901`,
    receiveUrl: `https://thanos-receive.${region}.monitoring.internal/api/v1/receive`,
  })),
});

/** The region's chart as the example builds it. */
function synthesize(ctx: RegionContext): Record<string, unknown>[] {
  const chart = new Chart(new App(), 'platform', { disableResourceNameHashes: true });
  seedRegion(chart, ctx.region as SeedRegion, seedOptionsFromPulumi(ctx, topology));
  return chart.toJson();
}

const regionArgs = (region: string, role: 'primary' | 'secondary'): MonitoringRegionArgs => ({
  region,
  role,
  kubeconfig: `kubeconfig-of-${region}`,
  oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/oidc.eks.${region}.amazonaws.com/id/ABC`,
  manifests: (ctx) => ({ objects: synthesize(ctx), dashboardUrl: `https://ai-monitoring-grafana.${region}.example.com` }),
});

describe('GlobalMonitoring (mocked)', () => {
  const contexts: RegionContext[] = [];
  const global = new GlobalMonitoring('seed', {
    regions: [regionArgs('us-east-1', 'primary'), regionArgs('eu-west-1', 'secondary')].map((r) => ({
      ...r,
      manifests: (ctx: RegionContext) => { contexts.push(ctx); return (r.manifests as any)(ctx); },
    })),
  });
  const ready = settle(...Object.values(global.regions).map((r) => r.manifests), ...global.replications.map((r) => r.config));
  const of = (type: string) => recorded.filter((r) => r.type === type);

  it('creates every AWS resource in its region with that region\'s provider', async () => {
    await ready;
    const buckets = of('aws:s3/bucket:Bucket');
    expect(buckets.map((b) => [b.inputs.bucket, providerRegion(recorded, b)]).sort()).toEqual([
      ['ai-monitoring-logs-eu-west-1', 'eu-west-1'],
      ['ai-monitoring-logs-replica-eu-west-1', 'eu-west-1'],
      ['ai-monitoring-logs-us-east-1', 'us-east-1'],
      ['ai-monitoring-metrics-eu-west-1', 'eu-west-1'],
      ['ai-monitoring-metrics-replica-eu-west-1', 'eu-west-1'],
      ['ai-monitoring-metrics-us-east-1', 'us-east-1'],
    ]);
    for (const type of ['aws:s3/bucketVersioning:BucketVersioning', 'aws:kms/key:Key', 'aws:iam/role:Role']) {
      for (const r of of(type)) expect(['us-east-1', 'eu-west-1']).toContain(providerRegion(recorded, r));
    }
    for (const r of of('aws:s3/bucketReplicationConfig:BucketReplicationConfig')) expect(providerRegion(recorded, r)).toBe('us-east-1');
    expect(of('kubernetes:yaml/v2:ConfigGroup').filter((c) => c.name.endsWith('-platform')).map((c) => c.provider?.split('::')[3]).sort())
      .toEqual(['seed-eu-west-1-k8s', 'seed-us-east-1-k8s']);
    expect(of('pulumi:providers:kubernetes').map((p) => p.inputs.kubeconfig).sort()).toEqual(['kubeconfig-of-eu-west-1', 'kubeconfig-of-us-east-1']);
  });

  it('encrypts with KMS, versions and blocks public access on every bucket', async () => {
    await ready;
    const n = of('aws:s3/bucket:Bucket').length;
    const sse = of('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    expect(sse).toHaveLength(n);
    for (const s of sse) {
      expect(s.inputs.rules[0]).toMatchObject({ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true });
      expect(s.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    }
    const versioning = of('aws:s3/bucketVersioning:BucketVersioning');
    expect(versioning).toHaveLength(n);
    versioning.forEach((v) => expect(v.inputs.versioningConfiguration.status).toBe('Enabled'));
    const pab = of('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    expect(pab).toHaveLength(n);
    pab.forEach((p) => expect(p.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }));
    of('aws:kms/key:Key').forEach((k) => expect(k.inputs.enableKeyRotation).toBe(true));
  });

  it('expires objects at the retention tiers (metrics 365d, logs 30d)', async () => {
    await ready;
    const lifecycle = of('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    const days = Object.fromEntries(lifecycle.map((l) => [l.name, l.inputs.rules[0].expiration.days]));
    expect(days).toEqual({
      'seed-us-east-1-metrics': 365,
      'seed-us-east-1-logs': 30,
      'seed-eu-west-1-metrics': 365,
      'seed-eu-west-1-logs': 30,
      'seed-eu-west-1-metrics-replica': 365,
      'seed-eu-west-1-logs-replica': 30,
    });
    for (const l of lifecycle) {
      expect(l.inputs.rules[0]).toMatchObject({ status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 30 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } });
    }
  });

  it('replicates the primary buckets into the secondary backup buckets, with an IAM role', async () => {
    await ready;
    const configs = of('aws:s3/bucketReplicationConfig:BucketReplicationConfig');
    expect(configs.map((c) => [c.inputs.bucket, c.inputs.rules[0].destination.bucket]).sort()).toEqual([
      ['seed-us-east-1-logs-id', 'arn:aws:s3:::ai-monitoring-logs-replica-eu-west-1'],
      ['seed-us-east-1-metrics-id', 'arn:aws:s3:::ai-monitoring-metrics-replica-eu-west-1'],
    ]);
    for (const c of configs) {
      expect(c.inputs.role).toBe(`arn:aws:iam::123456789012:role/${c.name}`);
      expect(c.inputs.rules[0]).toMatchObject({
        status: 'Enabled',
        deleteMarkerReplication: { status: 'Enabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: { encryptionConfiguration: { replicaKmsKeyId: 'arn:aws:kms:region:123456789012:key/seed-eu-west-1-kms' } },
      });
      const role = recorded.find((r) => r.type === 'aws:iam/role:Role' && r.name === c.name)!;
      expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
    }
  });

  it('trusts only the Thanos and Loki ServiceAccounts through the cluster OIDC provider (IRSA)', async () => {
    await ready;
    const thanos = recorded.find((r) => r.type === 'aws:iam/role:Role' && r.name === 'seed-us-east-1-thanos')!;
    const stmt = JSON.parse(thanos.inputs.assumeRolePolicy).Statement[0];
    expect(stmt.Principal.Federated).toBe('arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC');
    expect(stmt.Condition.StringLike['oidc.eks.us-east-1.amazonaws.com/id/ABC:sub']).toContain('system:serviceaccount:ai-monitoring:thanos-compactor');
    const loki = recorded.find((r) => r.type === 'aws:iam/role:Role' && r.name === 'seed-eu-west-1-loki')!;
    const lokiSubjects: string[] = JSON.parse(loki.inputs.assumeRolePolicy).Statement[0].Condition.StringLike['oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub'];
    // Derived from the chart's ServiceAccounts: Loki's components, nothing else, no wildcard.
    expect(lokiSubjects).toEqual(expect.arrayContaining(['system:serviceaccount:logging:loki-ingester', 'system:serviceaccount:logging:loki-querier']));
    for (const s of lokiSubjects) expect(s).toMatch(/^system:serviceaccount:logging:loki-[a-z-]+$/);
    const policy = JSON.parse(recorded.find((r) => r.type === 'aws:iam/rolePolicy:RolePolicy' && r.name === 'seed-eu-west-1-thanos')!.inputs.policy);
    expect(policy.Statement[0].Resource).toEqual(['arn:aws:s3:::ai-monitoring-metrics-eu-west-1', 'arn:aws:s3:::ai-monitoring-metrics-replica-eu-west-1']);
  });

  it('installs the pinned operators before the platform objects', async () => {
    await ready;
    const files = of('kubernetes:yaml/v2:ConfigGroup').filter((c) => c.inputs.files).map((c) => c.inputs.files[0]);
    expect(files).toContain('https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.86.0/bundle.yaml');
    const k8sProviderOf = (r: { name: string; provider?: string }) => r.provider?.split('::')[3];
    for (const r of [...of('kubernetes:yaml/v2:ConfigGroup'), ...of('kubernetes:helm.sh/v3:Release')]) {
      expect(k8sProviderOf(r)).toBe(`${r.name.match(/^seed-(us-east-1|eu-west-1)/)![0]}-k8s`);
    }
    const releases = of('kubernetes:helm.sh/v3:Release');
    expect(releases.map((r) => `${r.inputs.chart}@${r.inputs.version}`)).toEqual(expect.arrayContaining(['argo-workflows@2.0.1', 'argo-events@2.4.21']));
  });

  it('applies exactly the objects cdk8s synthesizes', async () => {
    await ready;
    for (const ctx of contexts) {
      const group = recorded.find((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup' && r.name === `seed-${ctx.region}-platform`)!;
      expect(group.inputs.objs).toEqual(synthesize(ctx));
    }
    const eu = contexts.find((c) => c.region === 'eu-west-1')!;
    expect(eu).toMatchObject({ role: 'secondary', metricsBucket: 'ai-monitoring-metrics-eu-west-1', metricsReplicaBucket: 'ai-monitoring-metrics-replica-eu-west-1', thanosRoleArn: 'arn:aws:iam::123456789012:role/seed-eu-west-1-thanos' });
    const objs = recorded.find((r) => r.name === 'seed-eu-west-1-platform')!.inputs.objs;
    expect(objs.find((o: any) => o.kind === 'ServiceAccount' && o.metadata.name === 'thanos-store').metadata.annotations)
      .toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/seed-eu-west-1-thanos' });
  });

  it('outputs bucket names and dashboard URLs per region', async () => {
    await ready;
    expect(await value(global.buckets)).toEqual({
      'us-east-1': { metrics: 'ai-monitoring-metrics-us-east-1', logs: 'ai-monitoring-logs-us-east-1' },
      'eu-west-1': {
        metrics: 'ai-monitoring-metrics-eu-west-1', logs: 'ai-monitoring-logs-eu-west-1',
        metricsReplica: 'ai-monitoring-metrics-replica-eu-west-1', logsReplica: 'ai-monitoring-logs-replica-eu-west-1',
      },
    });
    expect(await value(global.dashboardUrls)).toEqual({ 'us-east-1': 'https://ai-monitoring-grafana.us-east-1.example.com', 'eu-west-1': 'https://ai-monitoring-grafana.eu-west-1.example.com' });
  });
});

describe('GlobalMonitoring bad input', () => {
  const us = regionArgs('us-east-1', 'primary');
  const eu = regionArgs('eu-west-1', 'secondary');
  it.each([
    [[us, { ...eu, role: 'primary' }], "'regions' must have exactly one region with role 'primary', got 2"],
    [[{ ...us, role: 'secondary' }, eu], "'regions' must have exactly one region with role 'primary' (secondary us-east-1, eu-west-1 has no primary to replicate), got 0"],
    [[us, { ...eu, region: 'us-east-1' }], "'regions.region' must be unique, got duplicate 'us-east-1'"],
    [[us, { ...eu, kubeconfig: undefined }], "'kubeconfig' must be the kubeconfig of the eu-west-1 cluster (stack secret 'kubeconfig-eu-west-1'), got nothing"],
    [[us, { ...eu, oidcProviderArn: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC' }], "'oidcProviderArn' must be an IAM OIDC provider ARN"],
    [[{ ...us, bucketPrefix: 'AI_Monitoring' }, eu], "'bucketPrefix' must be a Kubernetes name"],
  ])('rejects regions %#', (regions, message) => {
    expect(() => new GlobalMonitoring(`bad-${Math.random().toString(36).slice(2, 8)}`, { regions: regions as MonitoringRegionArgs[] })).toThrow(message);
  });
});

import { MetricsStack } from '../../lib/metrics/metrics-stack.js';
import { LongTermStorage, ObjectStorage, RetentionTiers } from '../../lib/topology/index.js';
import { all, find, newChart, synth } from '../support/synth.js';

const args = (o: any): string[] => o.spec.template.spec.containers[0].args;

describe('LongTermStorage (Thanos)', () => {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const lts = new LongTermStorage(chart, 'Storage', {
    metrics,
    objectStorage: ObjectStorage.s3({ bucket: 'ai-monitoring-metrics-us-east-1', region: 'us-east-1' }),
    roleArn: 'arn:aws:iam::123456789012:role/thanos-us-east-1',
  });
  const objects = synth(chart);

  it('applies the seed tiers on the compactor (raw 7d, 5m 30d for the 1m tier, 1h 365d)', () => {
    const compactor = find(objects, 'StatefulSet', 'thanos-compactor');
    expect(compactor.spec.replicas).toBe(1);
    expect(args(compactor)).toEqual(expect.arrayContaining([
      'compact', '--wait',
      '--retention.resolution-raw=7d', '--retention.resolution-5m=30d', '--retention.resolution-1h=365d',
      '--objstore.config-file=/etc/thanos/objstore/objstore.yml',
    ]));
    expect(args(compactor)).not.toContain('--downsampling.disable');
  });

  it('deduplicates the HA pair on prometheus_replica and queries sidecars and store', () => {
    const query = find(objects, 'Deployment', 'thanos-query');
    expect(args(query)).toEqual(expect.arrayContaining([
      '--query.replica-label=prometheus_replica',
      '--endpoint=dnssrv+_grpc._tcp.prometheus-operated.ai-monitoring.svc.cluster.local',
      '--endpoint=dnssrv+_grpc._tcp.thanos-store.ai-monitoring.svc.cluster.local',
    ]));
    const frontend = find(objects, 'Deployment', 'thanos-query-frontend');
    expect(args(frontend)).toContain('--query-frontend.downstream-url=http://thanos-query.ai-monitoring.svc:10902');
    expect(lts.queryUrl).toBe('http://thanos-query-frontend.ai-monitoring.svc:10902');
  });

  it('configures the sidecar from the objstore Secret, with IRSA and no credentials', () => {
    const prometheus = find(objects, 'Prometheus', 'ai-monitoring');
    expect(prometheus.spec.thanos).toMatchObject({
      image: 'quay.io/thanos/thanos:v0.39.2',
      version: 'v0.39.2',
      objectStorageConfig: { name: 'thanos-objstore', key: 'objstore.yml' },
    });
    const secret = find(objects, 'Secret', 'thanos-objstore');
    expect(secret.stringData['objstore.yml']).toContain('aws_sdk_auth: true');
    expect(secret.stringData['objstore.yml']).not.toMatch(/access_key|secret_key/);
    for (const sa of ['prometheus-ai-monitoring', 'thanos-store', 'thanos-compactor']) {
      expect(find(objects, 'ServiceAccount', sa).metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/thanos-us-east-1' });
    }
    expect(find(objects, 'ServiceAccount', 'thanos-query').metadata.annotations).toBeUndefined();
  });

  it('gives every Thanos workload a NetworkPolicy, PDB when replicated, and a PodMonitor', () => {
    for (const name of ['thanos-store', 'thanos-compactor', 'thanos-query', 'thanos-query-frontend']) {
      expect(find(objects, 'NetworkPolicy', name).spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(find(objects, 'PodMonitor', name)).toBeDefined();
    }
    expect(all(objects, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['thanos-store', 'thanos-query', 'thanos-query-frontend']));
  });

  it('matches the snapshot', () => {
    expect(objects.filter((o) => /thanos/.test(o.metadata.name) || o.kind === 'Prometheus')).toMatchSnapshot();
  });
});

describe('RetentionTiers', () => {
  it('maps the tiers to compactor flags and reports the longest', () => {
    const tiers = RetentionTiers.seed();
    expect(tiers.longestDays).toBe(365);
    expect(new RetentionTiers({ tiers: [{ resolution: 'raw', retention: '30d' }], downsampling: false }).compactorArgs())
      .toEqual(['--retention.resolution-raw=30d', '--downsampling.disable']);
  });

  const tiers = (raw: string, fiveMin: string, oneHour = '365d') => [
    { resolution: 'raw' as const, retention: raw },
    { resolution: '5m' as const, retention: fiveMin },
    { resolution: '1h' as const, retention: oneHour },
  ];
  it.each([
    [{ tiers: tiers('39h', '30d') }, "'tiers.raw' must be at least 40h when downsampling is on"],
    [{ tiers: tiers('7d', '9d') }, "'tiers.5m' must be at least 10d when downsampling is on"],
    [{ tiers: [...tiers('7d', '30d'), { resolution: '1m', retention: '30d' }] }, "'tiers[3].resolution' must be one of raw, 5m or 1h"],
    [{ tiers: [{ resolution: 'raw', retention: '7d' }] }, "'tiers' must give a retention for the 5m resolution"],
    [{ tiers: [...tiers('7d', '30d'), { resolution: 'raw', retention: '8d' }] }, "'tiers.resolution' must be unique, got duplicate 'raw'"],
    [{ tiers: tiers('7 days', '30d') }, "'tiers[0].retention' must be a duration"],
    [{ tiers: tiers('7d', '30d'), downsampling: false }, "'tiers.5m' must be absent when downsampling is disabled"],
  ])('rejects %j', (props, message) => {
    expect(() => new RetentionTiers(props as any)).toThrow(message);
  });
});

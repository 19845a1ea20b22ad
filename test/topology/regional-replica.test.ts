import { MetricsStack } from '../../lib/metrics/metrics-stack.js';
import { ObjectStorage, RegionalReplica, RegionSpec, Topology } from '../../lib/topology/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

const US: RegionSpec = {
  region: 'us-east-1', role: 'primary', cidr: '10.10.0.0/16',
  queryEndpoint: 'thanos-query.us-east-1.monitoring.internal:10901',
  receiveUrl: 'https://thanos-receive.us-east-1.monitoring.internal/api/v1/receive',
};
const EU: RegionSpec = {
  region: 'eu-west-1', role: 'secondary', cidr: '10.20.0.0/16',
  queryEndpoint: 'thanos-query.eu-west-1.monitoring.internal:10901',
  receiveUrl: 'https://thanos-receive.eu-west-1.monitoring.internal/api/v1/receive',
};
const topology = new Topology({ regions: [US, EU] });
const args = (o: any): string[] => o.spec.template.spec.containers[0].args;
const s3 = (bucket: string, region: string) => ObjectStorage.s3({ bucket, region });

function region(name: 'us-east-1' | 'eu-west-1') {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: name });
  const replica = new RegionalReplica(chart, 'Topology', {
    topology,
    region: name,
    metrics,
    objectStorage: s3(`ai-monitoring-metrics-${name}`, name),
    replicaObjectStorage: name === 'eu-west-1' ? s3('ai-monitoring-metrics-replica-eu-west-1', name) : undefined,
  });
  return { replica, objects: synth(chart) };
}

describe('RegionalReplica', () => {
  const primary = region('us-east-1');
  const secondary = region('eu-west-1');

  it('remote-writes only the critical series to the other region (real-time replication)', () => {
    const rw = find(primary.objects, 'Prometheus', 'ai-monitoring').spec.remoteWrite;
    expect(rw).toEqual([{
      name: 'replica-eu-west-1',
      url: EU.receiveUrl,
      writeRelabelConfigs: [{ sourceLabels: ['__name__'], regex: 'ALERTS|ALERTS_FOR_STATE|up|slo:.+', action: 'keep' }],
    }]);
    expect(find(secondary.objects, 'Prometheus', 'ai-monitoring').spec.remoteWrite[0].url).toBe(US.receiveUrl);
    const egress = find(primary.objects, 'NetworkPolicy', 'prometheus-ai-monitoring').spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: EU.cidr } }], ports: [{ port: 443, protocol: 'TCP' }] });
  });

  it('verifies the receivers with a CA and sends a bearer token, both from Secrets', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
    new RegionalReplica(chart, 'Topology', {
      topology, region: 'us-east-1', metrics, objectStorage: s3('bucket-us', 'us-east-1'),
      remoteWriteTls: { caSecret: { name: 'receive-ca', key: 'ca.crt' }, serverName: 'thanos-receive.monitoring.internal' },
      remoteWriteAuth: { bearerTokenSecret: { name: 'receive-token', key: 'token' } },
    });
    const [rw] = find(synth(chart), 'Prometheus', 'ai-monitoring').spec.remoteWrite;
    expect(rw.tlsConfig).toEqual({ ca: { secret: { name: 'receive-ca', key: 'ca.crt' } }, serverName: 'thanos-receive.monitoring.internal' });
    expect(rw.authorization).toEqual({ type: 'Bearer', credentials: { name: 'receive-token', key: 'token' } });
    expect(rw.url).toBe(EU.receiveUrl);
  });

  it('leaves the server name to the URL when only the CA is given', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'eu-west-1' });
    new RegionalReplica(chart, 'Topology', {
      topology, region: 'eu-west-1', metrics, objectStorage: s3('bucket-eu', 'eu-west-1'),
      remoteWriteTls: { caSecret: { name: 'receive-ca', key: 'ca.crt' } },
    });
    const [rw] = find(synth(chart), 'Prometheus', 'ai-monitoring').spec.remoteWrite;
    expect(rw.tlsConfig).toEqual({ ca: { secret: { name: 'receive-ca', key: 'ca.crt' } } });
    expect(rw).not.toHaveProperty('authorization');
  });

  it('gives the primary the global view over both regions', () => {
    const q = args(find(primary.objects, 'Deployment', 'thanos-query'));
    expect(q).toContain(`--endpoint=${EU.queryEndpoint}`);
    expect(q).toEqual(expect.arrayContaining(['--query.replica-label=prometheus_replica', '--query.replica-label=receive_replica']));
    expect(args(find(secondary.objects, 'Deployment', 'thanos-query'))).not.toContain(`--endpoint=${US.queryEndpoint}`);
    // Without crossRegionTls nothing authenticates the primary at the pod: its VPC is not admitted
    // (issue 15); only allowFrom ranges (the load balancer's addresses) are.
    const ingress = find(secondary.objects, 'NetworkPolicy', 'thanos-query').spec.ingress;
    expect(JSON.stringify(ingress)).not.toContain(US.cidr);
    expect(JSON.stringify(find(primary.objects, 'NetworkPolicy', 'thanos-receive').spec.ingress)).not.toContain(EU.cidr);
  });

  it('runs a replicated Thanos Receive in both regions', () => {
    for (const { objects } of [primary, secondary]) {
      const receive = find(objects, 'StatefulSet', 'thanos-receive');
      expect(receive.spec.replicas).toBe(3);
      expect(args(receive)).toEqual(expect.arrayContaining([
        '--receive.replication-factor=3',
        '--label=receive_replica="$(POD_NAME)"',
        '--receive.local-endpoint=$(POD_NAME).thanos-receive.ai-monitoring.svc.cluster.local:10901',
      ]));
      const ring = JSON.parse(find(objects, 'ConfigMap', 'thanos-receive-hashring').data['hashrings.json']);
      expect(ring[0].endpoints).toHaveLength(3);
    }
  });

  it('serves the backup bucket read-only in the secondary (failover)', () => {
    expect(secondary.replica.replicaStore).toBeDefined();
    expect(find(secondary.objects, 'Secret', 'thanos-objstore-replica').stringData['objstore.yml']).toContain('ai-monitoring-metrics-replica-eu-west-1');
    expect(args(find(secondary.objects, 'Deployment', 'thanos-query'))).toContain('--endpoint=dnssrv+_grpc._tcp.thanos-store-replica.ai-monitoring.svc.cluster.local');
    expect(primary.objects.some((o) => o.metadata.name === 'thanos-store-replica')).toBe(false);
  });

  it('admits a load balancer subnet to the cross-region ports', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'eu-west-1' });
    const replica = new RegionalReplica(chart, 'Topology', { topology, region: 'eu-west-1', metrics, objectStorage: s3('bucket-eu', 'eu-west-1') });
    replica.allowFrom('10.20.100.0/24');
    const objects = synth(chart);
    const from = { from: [{ ipBlock: { cidr: '10.20.100.0/24' } }] };
    expect(find(objects, 'NetworkPolicy', 'thanos-query').spec.ingress).toContainEqual({ ...from, ports: [{ port: 10901, protocol: 'TCP' }] });
    expect(find(objects, 'NetworkPolicy', 'thanos-receive').spec.ingress).toContainEqual({ ...from, ports: [{ port: 19291, protocol: 'TCP' }] });
    expect(() => replica.allowFrom('10.20.100.0')).toThrow("'cidr' must be an IPv4 or IPv6 CIDR");
  });

  it('matches the snapshots', () => {
    expect(primary.objects.filter((o) => /thanos-(query|receive)/.test(o.metadata.name))).toMatchSnapshot();
    expect(secondary.objects.filter((o) => /thanos-(query|store-replica)/.test(o.metadata.name))).toMatchSnapshot();
  });
});

describe('Topology and RegionalReplica bad input', () => {
  it.each([
    [[US, { ...EU, role: 'primary' }], "'regions' must have exactly one region with role 'primary', got 2: us-east-1, eu-west-1"],
    [[{ ...US, role: 'secondary' }, EU], "'regions' must have exactly one region with role 'primary' (secondary us-east-1, eu-west-1 has no primary to replicate), got 0"],
    [[EU], "'regions' must have exactly one region with role 'primary' (secondary eu-west-1 has no primary to replicate), got 0"],
    [[US, { ...EU, region: 'us-east-1' }], "'regions.region' must be unique, got duplicate 'us-east-1'"],
    [[US, { ...EU, role: 'standby' }], "'regions[1].role' must be 'primary' or 'secondary', got 'standby'"],
    [[US, { ...EU, cidr: '10.20.0.0' }], "'regions[1].cidr' must be an IPv4 or IPv6 CIDR"],
    [[US, { ...EU, queryEndpoint: 'thanos-query' }], "'regions[1].queryEndpoint' must be a host:port gRPC address"],
    [[US, { ...EU, receiveUrl: 'thanos-receive:19291' }], "'regions[1].receiveUrl' must be an http(s) URL"],
    [[], "'regions' must be a non-empty list of regions"],
  ])('rejects regions %#', (regions, message) => {
    expect(() => new Topology({ regions: regions as RegionSpec[] })).toThrow(message);
  });

  const make = (props: Record<string, unknown>, metricsRegion = 'us-east-1') => () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: metricsRegion });
    new RegionalReplica(chart, 'Topology', { topology, region: 'us-east-1', metrics, objectStorage: s3('bucket-us', 'us-east-1'), ...props });
  };
  it.each([
    [{ region: 'ap-south-1' }, "'region' must be one of us-east-1, eu-west-1, got 'ap-south-1'"],
    [{ replicaObjectStorage: s3('replica', 'us-east-1') }, "'replicaObjectStorage' must be absent in the primary"],
    [{ replicatedSeries: ['up', 'slo:(.+'] }, "'replicatedSeries[1]' must be an RE2 (Go) regular expression (error parsing regexp: missing closing )"],
    [{ replicatedSeries: [] }, "'replicatedSeries' must be a non-empty allow-list"],
    [{ replicatedSeries: ['up(?!_x)'] }, "'replicatedSeries[0]' must be an RE2 (Go) regular expression (error parsing regexp: invalid or unsupported Perl syntax"],
    [{ receiveReplicas: 0 }, "'receiveReplicas' must be an integer between 1 and 100, got 0"],
    [{ remoteWriteTls: { caSecret: { name: 'Bad_Name', key: 'ca.crt' } } }, "'remoteWriteTls.caSecret.name' must be a Kubernetes name"],
    [{ remoteWriteTls: { caSecret: { name: 'receive-ca', key: 'ca crt' } } }, "'remoteWriteTls.caSecret.key' must be a Secret data key"],
    [{ remoteWriteTls: { caSecret: 'BEGIN CERTIFICATE' } }, "'remoteWriteTls.caSecret' must be a reference { name, key } to the Secret key that holds the receivers' CA bundle (never the value itself), got '<inline string, redacted>'"],
    [{ remoteWriteTls: { caSecret: { name: 'receive-ca', key: 'ca.crt' }, serverName: 'https://receive' } }, "'remoteWriteTls.serverName' must be a Kubernetes name"],
    [{ remoteWriteAuth: { bearerTokenSecret: 's3cr3t-token' } }, "'remoteWriteAuth.bearerTokenSecret' must be a reference { name, key } to the Secret key that holds the bearer token (never the value itself), got '<inline string, redacted>'"],
    [{ remoteWriteAuth: {} }, "'remoteWriteAuth.bearerTokenSecret' must be a reference { name, key } to the Secret key that holds the bearer token (never the value itself), got nothing"],
  ])('rejects %j', (props, message) => {
    expect(make(props)).toThrow(message);
  });
  it('rejects a bad bucket name', () => {
    expect(() => s3('Bad_Bucket', 'us-east-1')).toThrow("'bucket' must be an S3 bucket name");
  });
  it('refuses TLS or a token towards a plain-http receiver (ignored TLS, token in clear)', () => {
    const plain = new Topology({ regions: [US, { ...EU, receiveUrl: 'http://thanos-receive.eu-west-1.monitoring.internal/api/v1/receive' }] });
    const message = "'topology.eu-west-1.receiveUrl' must be an https URL when remoteWriteTls, remoteWriteAuth or crossRegionTls is set, got 'http://thanos-receive.eu-west-1.monitoring.internal/<redacted>'";
    expect(make({ topology: plain, remoteWriteAuth: { bearerTokenSecret: { name: 'receive-token', key: 'token' } } })).toThrow(message);
    expect(make({ topology: plain, remoteWriteTls: { caSecret: { name: 'receive-ca', key: 'ca.crt' } } })).toThrow(message);
    expect(make({ topology: plain })).not.toThrow();
  });
  it('rejects a MetricsStack of another region', () => {
    expect(make({}, 'eu-west-1')).toThrow("'metrics.region' must be the replica's region (us-east-1), got 'eu-west-1'");
  });
});

describeWithTool('promtool', 'topology alerts (promtool)', (promtool) => {
  const { replica } = region('us-east-1');
  const groups = replica.storage.rules.renderGroups() as Array<{ name: string; rules: any[] }>;
  const rule = (name: string) => groups.flatMap((g) => g.rules).find((r) => r.alert === name);
  const expected = (name: string, labels: Record<string, string>) => {
    const r = rule(name);
    const fill = (t: string) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l) => labels[l]);
    return {
      exp_labels: { ...labels, ...r.labels },
      exp_annotations: Object.fromEntries(Object.entries(r.annotations as Record<string, string>).map(([k, v]) => [k, fill(v)])),
    };
  };

  it('pass promtool check rules', () => {
    expect(groups.map((g) => g.name)).toEqual(['thanos', 'replication']);
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fire on a halted compactor and on failing replication only', () => {
    const result = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: 'thanos_compact_halted{namespace="monitoring"}', values: '0 0 1x20' },
          { series: 'prometheus_remote_storage_samples_failed_total{remote_name="replica-eu-west-1"}', values: '0+10x40' },
          { series: 'prometheus_remote_storage_samples_failed_total{remote_name="long-term"}', values: '0+10x40' },
        ],
        alert_rule_test: [
          { eval_time: '5m', alertname: 'ThanosCompactHalted', exp_alerts: [] },
          { eval_time: '8m', alertname: 'ThanosCompactHalted', exp_alerts: [expected('ThanosCompactHalted', { namespace: 'monitoring' })] },
          { eval_time: '10m', alertname: 'MetricsReplicationFailing', exp_alerts: [] },
          { eval_time: '25m', alertname: 'MetricsReplicationFailing', exp_alerts: [expected('MetricsReplicationFailing', { remote_name: 'replica-eu-west-1' })] },
        ],
      }],
    });
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

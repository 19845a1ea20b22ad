// Network flows of the seed platform: a flow that one side forgets is silently dropped in a real
// cluster. For both seed regions (and variants of their props) the connections are derived from
// the synthesized objects (platform-connections.ts) and the NetworkPolicies of both sides are
// evaluated for each one (network-policy.ts); pods in namespaces the platform does not create need
// only the platform's side, host-network pods and the API server are reached by ipBlock.
import { GeoIpDatabase, GrafanaDatabase, LogAgent, LokiMode, MonitoringPlatform, MonitoringPlatformProps, SEED_REGIONS, SEED_TOPOLOGY, SeedRegion, seedPlatform } from '../../lib/index.js';
import { GATEWAY_NAMESPACE, modelServingWorkload } from '../../examples/seed-platform/model-serving.js';
import { seedGeoIpDatabase } from '../../examples/seed-platform/region.js';
import { Manifest, newChart, synth } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';
import { Connection, End, NS_LABEL, Pod, PolicySet, gaps, matches, unusedRules } from './network-policy.js';
import { deriveConnections } from './platform-connections.js';

/**
 * Cross-region: another region's connection to this region's internal load balancer lands on its
 * Thanos Query (gRPC) or Receive (remote write), from the other region's CIDR.
 */
function inboundCrossRegion(region: SeedRegion, objects: Manifest[]): Connection[] {
  const self = SEED_TOPOLOGY.regions.find((r) => r.region === region)!;
  const { pods } = deriveConnections(objects);
  const inbound: Connection[] = [];
  for (const other of SEED_TOPOLOGY.regions.filter((r) => r.region !== region)) {
    for (const c of deriveConnections(seedObjects(other.region as SeedRegion)).connections) {
      const target = 'ip' in c.server ? c.server.ip : undefined;
      if (target?.cidr !== self.cidr) continue;
      const [service, portName] = target.host === self.queryEndpoint.split(':')[0] ? ['thanos-query', 'grpc'] : ['thanos-receive', 'remote-write'];
      const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === service);
      for (const p of pods.filter((x) => svc && x.namespace === svc.metadata.namespace && matches({ matchLabels: svc.spec.selector }, x.labels))) {
        inbound.push({ kind: 'cross-region', via: `${other.region} ${c.via}`, client: { ip: { id: `${other.region} (${other.cidr})`, cidr: other.cidr } }, server: { pod: p }, port: p.ports.find((x) => x.name === portName)! });
      }
    }
  }
  return inbound;
}

/**
 * Inference: the example's API gateway (a namespace outside the chart) calls the model server's
 * `http` port. Hand-listed: the gateway is the user's, not an object of the chart.
 */
function inboundInference(pods: Pod[]): Connection[] {
  const gateway: Pod = { id: `${GATEWAY_NAMESPACE}/gateway`, namespace: GATEWAY_NAMESPACE, labels: {}, ports: [], hostNetwork: false };
  return pods.filter((p) => p.namespace === 'ai-serving' && p.labels['app.kubernetes.io/name'] === 'model-serving')
    .map((p) => ({ kind: 'inference', via: 'API gateway (example)', client: { pod: gateway }, server: { pod: p }, port: p.ports.find((x) => x.name === 'http')! }));
}

describe.each(SEED_REGIONS)('network flows, seed platform %s', (region) => {
  const objects = seedObjects(region);
  const { connections, pods, unresolved } = deriveConnections(objects);
  const inbound = [...inboundCrossRegion(region, objects), ...inboundInference(pods)];

  it('derives the connections from the objects, resolving every address', () => {
    expect(unresolved).toEqual([]);
    const kinds = new Set([...connections, ...inbound].map((c) => c.kind));
    for (const kind of ['scrape', 'prometheus alerting', 'prometheus remote write', 'arg --endpoint', 'arg --query-frontend.downstream-url',
      'config ai-monitoring-grafana-datasources', 'env GF_DATABASE_HOST', 'config loki', 'config alloy-logs', 'alertmanager receiver', 'loki ring', 'keda trigger',
      'workflow env', 'env PROMETHEUS_SERVER_ENDPOINT', 'config thanos-receive-hashring', 'object storage', 'event bus', 'kubernetes API', 'dns', 'cross-region']) {
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    }
  });

  it("allows every connection on both sides, the other regions' Thanos traffic included", () => {
    expect(gaps(new PolicySet(objects), [...connections, ...inbound])).toEqual([]);
  });

  it('allows nothing that no connection needs', () => {
    expect(unusedRules(objects, pods, [...connections, ...inbound])).toEqual([]);
  });

  it('authenticates every cross-region connection at the pod with the internal CA (mutual TLS)', () => {
    const cross = inbound.filter((c) => c.kind === 'cross-region');
    expect(cross.length).toBeGreaterThan(0);
    // The flag that makes the server require a client certificate, by port (Thanos v0.39 flags).
    const clientCaFlag: Record<string, string> = { 'remote-write': '--remote-write.server-tls-client-ca=/etc/thanos/tls/ca.crt', grpc: '--grpc-server-tls-client-ca=/etc/thanos/tls/ca.crt' };
    for (const c of cross) {
      const pod = (c.server as { pod: Pod }).pod;
      const workload = objects.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.namespace === pod.namespace && matches({ matchLabels: o.spec.selector.matchLabels }, pod.labels))!;
      const spec = workload.spec.template.spec;
      const id = `${c.via} -> ${pod.id}:${c.port.name}`;
      expect([id, spec.containers[0].args]).toEqual([id, expect.arrayContaining([clientCaFlag[c.port.name!]])]);
      expect([id, spec.volumes.find((v: any) => v.name === 'tls')?.secret?.secretName]).toEqual([id, 'thanos-cross-region-tls']);
    }
    // The clients present a certificate of the same CA: Prometheus' remote write and the Query that dials the other regions.
    for (const rw of objects.find((o) => o.kind === 'Prometheus')!.spec.remoteWrite ?? []) {
      expect(rw.tlsConfig).toEqual({ ca: { secret: { name: 'thanos-cross-region-tls', key: 'ca.crt' } }, cert: { secret: { name: 'thanos-cross-region-tls', key: 'tls.crt' } }, keySecret: { name: 'thanos-cross-region-tls', key: 'tls.key' } });
      expect(rw.url).toMatch(/^https:/);
    }
    const remote = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'thanos-query-remote');
    if (region === SEED_TOPOLOGY.regions.find((r) => r.role === 'primary')!.region) {
      expect(remote!.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--grpc-client-tls-secure', '--grpc-client-tls-cert=/etc/thanos/tls/tls.crt', '--grpc-client-tls-key=/etc/thanos/tls/tls.key', '--grpc-client-tls-ca=/etc/thanos/tls/ca.crt']));
    } else {
      expect(remote).toBeUndefined();
    }
  });

  it('admits no peer region to a cross-region port without mutual TLS', () => {
    const chart = newChart();
    const props = seedPlatform(region, { geoipDatabase: seedGeoIpDatabase() });
    new MonitoringPlatform(chart, 'Platform', { ...props, topology: { ...props.topology!, crossRegionTls: undefined } });
    const policies = synth(chart).filter((o) => o.kind === 'NetworkPolicy' && ['thanos-receive', 'thanos-query'].includes(o.metadata.name));
    for (const other of SEED_TOPOLOGY.regions.filter((r) => r.region !== region)) {
      for (const p of policies) expect([p.metadata.name, JSON.stringify(p.spec.ingress)]).toEqual([p.metadata.name, expect.not.stringContaining(other.cidr)]);
    }
  });
});

describe('network flow check', () => {
  it('reports a removed allow with the client, server, port and missing side', () => {
    const objects: Manifest[] = JSON.parse(JSON.stringify(seedObjects('us-east-1')));
    const am = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'alertmanager-ai-monitoring')!;
    am.spec.ingress = am.spec.ingress.filter((r: any) => !r.from.some((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'ai-monitoring-grafana'));
    const grafana = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ai-monitoring-grafana')!;
    grafana.spec.egress = grafana.spec.egress.filter((r: any) => !r.to.some((t: any) => t.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'loki-query-frontend'));
    const found = gaps(new PolicySet(objects), deriveConnections(objects).connections);
    expect(found).toEqual([
      expect.stringMatching(/^Deployment ai-monitoring\/ai-monitoring-grafana -> Alertmanager ai-monitoring\/ai-monitoring 9093\/TCP \(web\): missing ingress \(config ai-monitoring-grafana-datasources: /),
      expect.stringMatching(/^Deployment ai-monitoring\/ai-monitoring-grafana -> Deployment logging\/loki-query-frontend 3100\/TCP \(http\): missing egress \(config ai-monitoring-grafana-datasources: /),
    ]);
  });

  it('evaluates named ports, namespace selectors and ipBlocks', () => {
    const policy = (spec: any): Manifest => ({ kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { podSelector: { matchLabels: { app: 's' } }, policyTypes: ['Ingress', 'Egress'], ...spec } });
    const server: Pod = { id: 's', namespace: 'a', labels: { app: 's' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], hostNetwork: false };
    const client: End = { pod: { id: 'c', namespace: 'b', labels: { app: 'c' }, ports: [], hostNetwork: false } };
    const http = server.ports[0];
    const allows = (spec: any, from: End = client) => new PolicySet([policy(spec)]).allows('Ingress', server, from, http);
    expect(allows({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'b' } } }], ports: [{ port: 'http' }] }] })).toBe(true);
    expect(allows({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'c' } } }] }] })).toBe(false); // same namespace only
    expect(allows({ ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9090 }] }] })).toBe(false);
    expect(allows({ ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080, protocol: 'UDP' }] }] })).toBe(false);
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }, { ip: { id: 'r', cidr: '10.20.0.0/16' } })).toBe(true);
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '10.10.0.0/16' } }] }] }, { ip: { id: 'r', cidr: '10.20.0.0/16' } })).toBe(false);
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })).toBe(false); // pods are not matched by ipBlock
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }, { ip: { id: 'internet' } })).toBe(true);
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }, { ip: { id: 'internet' } })).toBe(false); // an unknown address may be anywhere
    expect(new PolicySet([]).allows('Ingress', server, client, http)).toBe(true); // not isolated
  });
});

/**
 * The seed platform with other choices of the same props: each wiring path must stay closed too.
 * A variant may name what is for parts that others run (unresolved addresses, allows).
 */
const VARIANTS: Array<[string, (p: MonitoringPlatformProps) => MonitoringPlatformProps, RegExp[]?]> = [
  ['without the Thanos topology', (p) => ({ ...p, topology: undefined })],
  ['Loki single binary with Promtail', (p) => ({ ...p, logging: { ...p.logging!, mode: LokiMode.singleBinary(), agent: LogAgent.promtail(),
    // Promtail's geoip stage has no country type: the city database.
    geoipDatabase: GeoIpDatabase.fromVolume({ volume: { name: 'geoip', hostPath: { path: '/var/lib/geoip', type: 'Directory' } } }) } })],
  ['one Grafana on SQLite', (p) => ({ ...p, grafana: { replicas: 1, database: GrafanaDatabase.sqlite() } })],
  // IncidentResponse then talks to an Alertmanager someone else runs in the metrics namespace (its
  // documented default, prometheus-operator's alertmanager-operated), who also admits it there.
  ['without Alertmanager', (p) => ({ ...p, alerting: undefined }), [
    /no pods behind ai-monitoring\/alertmanager-operated/, /^incident-response\/alertmanager-eventsource ingress/, /^incident-response\/remediation egress\[1\]/,
  ]],
  ['with its own namespaces', (p) => ({ ...p, metrics: { ...p.metrics, namespace: 'prom', agentNamespace: 'prom-agents' }, alerting: { ...p.alerting!, namespace: 'alerting' }, logging: { ...p.logging!, namespace: 'loki' }, grafana: { ...p.grafana, namespace: 'grafana' }, response: p.response && { ...p.response, namespace: 'remediation' } })],
];

describe.each(VARIANTS)('network flows, seed platform %s', (_name, change, forOthers = []) => {
  const chart = newChart();
  const modelServing = modelServingWorkload(chart);
  new MonitoringPlatform(chart, 'Platform', change(seedPlatform('us-east-1', { modelServing, geoipDatabase: seedGeoIpDatabase() })));
  const objects = synth(chart);
  const { connections, pods, unresolved } = deriveConnections(objects);
  const all = [...connections, ...inboundCrossRegion('us-east-1', objects), ...inboundInference(pods)];

  it('allows every connection on both sides, and nothing else', () => {
    const mine = (found: string[]) => found.filter((f) => !forOthers.some((re) => re.test(f)));
    expect(mine(unresolved)).toEqual([]);
    expect(gaps(new PolicySet(objects), all)).toEqual([]);
    expect(mine(unusedRules(objects, pods, all))).toEqual([]);
  });
});

// Network flows of the seed platform: a flow that one side forgets is silently dropped in a real
// cluster. For both seed regions (and variants of their props) the connections are derived from
// the synthesized objects (platform-connections.ts) and the NetworkPolicies of both sides are
// evaluated for each one (network-policy.ts); pods in namespaces the platform does not create need
// only the platform's side, host-network pods and the API server are reached by ipBlock.
import { GrafanaDatabase, LogAgent, LokiMode, MonitoringPlatform, MonitoringPlatformProps, SEED_REGIONS, SEED_TOPOLOGY, SeedRegion, seedPlatform } from '../../lib/index.js';
import { modelServingWorkload } from '../../examples/seed-platform/model-serving.js';
import { Manifest, newChart, synth } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';
import { PolicySet, End, NS_LABEL, Pod, gaps, matches, portId } from './network-policy.js';
import { deriveConnections } from './platform-connections.js';

/**
 * Cross-region: a connection to another region's internal load balancer lands on that region's
 * Thanos Query (gRPC) or Receive (remote write), which must admit the caller's CIDR.
 */
function crossRegionGaps(region: SeedRegion): string[] {
  const out: string[] = [];
  const self = SEED_TOPOLOGY.regions.find((r) => r.region === region)!;
  const { connections } = deriveConnections(seedObjects(region));
  for (const c of connections) {
    const target = 'ip' in c.server ? c.server.ip : undefined;
    if (!target?.cidr) continue;
    const peer = SEED_TOPOLOGY.regions.find((r) => r.cidr === target.cidr)!;
    const [service, portName] = target.host === peer.queryEndpoint.split(':')[0] ? ['thanos-query', 'grpc'] : ['thanos-receive', 'remote-write'];
    const objects = seedObjects(peer.region as SeedRegion);
    const { pods } = deriveConnections(objects);
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === service)!;
    const cluster = new PolicySet(objects);
    for (const p of pods.filter((x) => x.namespace === svc.metadata.namespace && matches({ matchLabels: svc.spec.selector }, x.labels))) {
      const port = p.ports.find((x) => x.name === portName)!;
      if (!cluster.allows('Ingress', p, { ip: { id: region, cidr: self.cidr } }, port)) out.push(`${region} (${self.cidr}) -> ${peer.region} ${p.id} ${portId(port)}: missing ingress (${c.kind}: ${c.via})`);
    }
  }
  return out;
}

describe.each(SEED_REGIONS)('network flows, seed platform %s', (region) => {
  const objects = seedObjects(region);
  const { connections, unresolved } = deriveConnections(objects);

  it('derives the connections from the objects, resolving every address', () => {
    expect(unresolved).toEqual([]);
    const kinds = new Set(connections.map((c) => c.kind));
    for (const kind of ['scrape', 'prometheus alerting', 'prometheus remote write', 'arg --endpoint', 'arg --query-frontend.downstream-url',
      'config grafana-datasources', 'env GF_DATABASE_HOST', 'config loki', 'config alloy-logs', 'alertmanager receiver', 'loki ring', 'keda trigger',
      'workflow env', 'env PROMETHEUS_SERVER_ENDPOINT', 'config thanos-receive-hashring', 'object storage', 'event bus', 'kubernetes API', 'dns']) {
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    }
  });

  it('allows every connection on both sides', () => {
    expect(gaps(new PolicySet(objects), connections)).toEqual([]);
  });

  it("admits the other regions' Thanos traffic", () => {
    expect(crossRegionGaps(region)).toEqual([]);
  });
});

describe('network flow check', () => {
  it('reports a removed allow with the client, server, port and missing side', () => {
    const objects: Manifest[] = JSON.parse(JSON.stringify(seedObjects('us-east-1')));
    const am = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'alertmanager-main')!;
    am.spec.ingress = am.spec.ingress.filter((r: any) => !r.from.some((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'grafana'));
    const grafana = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'grafana')!;
    grafana.spec.egress = grafana.spec.egress.filter((r: any) => !r.to.some((t: any) => t.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'loki-query-frontend'));
    const found = gaps(new PolicySet(objects), deriveConnections(objects).connections);
    expect(found).toEqual([
      expect.stringMatching(/^Deployment monitoring\/grafana -> Alertmanager monitoring\/main 9093\/TCP \(web\): missing ingress \(config grafana-datasources: /),
      expect.stringMatching(/^Deployment monitoring\/grafana -> Deployment logging\/loki-query-frontend 3100\/TCP \(http\): missing egress \(config grafana-datasources: /),
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

/** The seed platform with other choices of the same props: each wiring path must stay closed too. */
const VARIANTS: Array<[string, (p: MonitoringPlatformProps) => MonitoringPlatformProps]> = [
  ['without the Thanos topology', (p) => ({ ...p, topology: undefined })],
  ['Loki single binary with Promtail', (p) => ({ ...p, logging: { ...p.logging!, mode: LokiMode.singleBinary(), agent: LogAgent.promtail() } })],
  ['one Grafana on SQLite', (p) => ({ ...p, grafana: { replicas: 1, database: GrafanaDatabase.sqlite() } })],
  ['without Alertmanager', (p) => ({ ...p, alerting: undefined })],
  ['with its own namespaces', (p) => ({ ...p, metrics: { ...p.metrics, namespace: 'prom', agentNamespace: 'prom-agents' }, alerting: { ...p.alerting!, namespace: 'alerting' }, logging: { ...p.logging!, namespace: 'loki' }, grafana: { ...p.grafana, namespace: 'grafana' }, response: p.response && { ...p.response, namespace: 'remediation' } })],
];

describe.each(VARIANTS)('network flows, seed platform %s', (_name, change) => {
  const chart = newChart();
  const modelServing = modelServingWorkload(chart);
  new MonitoringPlatform(chart, 'Platform', change(seedPlatform('us-east-1', { modelServing })));
  const objects = synth(chart);
  const { connections, unresolved } = deriveConnections(objects);

  it('allows every connection on both sides', () => {
    // Without an Alertmanager of its own, IncidentResponse escalates to one deployed elsewhere
    // (its documented default, prometheus-operator's alertmanager-operated): nothing to resolve.
    expect(unresolved.filter((u) => !u.includes('no pods behind monitoring/alertmanager-operated'))).toEqual([]);
    expect(gaps(new PolicySet(objects), connections)).toEqual([]);
  });
});

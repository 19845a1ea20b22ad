// Issue 15: NetworkPolicies that cannot fail open, privilege raising only where node agents are
// declared, host paths limited to what agents read, and upper bounds on the counts that generate
// objects. Each case is an input that was accepted before (and rendered `from: []`, mounted the
// host root, or ran Node out of memory).
import { MetricsStack } from '../../lib/metrics/index.js';
import { NetworkPeer, PlatformNamespace, RuleSet, ValidationError, Workload, WorkloadProps } from '../../lib/core/index.js';
import { Receiver } from '../../lib/alerting/index.js';
import { Topology } from '../../lib/topology/index.js';
import { EU, US, gpu, replica, routing } from '../bad-input/fixtures.js';
import { find, newChart, synth } from '../support/synth.js';

const container = { name: 'agent', image: 'registry.example.com/agent:v1.0.0', resources: { cpu: '100m', memory: '64Mi' }, ports: [{ name: 'http', containerPort: 8080 }] };
const build = (props: Partial<WorkloadProps>, declareAgents = false) => () => {
  const chart = newChart();
  if (declareAgents) new PlatformNamespace(chart, 'Agents', { name: 'agents', podSecurity: 'privileged', podSecurityReason: 'node agents read host files' });
  const w = new Workload(chart, 'W', { name: 'agent', namespace: 'apps', kind: 'DaemonSet', containers: [container], ...props } as WorkloadProps);
  return { chart, w };
};

describe('NetworkPolicies cannot fail open', () => {
  it('refuses an empty peer list, at construction and when a flow is added later', () => {
    expect(build({ ingressFrom: [{ peers: [] }] })).toThrow("'agent.ingress[0].peers' must be a non-empty list of NetworkPeers (an empty list admits every source or destination), got []");
    expect(build({ egressTo: [{ peers: [] }] })).toThrow(/'agent\.egress\[0\]\.peers' must be a non-empty list/);
    const { w } = build({})();
    expect(() => w.allowIngress({ peers: [] })).toThrow(ValidationError);
    const m = new MetricsStack(newChart(), 'M', { region: 'us-east-1' });
    expect(() => m.allowEgress({ peers: [], ports: [9093] })).toThrow(/'prometheus\.egress\[\d+\]\.peers' must be a non-empty list/);
    expect(() => m.allowIngress({ peers: [] })).toThrow(/'prometheus\.ingress\[\d+\]\.peers' must be a non-empty list/);
  });

  it('refuses a flow pushed into the arrays behind the API at synthesis', () => {
    const { chart, w } = build({})();
    (w as any).egress.push({ peers: [] });
    expect(() => synth(chart)).toThrow(/'agent\.egress\[0\]\.peers' must be a non-empty list/);
  });

  it('refuses an empty selector where a selector is required (a scraper reference without podLabels)', () => {
    expect(() => NetworkPeer.of({ namespace: 'monitoring' } as any)).toThrow("'peer.podLabels' must be a non-empty map of pod labels (an empty selector would admit every pod), got nothing");
    expect(() => NetworkPeer.of({ namespace: 'monitoring', podLabels: {} })).toThrow(/'peer\.podLabels' must be a non-empty map/);
    expect(() => NetworkPeer.pods({})).toThrow(/'peer\.podLabels' must be a non-empty map/);
    expect(() => gpu({ scraper: { namespace: 'monitoring', agentNamespace: 'agents' } })()).toThrow(/'peer\.podLabels' must be a non-empty map/);
  });

  it.each(['bogus', '10.0.0.0', '10.0.0.0/33', '300.1.2.3/8', '10.0.0.0/08', 'fd00::/129', 'fd00::zz/8', 'fe80::1%eth0/64', ' 10.0.0.0/8', '10.0.0.0/8 '])('refuses the CIDR %j', (cidr) => {
    expect(() => NetworkPeer.cidr(cidr)).toThrow(`'peer.cidr' must be an IPv4 or IPv6 CIDR like 10.0.0.0/16 or fd00::/8, got '${cidr}'`);
  });

  it('accepts IPv4 and IPv6 ranges; admits everyone only through anywhere(reason), written into the policy', () => {
    expect(NetworkPeer.cidr('10.0.0.0/8').peer).toEqual({ ipBlock: { cidr: '10.0.0.0/8' } });
    expect(NetworkPeer.cidr('fd00::/8', ['fd00::/16']).peer).toEqual({ ipBlock: { cidr: 'fd00::/8', except: ['fd00::/16'] } });
    expect(() => NetworkPeer.cidr('0.0.0.0/0')).toThrow(/use NetworkPeer\.anywhere\(reason\)/);
    expect(() => NetworkPeer.cidr('10.0.0.0/8', ['nope'])).toThrow(/'peer\.except\[0\]' must be an IPv4 or IPv6 CIDR/);
    expect(() => NetworkPeer.anywhere('')).toThrow(/'peer\.reason' must be the reason/);
    expect(() => NetworkPeer.allPods(undefined as any)).toThrow(/'peer\.reason' must be the reason/);
    const { chart } = build({ egressTo: [{ peers: [NetworkPeer.anywhere('the vendor API has no fixed range')], ports: [443] }] })();
    const policy = find(synth(chart), 'NetworkPolicy', 'agent');
    expect(JSON.parse(policy.metadata.annotations['monitoring.aeon-nova.io/open-rules'])).toEqual({ 'egress[0]': 'the vendor API has no fixed range' });
  });
});

describe('privilege-raising overrides only in the declared node-agent namespace', () => {
  const raising: Array<[string, Partial<WorkloadProps>, RegExp]> = [
    ['hostPID', { hostPID: true }, /^'hostPID' must be unset in namespace 'apps': the host PID namespace is allowed only in the namespace declared for node agents/],
    ['hostNetwork', { hostNetwork: true }, /^'hostNetwork' must be unset in namespace 'apps'/],
    ['uid 0 for the pod', { podSecurityContext: { runAsUser: 0, runAsNonRoot: false } }, /^'podSecurityContext' must be unset in namespace 'apps': root/],
    ['uid 0 for a container', { containers: [{ ...container, securityContext: { runAsUser: 0 } }] }, /^'containers\.agent\.securityContext' must be unset in namespace 'apps': root/],
    ['an added capability', { containers: [{ ...container, securityContext: { capabilities: { add: ['NET_ADMIN'] } } }] }, /^'containers\.agent\.securityContext\.capabilities\.add' must be unset in namespace 'apps': the capabilities NET_ADMIN/],
    ['a hostPath', { volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [{ ...container, volumeMounts: [{ name: 'root', mountPath: '/host', readOnly: true }] }] }, /^'volumes\[0\]\.hostPath' must be unset in namespace 'apps': the host path \//],
  ];

  it.each(raising)('refuses %s in a restricted namespace, with the reason', (_name, props, message) => {
    expect(build(props)).toThrow(message);
  });

  it.each(raising)('accepts %s in the node-agent namespace', (_name, props) => {
    expect(build({ ...props, namespace: 'agents' }, true)).not.toThrow();
  });

  it('refuses privileged containers and privilege escalation everywhere, node agents included', () => {
    expect(build({ namespace: 'agents', containers: [{ ...container, securityContext: { privileged: true } }] }, true)).toThrow(/^'containers\.agent\.securityContext\.privileged' must be unset: a privileged container owns the node/);
    expect(build({ namespace: 'agents', containers: [{ ...container, securityContext: { allowPrivilegeEscalation: true } }] }, true)).toThrow(/allowPrivilegeEscalation' must be unset/);
    expect(build({ namespace: 'agents', hostIPC: true } as any, true)).toThrow(/^'hostIPC' must be unset/);
  });

  it('restricts host paths to normalised, read-only mounts; GpuMonitor mounts only pod-resources', () => {
    const mount = (path: string, readOnly = true) => ({ namespace: 'agents', volumes: [{ name: 'h', hostPath: { path } }], containers: [{ ...container, volumeMounts: [{ name: 'h', mountPath: '/host', readOnly }] }] });
    expect(build(mount('/var/log', false), true)).toThrow("'volumes[0].hostPath' must be mounted read-only by every container (node agents only read the host; only an agent's own state directory /var/lib/ai-monitoring/<agent> may be written), got '/var/log'");
    expect(build(mount('/var/log/../../etc'), true)).toThrow(/'volumes\[0\]\.hostPath\.path' must be a normalised absolute host path/);
    expect(build(mount('/var//log'), true)).toThrow(/'volumes\[0\]\.hostPath\.path' must be a normalised absolute host path/);
    expect(gpu({ podResourcesPath: '/' })).toThrow(/^'podResourcesPath' must be the kubelet's pod-resources directory/);
    expect(gpu({ podResourcesPath: '/var/lib/kubelet/../../../pod-resources' })).toThrow(/^'podResourcesPath' must be/);
    expect(gpu({ podResourcesPath: '/var/lib/k0s/kubelet/pod-resources' })).not.toThrow();
  });
});

describe('upper bounds on the counts that generate objects', () => {
  it('fails fast on RegionalReplica receiveReplicas 1e9, with the bound', () => {
    const started = Date.now();
    expect(replica({ receiveReplicas: 1e9 })).toThrow("'receiveReplicas' must be an integer between 1 and 100, got 1000000000");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['Workload replicas', () => new Workload(newChart(), 'W', { name: 'w', namespace: 'apps', kind: 'Deployment', replicas: 1e9, containers: [container] }), "'replicas' must be an integer between 1 and 100"],
    ['MetricsStack replicas', () => new MetricsStack(newChart(), 'M', { region: 'us-east-1', replicas: 1e6 }), "'replicas' must be an integer between 1 and 100"],
    ['Workload containers', () => new Workload(newChart(), 'W', { name: 'w', namespace: 'apps', kind: 'Deployment', containers: Array.from({ length: 11 }, (_, i) => ({ ...container, name: `c${i}` })) }), "'containers' must be at most 10 containers"],
    ['terminationGracePeriodSeconds', () => new Workload(newChart(), 'W', { name: 'w', namespace: 'apps', kind: 'Deployment', containers: [container], terminationGracePeriodSeconds: 1e9 }), 'an integer between 0 and 3600'],
    ['Topology regions', () => new Topology({ regions: [US, ...Array.from({ length: 10 }, (_, i) => ({ ...EU, region: `eu-${i}` }))] }), "'regions' must be at most 10 regions, got '11 regions'"],
    ['replicatedSeries', () => replica({ replicatedSeries: Array.from({ length: 201 }, (_, i) => `metric_${i}`) })(), "'replicatedSeries' must be at most 200 metric-name regexes"],
  ])('bounds %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  it('bounds the rules of a rule set and the receivers of the routing', () => {
    const rules = new RuleSet(newChart(), 'R', { name: 'r', namespace: 'monitoring' });
    for (let i = 0; i < RuleSet.MAX_RULES; i++) rules.addRecord('g', { record: `r:m${i}`, expr: 'up' });
    expect(() => rules.addRecord('g', { record: 'r:one_more', expr: 'up' })).toThrow("'rules' must be at most 2000 rules in rule set 'r' (split them over several), got '2001 rules'");
    const receivers = Array.from({ length: 101 }, (_, i) => Receiver.none(`r${i}`));
    expect(() => routing({ receivers })).toThrow("'receivers' must be at most 100 receivers, got '101 receivers'");
  });
});

// Network flows of the seed platform (issue: a flow that one side forgets is silently dropped).
// For both seed regions the test derives the platform's connections FROM THE SYNTHESIZED OBJECTS
// (monitors, the Prometheus CR, every in-cluster address in a pod's env, args and mounted
// configs) and evaluates the NetworkPolicies on both sides of each one. What the objects cannot
// say (pods and Services that operators create, ring-discovered Loki peers, the API server) is
// in the small tables below, each with the reason.
import { parse } from 'yaml';
import { GrafanaDatabase, LogAgent, LokiMode, MonitoringPlatform, MonitoringPlatformProps, SEED_REGIONS, SEED_TOPOLOGY, SeedRegion, seedPlatform } from '../../lib/index.js';
import { modelServingWorkload } from '../../examples/seed-platform/model-serving.js';
import { Manifest, newChart, synth } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';

type Labels = Record<string, string>;
interface Selector { matchLabels?: Labels; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }
interface PortDef { name?: string; port?: number; protocol: 'TCP' | 'UDP' }
interface Pod { id: string; namespace: string; labels: Labels; ports: PortDef[]; hostNetwork: boolean; target?: string }
/** An address outside the pod network: API server, host-network pods, other regions, the internet. */
interface Ip { id: string; cidr?: string; host?: string }
type End = { pod: Pod } | { ip: Ip };
interface Connection { kind: string; via: string; client: End; server: End; port: PortDef }
interface Service { namespace: string; name: string; selector?: Labels; hostNetwork?: boolean; ports: Array<{ name: string; port: number; targetPort: number | string; protocol: 'TCP' | 'UDP' }> }

const NS_LABEL = 'kubernetes.io/metadata.name';
const API_SERVER: Ip = { id: 'kubernetes API server' };

// ---- Operator conventions: pods and Services created at runtime from the CRs -------------------

/** Pods the operators run for a CR (labels and ports are the operators' documented conventions). */
function operatorPods(o: Manifest): Pod[] {
  const ns = o.metadata.namespace;
  const name = o.metadata.name;
  const pod = (id: string, labels: Labels, ports: PortDef[] = []): Pod => ({ id, namespace: ns, labels, ports, hostNetwork: false });
  switch (o.kind) {
    case 'Prometheus': // prometheus-operator: prometheus, config-reloader and the Thanos sidecar
      return [pod(`Prometheus ${ns}/${name}`, { ...o.spec.podMetadata?.labels, 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': name, 'operator.prometheus.io/name': name, prometheus: name }, [
        { name: 'web', port: 9090, protocol: 'TCP' }, { name: 'reloader-web', port: 8080, protocol: 'TCP' },
        ...(o.spec.thanos ? [{ name: 'grpc', port: 10901, protocol: 'TCP' as const }, { name: 'http', port: 10902, protocol: 'TCP' as const }] : []),
      ])];
    case 'Alertmanager':
      return [pod(`Alertmanager ${ns}/${name}`, { ...o.spec.podMetadata?.labels, 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': name, alertmanager: name }, [
        { name: 'web', port: 9093, protocol: 'TCP' }, { name: 'mesh-tcp', port: 9094, protocol: 'TCP' }, { name: 'mesh-udp', port: 9094, protocol: 'UDP' }, { name: 'reloader-web', port: 8080, protocol: 'TCP' },
      ])];
    case 'EventSource': // Argo Events
      return [pod(`EventSource ${ns}/${name}`, { 'eventsource-name': name, controller: 'eventsource-controller' },
        (o.spec.service?.ports ?? []).map((p: any) => ({ port: Number(p.targetPort ?? p.port), protocol: 'TCP' as const })))];
    case 'Sensor':
      return [pod(`Sensor ${ns}/${name}`, { 'sensor-name': name, controller: 'sensor-controller' })];
    case 'EventBus': // JetStream: client 4222, cluster routes 6222, monitoring 8222
      return [pod(`EventBus ${ns}/${name}`, { 'eventbus-name': name, controller: 'eventbus-controller' }, [
        { name: 'client', port: 4222, protocol: 'TCP' }, { name: 'cluster', port: 6222, protocol: 'TCP' }, { name: 'monitor', port: 8222, protocol: 'TCP' },
      ])];
    case 'WorkflowTemplate': // Argo Workflows: the template's podMetadata on every step pod
      return [pod(`Workflow ${ns}/${name}`, { ...o.spec.podMetadata?.labels, 'workflows.argoproj.io/workflow': name })];
    case 'Cluster': // CloudNativePG: a primary and replicas, postgres 5432, instance manager status 8000, metrics 9187
      return ['primary', 'replica'].map((role) => pod(`CNPG ${ns}/${name} ${role}`, { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance', 'cnpg.io/instanceRole': role, role }, [
        { name: 'postgresql', port: 5432, protocol: 'TCP' }, { name: 'status', port: 8000, protocol: 'TCP' }, { name: 'metrics', port: 9187, protocol: 'TCP' },
      ]));
    default:
      return [];
  }
}

/** Services the operators create (not synthesized), which configs and args address. */
function operatorServices(o: Manifest): Service[] {
  const ns = o.metadata.namespace;
  const name = o.metadata.name;
  const svc = (n: string, selector: Labels, ports: Service['ports']): Service => ({ namespace: ns, name: n, selector, ports });
  switch (o.kind) {
    case 'Prometheus':
      return [svc('prometheus-operated', { 'app.kubernetes.io/name': 'prometheus' }, [
        { name: 'web', port: 9090, targetPort: 'web', protocol: 'TCP' },
        ...(o.spec.thanos ? [{ name: 'grpc', port: 10901, targetPort: 'grpc', protocol: 'TCP' as const }] : []),
      ])];
    case 'Alertmanager':
      return [svc('alertmanager-operated', { 'app.kubernetes.io/name': 'alertmanager' }, [
        { name: 'web', port: 9093, targetPort: 'web', protocol: 'TCP' }, { name: 'tcp-mesh', port: 9094, targetPort: 9094, protocol: 'TCP' }, { name: 'udp-mesh', port: 9094, targetPort: 9094, protocol: 'UDP' },
      ])];
    case 'EventSource':
      return [svc(`${name}-eventsource-svc`, { 'eventsource-name': name }, (o.spec.service?.ports ?? []).map((p: any, i: number) => ({ name: p.name ?? `port-${i}`, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' as const })))];
    case 'Cluster':
      return [
        svc(`${name}-rw`, { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': 'primary' }, [{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }]),
        svc(`${name}-ro`, { 'cnpg.io/cluster': name, 'cnpg.io/instanceRole': 'replica' }, [{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }]),
      ];
    default:
      return [];
  }
}

/** prometheus-operator's kubelet Service (`--kubelet-service`): endpoints are the nodes' IPs. */
const KUBELET_SERVICE: Service = { namespace: 'kube-system', name: 'kubelet', hostNetwork: true, ports: [{ name: 'https-metrics', port: 10250, targetPort: 10250, protocol: 'TCP' }] };
/** KEDA's operator evaluates the ScaledObject triggers (IncidentResponse's `kedaNamespace`, default 'keda'). */
const KEDA_OPERATOR: Pod = { id: 'KEDA operator keda/keda-operator', namespace: 'keda', labels: { app: 'keda-operator' }, ports: [], hostNetwork: false };
/** CloudNativePG's operator polls each instance's status endpoint (GrafanaDatabase `operatorNamespace`). */
const CNPG_OPERATOR: Pod = { id: 'CNPG operator cnpg-system', namespace: 'cnpg-system', labels: { 'app.kubernetes.io/name': 'cloudnative-pg' }, ports: [], hostNetwork: false };
/** Cluster DNS, which every pod asks (PlatformNamespace's allow-dns names it by these labels, as EKS runs CoreDNS). */
const CLUSTER_DNS: Pod = { id: 'cluster DNS kube-system/coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }], hostNetwork: false };
/** Training jobs push to the Pushgateway; they are the users' pods (TrainingMonitor `jobNamespaces`). */
const TRAINING_JOB: Pod = { id: 'training job ai-training/*', namespace: 'ai-training', labels: { 'job-name': 'any' }, ports: [], hostNetwork: false };

// ---- Loki: which component reads which config section; ring-discovered peers --------------------

/** Config sections and the `-target`s that dial the addresses in them ('all' = every component). */
const LOKI_CONFIG_USERS: Array<[RegExp, string[] | 'all']> = [
  [/^memberlist\.join_members/, 'all'],
  [/^common\.compactor_address$/, ['querier', 'query-frontend', 'ruler']],
  [/index_gateway_client\.server_address$/, ['querier', 'query-frontend', 'ruler']],
  [/^frontend\./, ['query-frontend']],
  [/^frontend_worker\./, ['querier']],
  [/^ruler\.alertmanager_url$/, ['ruler']],
];
/** Peers found through the ring or a callback, with no address in the config. */
const LOKI_RING: Array<[string, string, string]> = [
  ['distributor', 'ingester', 'grpc'], // push
  ['querier', 'ingester', 'grpc'], // recent data
  ['ruler', 'ingester', 'grpc'], // rule evaluation queries
  ['querier', 'query-frontend', 'grpc'], // results go back to the frontend that enqueued the query
];
/** Components that read and write the object store (common.storage). */
const LOKI_STORAGE_USERS = ['ingester', 'querier', 'compactor', 'index-gateway', 'ruler'];

/** Strings that look like addresses but are no connection of the pod that holds them. */
const NOT_CONNECTIONS: RegExp[] = [
  /^env GF_SERVER_ROOT_URL$/, // Grafana's own public URL, for links
  /^arg --receive\.local-endpoint/, // Thanos Receive's own address in the hashring
];

// ---- Selectors and the NetworkPolicy evaluator -----------------------------------------------

function matches(sel: Selector | undefined, labels: Labels): boolean {
  if (!sel) return true;
  const okLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const okExpr = (sel.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return okLabels && okExpr;
}

function ipv4(a: string): number {
  return a.split('.').reduce((n, b) => n * 256 + Number(b), 0);
}
function cidrContains(outer: string, inner: string): boolean {
  const [oa, ob] = outer.split('/');
  const [ia, ib] = inner.split('/');
  if (Number(ib) < Number(ob)) return false;
  const size = 2 ** (32 - Number(ob));
  return Math.floor(ipv4(oa) / size) === Math.floor(ipv4(ia) / size);
}

class Cluster {
  readonly policies: Manifest[];
  readonly namespaceLabels = new Map<string, Labels>();
  constructor(objects: Manifest[]) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    for (const n of objects.filter((o) => o.kind === 'Namespace')) this.namespaceLabels.set(n.metadata.name, { ...n.metadata.labels, [NS_LABEL]: n.metadata.name });
  }
  private nsLabels(ns: string): Labels {
    return this.namespaceLabels.get(ns) ?? { [NS_LABEL]: ns };
  }
  private peerMatches(peer: any, policyNs: string, other: End): boolean {
    if (peer.ipBlock) {
      if (!('ip' in other)) return false; // pod IPs are not matched by ipBlock (CNI-dependent; never relied on)
      if (!other.ip.cidr) return true; // node, API server and internet addresses are install-specific
      return cidrContains(peer.ipBlock.cidr, other.ip.cidr) && !(peer.ipBlock.except ?? []).some((e: string) => cidrContains(e, other.ip.cidr!) || cidrContains(other.ip.cidr!, e));
    }
    if (!('pod' in other)) return false;
    const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, this.nsLabels(other.pod.namespace)) : other.pod.namespace === policyNs;
    return nsOk && (peer.podSelector ? matches(peer.podSelector, other.pod.labels) : true);
  }
  private portMatches(rulePorts: any[] | undefined, port: PortDef): boolean {
    if (!rulePorts || rulePorts.length === 0) return true;
    return rulePorts.some((p) => {
      if ((p.protocol ?? 'TCP') !== port.protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'string') return p.port === port.name;
      if (port.port === undefined) return false;
      return p.endPort ? port.port >= p.port && port.port <= p.endPort : port.port === p.port;
    });
  }
  /** Whether the policies of `subject` let it talk to `other` in this direction (true when not isolated). */
  allows(direction: 'Ingress' | 'Egress', subject: Pod, other: End, port: PortDef): boolean {
    const selecting = this.policies.filter((p) => p.metadata.namespace === subject.namespace && matches(p.spec.podSelector, subject.labels)
      && (p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'])).includes(direction));
    if (selecting.length === 0) return true;
    return selecting.some((p) => ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: any) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      return (!peers || peers.length === 0 || peers.some((peer: any) => this.peerMatches(peer, p.metadata.namespace, other))) && this.portMatches(rule.ports, port);
    }));
  }
}

// ---- Deriving the connections from the objects -----------------------------------------------

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'];

function workloadPod(o: Manifest): Pod {
  const spec = o.spec.template.spec;
  const args: string[] = spec.containers.flatMap((c: any) => c.args ?? []);
  return {
    id: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`,
    namespace: o.metadata.namespace,
    labels: o.spec.template.metadata.labels,
    ports: spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' }))),
    hostNetwork: !!spec.hostNetwork,
    target: args.find((a) => a.startsWith('-target='))?.slice('-target='.length),
  };
}

/** An in-cluster address: `[scheme://][dns+|dnssrv+_<port>._tcp.][<pod>.]<service>.<namespace>.svc[.cluster.local][:port]`. */
const SVC_ADDRESS = /(?:(https?):\/\/)?([A-Za-z0-9_.+$()-]+)\.svc(?:\.cluster\.local)?(?::(\d+))?/g;
/** A URL whose host is one or two DNS labels (a Service's short name), not followed by more labels. */
const SHORT_URL = /(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)?)(?::(\d+))?(?=[/\s"',]|$)/g;
/** A `host:port` or URL outside the cluster (only in the fields that name a peer). */
function externalAddress(value: string): { host: string; port: number } | undefined {
  const m = /^(?:(https?):\/\/)?([a-z0-9.-]+)(?::(\d+))?(?:\/.*)?$/.exec(value);
  if (!m || m[2].endsWith('.svc') || m[2].includes('.svc.')) return undefined;
  return { host: m[2], port: m[3] ? Number(m[3]) : m[1] === 'http' ? 80 : 443 };
}

/** Known networks of the other regions' endpoints (the seed topology's internal load balancers). */
function externalIp(host: string): Ip {
  for (const r of SEED_TOPOLOGY.regions) {
    if (host === r.queryEndpoint.split(':')[0] || host === new URL(r.receiveUrl).hostname) return { id: `${r.region} ${host}`, cidr: r.cidr, host };
  }
  return { id: `internet ${host}` };
}

function leaves(node: unknown, path: string, out: Array<[string, string]>): Array<[string, string]> {
  if (typeof node === 'string') out.push([path, node]);
  else if (Array.isArray(node)) node.forEach((v, i) => leaves(v, `${path}.${i}`, out));
  else if (node && typeof node === 'object') Object.entries(node).forEach(([k, v]) => leaves(v, path ? `${path}.${k}` : k, out));
  return out;
}

function deriveConnections(objects: Manifest[]): { connections: Connection[]; pods: Pod[]; unresolved: string[] } {
  const workloads = objects.filter((o) => WORKLOADS.includes(o.kind));
  const pods: Pod[] = [...workloads.map(workloadPod), ...objects.flatMap(operatorPods)];
  const services: Service[] = [
    ...objects.filter((o) => o.kind === 'Service').map((s) => ({
      namespace: s.metadata.namespace, name: s.metadata.name, selector: s.spec.selector,
      ports: s.spec.ports.map((p: any) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })),
    })),
    ...objects.flatMap(operatorServices),
    KUBELET_SERVICE,
  ];
  const platformNamespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const connections: Connection[] = [];
  const unresolved: string[] = [];
  const add = (kind: string, via: string, client: End, server: End, port: PortDef) => connections.push({ kind, via, client, server, port });
  const byId = (id: string) => pods.find((p) => p.id === id)!;

  /** The pods (or node IPs) behind one Service port, with the container port it targets. */
  const resolvePort = (svc: Service, sp: Service['ports'][number]): Array<[End, PortDef]> => {
    if (svc.hostNetwork) return [[{ ip: { id: `nodes (${svc.namespace}/${svc.name})` } }, { name: sp.name, port: Number(sp.targetPort), protocol: sp.protocol }]];
    return pods.filter((p) => p.namespace === svc.namespace && svc.selector && matches({ matchLabels: svc.selector }, p.labels)).flatMap((p): Array<[End, PortDef]> => {
      const cp = p.ports.find((c) => c.protocol === sp.protocol && (typeof sp.targetPort === 'string' ? c.name === sp.targetPort : c.port === sp.targetPort));
      if (!cp) { unresolved.push(`${svc.namespace}/${svc.name}:${sp.name} targets no port of ${p.id}`); return []; }
      return [[p.hostNetwork ? { ip: { id: `nodes (host network: ${p.id})` } } : { pod: p }, cp]];
    });
  };
  const resolveService = (ns: string, name: string, pick: (sp: Service['ports'][number]) => boolean, what: string): Array<[End, PortDef]> => {
    const svc = services.find((s) => s.namespace === ns && s.name === name);
    const hits = svc ? svc.ports.filter(pick).flatMap((sp) => resolvePort(svc, sp)) : [];
    if (hits.length === 0) unresolved.push(`${what}: no pods behind ${ns}/${name}`);
    return hits;
  };

  /** Every in-cluster address in one string. */
  const scan = (kind: string, via: string, client: End, text: string) => {
    if (NOT_CONNECTIONS.some((re) => re.test(via))) return;
    scanShort(kind, via, client, text);
    for (const m of text.matchAll(SVC_ADDRESS)) {
      let host = m[2];
      let srv: string | undefined;
      host = host.replace(/^.*?(dnssrv\+|dns\+)/, '');
      const s = /^_([a-z0-9-]+)\._tcp\.(.*)$/.exec(host);
      if (s) { srv = s[1]; host = s[2]; }
      const labels = host.split('.').filter((l) => l.length > 0);
      const [name, ns] = labels.slice(-2);
      const port = m[3] ? Number(m[3]) : srv ? undefined : m[1] === 'https' ? 443 : 80;
      const what = `${'pod' in client ? client.pod.id : client.ip.id} ${via}: ${m[0]}`;
      for (const [server, p] of resolveService(ns, name, (sp) => (srv ? sp.name === srv : sp.port === port), what)) add(kind, `${via} = ${m[0]}`, client, server, p);
    }
  };
  /** URLs with a short Service name (`http://<service>[.<namespace>]:<port>`), resolved in the client's namespace. */
  const scanShort = (kind: string, via: string, client: End, text: string) => {
    if (NOT_CONNECTIONS.some((re) => re.test(via)) || !('pod' in client)) return;
    for (const m of text.matchAll(SHORT_URL)) {
      const [name, ns = client.pod.namespace] = m[2].split('.');
      const port = m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80;
      const known = services.some((s) => s.namespace === ns && s.name === name);
      if (!known && (m[2].includes('.') || name === 'localhost')) continue; // outside the cluster, or the pod itself
      for (const [server, p] of resolveService(ns, name, (sp) => sp.port === port, `${client.pod.id} ${via}: ${m[0]}`)) add(kind, `${via} = ${m[0]}`, client, server, p);
    }
  };
  const scanExternal = (kind: string, via: string, client: End, value: string) => {
    const ext = externalAddress(value);
    if (ext) add(kind, `${via} = ${value}`, client, { ip: externalIp(ext.host) }, { port: ext.port, protocol: 'TCP' });
  };

  /** A mounted config file: every address, plus object-store and receiver endpoints it implies. */
  const scanFile = (kind: string, source: string, file: string, text: string, client: Pod) => {
    let doc: any;
    try { doc = parse(text); } catch { doc = undefined; }
    const via = `${source}/${file}`;
    if (!doc || typeof doc !== 'object') { scan(kind, via, { pod: client }, text); return; }
    for (const [path, value] of leaves(doc, '', [])) {
      if (client.target) { // Loki: only the components that read this section dial it
        const users = LOKI_CONFIG_USERS.find(([re]) => re.test(path));
        if (!users && SVC_ADDRESS.test(value)) unresolved.push(`${via} ${path}: add the section to LOKI_CONFIG_USERS`);
        SVC_ADDRESS.lastIndex = 0;
        if (!users || (users[1] !== 'all' && !users[1].includes(client.target))) continue;
      }
      scan(kind, `${via} ${path}`, { pod: client }, value);
    }
    if (doc.type && doc.config?.endpoint) scanExternal('object storage', `${via} config.endpoint`, { pod: client }, `${doc.config.insecure ? 'http' : 'https'}://${doc.config.endpoint}`);
    if (client.target && doc.common?.storage?.s3 && LOKI_STORAGE_USERS.includes(client.target)) {
      add('object storage', `${via} common.storage.s3`, { pod: client }, { ip: { id: `internet s3.${doc.common.storage.s3.region}.amazonaws.com` } }, { port: 443, protocol: 'TCP' });
    }
    for (const r of doc.receivers ?? []) { // Alertmanager: receivers whose URL is in a file are outside the cluster
      for (const [type, configs] of Object.entries<any[]>(r)) {
        if (!type.endsWith('_configs')) continue;
        for (const c of configs) if (!Object.values(c).some((v) => typeof v === 'string' && v.includes('.svc'))) add('alert receiver', `${via} receivers.${r.name}.${type}`, { pod: client }, { ip: { id: `internet ${type}` } }, { port: 443, protocol: 'TCP' });
      }
    }
  };
  const mounted = (ns: string, name: string, client: Pod, kind?: string) => {
    const o = objects.find((x) => (x.kind === 'ConfigMap' || x.kind === 'Secret') && x.metadata.namespace === ns && x.metadata.name === name);
    for (const [file, text] of Object.entries<string>({ ...o?.data, ...o?.stringData })) scanFile(kind ?? `config ${name}`, `${o!.kind}/${name}`, file, text, client);
  };

  // Workloads: env, args and every mounted ConfigMap/Secret.
  for (const w of workloads) {
    const pod = workloadPod(w);
    const spec = w.spec.template.spec;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      for (const e of c.env ?? []) if (typeof e.value === 'string') scan(`env ${e.name}`, `env ${e.name}`, { pod }, e.value);
      for (const a of [...(c.command ?? []), ...(c.args ?? [])]) {
        scan(`arg ${a.split('=')[0]}`, `arg ${a}`, { pod }, a);
        if (a.startsWith('--endpoint=')) scanExternal('arg --endpoint', `arg ${a}`, { pod }, a.slice('--endpoint='.length));
      }
    }
    for (const v of spec.volumes ?? []) {
      const refs = [v.configMap && ['c', v.configMap.name], v.secret && ['s', v.secret.secretName], ...(v.projected?.sources ?? []).map((s: any) => (s.configMap ? ['c', s.configMap.name] : s.secret ? ['s', s.secret.name] : undefined))].filter(Boolean);
      for (const [, name] of refs) mounted(pod.namespace, name, pod);
    }
    if (spec.automountServiceAccountToken) add('kubernetes API', 'automountServiceAccountToken', { pod }, { ip: API_SERVER }, { port: 443, protocol: 'TCP' });
  }

  // Operator-managed pods.
  for (const o of objects) {
    const [pod] = operatorPods(o);
    if (o.kind === 'Prometheus') {
      for (const am of o.spec.alerting?.alertmanagers ?? []) {
        for (const [server, p] of resolveService(am.namespace ?? o.metadata.namespace, am.name, (sp) => sp.name === am.port || sp.port === am.port, `${pod.id} alerting`)) add('prometheus alerting', `alerting.alertmanagers ${am.name}`, { pod }, server, p);
      }
      for (const rw of o.spec.remoteWrite ?? []) scanExternal('prometheus remote write', `remoteWrite ${rw.name}`, { pod }, rw.url);
      if (o.spec.thanos?.objectStorageConfig) mounted(pod.namespace, o.spec.thanos.objectStorageConfig.name, pod, 'thanos sidecar');
      add('kubernetes API', 'service discovery', { pod }, { ip: API_SERVER }, { port: 443, protocol: 'TCP' });
    } else if (o.kind === 'Alertmanager') {
      mounted(pod.namespace, o.spec.configSecret ?? `alertmanager-${o.metadata.name}`, pod, 'alertmanager receiver');
      if ((o.spec.replicas ?? 1) > 1) for (const p of pod.ports.filter((x) => x.name!.startsWith('mesh'))) add('cluster gossip', 'replicas', { pod }, { pod }, p);
    } else if (o.kind === 'EventSource' || o.kind === 'Sensor') {
      const bus = byId(`EventBus ${o.metadata.namespace}/${o.spec.eventBusName ?? 'default'}`);
      add('event bus', `${o.kind} eventBusName`, { pod }, { pod: bus }, bus.ports[0]);
      if (o.kind === 'Sensor') add('kubernetes API', 'triggers', { pod }, { ip: API_SERVER }, { port: 443, protocol: 'TCP' });
      for (const [path, value] of leaves(o.spec, '', [])) scan(`${o.kind} url`, path, { pod }, value);
    } else if (o.kind === 'EventBus') {
      if ((o.spec.jetstream?.replicas ?? 3) > 1) add('cluster gossip', 'jetstream replicas', { pod }, { pod }, pod.ports[1]);
    } else if (o.kind === 'WorkflowTemplate') {
      for (const t of o.spec.templates ?? []) {
        const c = t.container ?? t.script;
        for (const e of c?.env ?? []) if (typeof e.value === 'string') scan('workflow env', `${t.name} env ${e.name}`, { pod }, e.value);
      }
      add('kubernetes API', 'steps (kubectl) and executor', { pod }, { ip: API_SERVER }, { port: 443, protocol: 'TCP' });
    } else if (o.kind === 'ScaledObject') {
      for (const t of o.spec.triggers ?? []) scan('keda trigger', `ScaledObject ${o.metadata.namespace}/${o.metadata.name} ${t.name}`, { pod: KEDA_OPERATOR }, t.metadata?.serverAddress ?? '');
    } else if (o.kind === 'Cluster') {
      const [primary, replica] = operatorPods(o);
      if ((o.spec.instances ?? 1) > 1) add('database replication', 'instances', { pod: replica }, { pod: primary }, primary.ports[0]);
      for (const p of [primary, replica]) {
        add('database operator', 'instance status', { pod: CNPG_OPERATOR }, { pod: p }, p.ports[1]);
        add('kubernetes API', 'instance manager', { pod: p }, { ip: API_SERVER }, { port: 443, protocol: 'TCP' });
      }
    }
  }

  // Scraping: every monitor the Prometheus CRs select.
  for (const prom of objects.filter((o) => o.kind === 'Prometheus')) {
    const [scraper] = operatorPods(prom);
    const selected = (o: Manifest, sel: string, nsSel: string) => matches(prom.spec[sel], o.metadata.labels ?? {})
      && (prom.spec[nsSel] ? matches(prom.spec[nsSel], { [NS_LABEL]: o.metadata.namespace }) : o.metadata.namespace === prom.metadata.namespace);
    for (const sm of objects.filter((o) => o.kind === 'ServiceMonitor' && selected(o, 'serviceMonitorSelector', 'serviceMonitorNamespaceSelector'))) {
      const ns = sm.spec.namespaceSelector?.any ? undefined : sm.spec.namespaceSelector?.matchNames ?? [sm.metadata.namespace];
      const svcs = services.filter((s) => (!ns || ns.includes(s.namespace)) && matches(sm.spec.selector, (objects.find((o) => o.kind === 'Service' && o.metadata.namespace === s.namespace && o.metadata.name === s.name)?.metadata.labels) ?? (s === KUBELET_SERVICE ? { 'app.kubernetes.io/name': 'kubelet' } : {})));
      if (svcs.length === 0) unresolved.push(`ServiceMonitor ${sm.metadata.namespace}/${sm.metadata.name} selects no Service`);
      for (const ep of sm.spec.endpoints) {
        for (const s of svcs) for (const sp of s.ports.filter((x) => x.name === ep.port || x.targetPort === ep.targetPort)) {
          for (const [server, p] of resolvePort(s, sp)) add('scrape', `ServiceMonitor ${sm.metadata.namespace}/${sm.metadata.name} ${ep.port}`, { pod: scraper }, server, p);
        }
      }
    }
    for (const pm of objects.filter((o) => o.kind === 'PodMonitor' && selected(o, 'podMonitorSelector', 'podMonitorNamespaceSelector'))) {
      const ns = pm.spec.namespaceSelector?.matchNames ?? [pm.metadata.namespace];
      let targets = pods.filter((p) => ns.includes(p.namespace) && matches(pm.spec.selector, p.labels));
      if (targets.length === 0 && !platformNamespaces.has(pm.metadata.namespace)) {
        // The users' pods: only their labels and port name are known.
        targets = [{ id: `user pods ${pm.metadata.namespace} ${JSON.stringify(pm.spec.selector.matchLabels)}`, namespace: pm.metadata.namespace, labels: pm.spec.selector.matchLabels, hostNetwork: false, ports: pm.spec.podMetricsEndpoints.map((e: any) => ({ name: e.port, protocol: 'TCP' })) }];
      }
      if (targets.length === 0) unresolved.push(`PodMonitor ${pm.metadata.namespace}/${pm.metadata.name} selects no pod`);
      for (const ep of pm.spec.podMetricsEndpoints) for (const t of targets) {
        const p = t.ports.find((x) => x.name === ep.port);
        if (!p) { unresolved.push(`PodMonitor ${pm.metadata.name}: no port ${ep.port} on ${t.id}`); continue; }
        add('scrape', `PodMonitor ${pm.metadata.namespace}/${pm.metadata.name} ${ep.port}`, { pod: scraper }, t.hostNetwork ? { ip: { id: `nodes (host network: ${t.id})` } } : { pod: t }, p);
      }
    }
    for (const sc of objects.filter((o) => o.kind === 'ScrapeConfig' && selected(o, 'scrapeConfigSelector', 'scrapeConfigNamespaceSelector'))) {
      for (const sd of sc.spec.httpSDConfigs ?? []) scanExternal('scrape', `ScrapeConfig ${sc.metadata.name} httpSDConfigs`, { pod: scraper }, sd.url);
      for (const st of sc.spec.staticConfigs ?? []) for (const t of st.targets ?? []) scan('scrape', `ScrapeConfig ${sc.metadata.name} staticConfigs`, { pod: scraper }, `${t}.svc`);
    }
  }

  // Loki peers found through the ring.
  const loki = pods.filter((p) => p.target);
  for (const [from, to, portName] of LOKI_RING) {
    for (const c of loki.filter((p) => p.target === from)) for (const s of loki.filter((p) => p.target === to && p.namespace === c.namespace)) {
      add('loki ring', `${from} -> ${to}`, { pod: c }, { pod: s }, s.ports.find((x) => x.name === portName)!);
    }
  }
  // Every pod of the platform's namespaces resolves names.
  for (const p of pods.filter((x) => !x.hostNetwork && platformNamespaces.has(x.namespace))) for (const port of CLUSTER_DNS.ports) add('dns', 'resolv.conf', { pod: p }, { pod: CLUSTER_DNS }, port);
  // Training jobs push to the Pushgateway (the jobs are not synthesized).
  for (const pg of pods.filter((p) => p.labels['app.kubernetes.io/name'] === 'pushgateway')) add('pushgateway push', 'TrainingMonitor jobNamespaces', { pod: TRAINING_JOB }, { pod: pg }, pg.ports[0]);

  return { connections: dedupe(connections), pods, unresolved };
}

function endId(e: End): string {
  return 'pod' in e ? e.pod.id : e.ip.id;
}
function portId(p: PortDef): string {
  return `${p.port ?? p.name}/${p.protocol}${p.name && p.port ? ` (${p.name})` : ''}`;
}
function dedupe(connections: Connection[]): Connection[] {
  const seen = new Map<string, Connection>();
  for (const c of connections) {
    const key = `${endId(c.client)}|${endId(c.server)}|${portId(c.port)}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

/** Every connection a side does not allow: `client -> server port: missing <side> (kind: via)`. */
function gaps(cluster: Cluster, connections: Connection[]): string[] {
  const out: string[] = [];
  for (const c of connections) {
    const missing: string[] = [];
    // Host-network pods are outside NetworkPolicy; the other side reaches them by ipBlock.
    if ('pod' in c.client && !c.client.pod.hostNetwork && !cluster.allows('Egress', c.client.pod, c.server, c.port)) missing.push('egress');
    if ('pod' in c.server && !c.server.pod.hostNetwork && !cluster.allows('Ingress', c.server.pod, c.client, c.port)) missing.push('ingress');
    if (missing.length > 0) out.push(`${endId(c.client)} -> ${endId(c.server)} ${portId(c.port)}: missing ${missing.join(' and ')} (${c.kind}: ${c.via})`);
  }
  return out;
}

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
    const cluster = new Cluster(objects);
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
    expect(gaps(new Cluster(objects), connections)).toEqual([]);
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
    const found = gaps(new Cluster(objects), deriveConnections(objects).connections);
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
    const allows = (spec: any, from: End = client) => new Cluster([policy(spec)]).allows('Ingress', server, from, http);
    expect(allows({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'b' } } }], ports: [{ port: 'http' }] }] })).toBe(true);
    expect(allows({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'c' } } }] }] })).toBe(false); // same namespace only
    expect(allows({ ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9090 }] }] })).toBe(false);
    expect(allows({ ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080, protocol: 'UDP' }] }] })).toBe(false);
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }, { ip: { id: 'r', cidr: '10.20.0.0/16' } })).toBe(true);
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '10.10.0.0/16' } }] }] }, { ip: { id: 'r', cidr: '10.20.0.0/16' } })).toBe(false);
    expect(allows({ ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })).toBe(false); // pods are not matched by ipBlock
    expect(new Cluster([]).allows('Ingress', server, client, http)).toBe(true); // not isolated
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
    expect(gaps(new Cluster(objects), connections)).toEqual([]);
  });
});

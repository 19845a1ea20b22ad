// The connections of a synthesized platform, derived from its objects: monitors, the Prometheus
// CR, and every in-cluster address in a pod's env, args and mounted configs. What the objects
// cannot say (pods and Services the operators create, ring-discovered Loki peers, the API server,
// cluster DNS) is in the small tables below, each with its reason.
import { parse } from 'yaml';
import { SEED_TOPOLOGY } from '../../lib/index.js';
import { Manifest } from '../support/synth.js';
import { API_SERVER, Connection, End, Ip, Labels, NS_LABEL, Pod, PortDef, Service, dedupe, matches } from './network-policy.js';

// ---- Operator conventions: pods and Services created at runtime from the CRs -------------------

/** Pods the operators run for a CR (labels and ports are the operators' documented conventions). */
export function operatorPods(o: Manifest): Pod[] {
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
    // Argo Events v1.9: the controllers give every EventSource and Sensor container the port
    // `metrics` 7777 (argoproj/argo-events EventSourceMetricsPort, SensorMetricsPort).
    case 'EventSource':
      return [pod(`EventSource ${ns}/${name}`, { 'eventsource-name': name, controller: 'eventsource-controller' }, [
        ...(o.spec.service?.ports ?? []).map((p: any) => ({ port: Number(p.targetPort ?? p.port), protocol: 'TCP' as const })),
        { name: 'metrics', port: 7777, protocol: 'TCP' },
      ])];
    case 'Sensor':
      return [pod(`Sensor ${ns}/${name}`, { 'sensor-name': name, controller: 'sensor-controller' }, [{ name: 'metrics', port: 7777, protocol: 'TCP' }])];
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
/** The API server's own Service (`default/kubernetes`), scraped by ApiServerMonitor: its endpoints are the control plane. */
const API_SERVER_SERVICE: Service = { namespace: 'default', name: 'kubernetes', ports: [{ name: 'https', port: 443, targetPort: 443, protocol: 'TCP' }] };
const EXTERNAL_SERVICE_LABELS = new Map<Service, Labels>([
  [KUBELET_SERVICE, { 'app.kubernetes.io/name': 'kubelet' }],
  [API_SERVER_SERVICE, { component: 'apiserver', provider: 'kubernetes' }],
]);
/** KEDA's operator evaluates the ScaledObject triggers (IncidentResponse's `kedaNamespace`, default 'keda'). */
const KEDA_OPERATOR: Pod = { id: 'KEDA operator keda/keda-operator', namespace: 'keda', labels: { app: 'keda-operator' }, ports: [], hostNetwork: false };
/** CloudNativePG's operator polls each instance's status endpoint (GrafanaDatabase `operatorNamespace`). */
const CNPG_OPERATOR: Pod = { id: 'CNPG operator cnpg-system', namespace: 'cnpg-system', labels: { 'app.kubernetes.io/name': 'cloudnative-pg' }, ports: [], hostNetwork: false };
/** Cluster DNS, which every pod asks (PlatformNamespace's allow-dns names it by these labels, as EKS runs CoreDNS). */
const CLUSTER_DNS: Pod = { id: 'cluster DNS kube-system/coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }], hostNetwork: false };
/** Training jobs push to the Pushgateway; they are the users' pods (TrainingMonitor `jobNamespaces`). */
const TRAINING_JOB: Pod = { id: 'training job ai-training/*', namespace: 'ai-training', labels: { 'job-name': 'any' }, ports: [], hostNetwork: false };

// ---- Loki: which component reads which config section; ring-discovered peers --------------------

/** Config sections and the `-target`s that dial the addresses in them ('all' = every component, 'none' = a link, never dialled). */
const LOKI_CONFIG_USERS: Array<[RegExp, string[] | 'all' | 'none']> = [
  [/^memberlist\.join_members/, 'all'],
  [/^common\.compactor_address$/, ['querier', 'query-frontend', 'ruler']],
  [/index_gateway_client\.server_address$/, ['querier', 'query-frontend', 'ruler']],
  [/^frontend\./, ['query-frontend']],
  [/^frontend_worker\./, ['querier']],
  [/^ruler\.alertmanager_url$/, ['ruler']],
  [/^ruler\.external_url$/, 'none'], // the generator URL in alerts, for people's browsers
];
/** Peers found through the ring or a callback, with no address in the config. */
const LOKI_RING: Array<[string, string, string]> = [
  ['distributor', 'ingester', 'grpc'], // push
  ['querier', 'ingester', 'grpc'], // recent data
  ['ruler', 'ingester', 'grpc'], // rule evaluation queries
  ['querier', 'query-frontend', 'grpc'], // results go back to the frontend that enqueued the query
  ['ruler', 'ruler', 'grpc'], // sharded rulers fetch each other's groups (rules and alerts APIs)
];
/** Components that read and write the object store (common.storage). */
const LOKI_STORAGE_USERS = ['ingester', 'querier', 'compactor', 'index-gateway', 'ruler'];

/** Whether a Loki process (`-target`, 'all' for the single binary) runs one of these components. */
function runs(target: string, components: string[] | 'all' | 'none'): boolean {
  if (components === 'none') return false;
  return target === 'all' || components === 'all' || components.includes(target);
}

/** Strings that look like addresses but are no connection of the pod that holds them. */
const NOT_CONNECTIONS: RegExp[] = [
  /^env GF_SERVER_ROOT_URL$/, // Grafana's own public URL, for links
  /^arg --receive\.local-endpoint/, // Thanos Receive's own address in the hashring
];

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

export function deriveConnections(objects: Manifest[]): { connections: Connection[]; pods: Pod[]; unresolved: string[] } {
  const workloads = objects.filter((o) => WORKLOADS.includes(o.kind));
  const pods: Pod[] = [...workloads.map(workloadPod), ...objects.flatMap(operatorPods)];
  const services: Service[] = [
    ...objects.filter((o) => o.kind === 'Service').map((s) => ({
      namespace: s.metadata.namespace, name: s.metadata.name, selector: s.spec.selector,
      ports: s.spec.ports.map((p: any) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })),
    })),
    ...objects.flatMap(operatorServices),
    KUBELET_SERVICE,
    API_SERVER_SERVICE,
  ];
  const platformNamespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const connections: Connection[] = [];
  const unresolved: string[] = [];
  const add = (kind: string, via: string, client: End, server: End, port: PortDef) => connections.push({ kind, via, client, server, port });
  const byId = (id: string) => pods.find((p) => p.id === id)!;

  /** The pods (or node IPs) behind one Service port, with the container port it targets. */
  const resolvePort = (svc: Service, sp: Service['ports'][number]): Array<[End, PortDef]> => {
    if (svc === API_SERVER_SERVICE) return [[{ ip: API_SERVER }, { name: sp.name, port: 443, protocol: sp.protocol }]];
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
        if (!users || !runs(client.target, users[1])) continue;
      }
      scan(kind, `${via} ${path}`, { pod: client }, value);
    }
    if (doc.type && doc.config?.endpoint) scanExternal('object storage', `${via} config.endpoint`, { pod: client }, `${doc.config.insecure ? 'http' : 'https'}://${doc.config.endpoint}`);
    if (client.target && doc.common?.storage?.s3 && runs(client.target, LOKI_STORAGE_USERS)) {
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
      const svcs = services.filter((s) => (!ns || ns.includes(s.namespace)) && matches(sm.spec.selector, (objects.find((o) => o.kind === 'Service' && o.metadata.namespace === s.namespace && o.metadata.name === s.name)?.metadata.labels) ?? EXTERNAL_SERVICE_LABELS.get(s) ?? {}));
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
// A small NetworkPolicy evaluator for the network-flow test: pod and namespace selectors
// (namespaces by `kubernetes.io/metadata.name`), ipBlocks, ports by number or name, and the
// isolation rule (a pod is isolated in a direction once any policy of that type selects it).
import { Manifest } from '../support/synth.js';

export type Labels = Record<string, string>;
export interface Selector { matchLabels?: Labels; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }
export interface PortDef { name?: string; port?: number; protocol: 'TCP' | 'UDP' }
export interface Pod { id: string; namespace: string; labels: Labels; ports: PortDef[]; hostNetwork: boolean; target?: string }
/** An address outside the pod network: API server, host-network pods, other regions, the internet. */
export interface Ip { id: string; cidr?: string; host?: string }
export type End = { pod: Pod } | { ip: Ip };
export interface Connection { kind: string; via: string; client: End; server: End; port: PortDef }
export interface Service { namespace: string; name: string; selector?: Labels; hostNetwork?: boolean; ports: Array<{ name: string; port: number; targetPort: number | string; protocol: 'TCP' | 'UDP' }> }

export const NS_LABEL = 'kubernetes.io/metadata.name';
export const API_SERVER: Ip = { id: 'kubernetes API server' };

export function matches(sel: Selector | undefined, labels: Labels): boolean {
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
export function cidrContains(outer: string, inner: string): boolean {
  const [oa, ob] = outer.split('/');
  const [ia, ib] = inner.split('/');
  if (Number(ib) < Number(ob)) return false;
  const size = 2 ** (32 - Number(ob));
  return Math.floor(ipv4(oa) / size) === Math.floor(ipv4(ia) / size);
}

export class PolicySet {
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
      // Node, API server and internet addresses are install-specific: only a block of every address
      // is sure to hold them (its `except` ranges are for the pod and service networks).
      if (!other.ip.cidr) return cidrContains(peer.ipBlock.cidr, '0.0.0.0/0');
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

export function endId(e: End): string {
  return 'pod' in e ? e.pod.id : e.ip.id;
}
export function portId(p: PortDef): string {
  return `${p.port ?? p.name}/${p.protocol}${p.name && p.port ? ` (${p.name})` : ''}`;
}
export function dedupe(connections: Connection[]): Connection[] {
  const seen = new Map<string, Connection>();
  for (const c of connections) {
    const key = `${endId(c.client)}|${endId(c.server)}|${portId(c.port)}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

/** Every connection a side does not allow: `client -> server port: missing <side> (kind: via)`. */
export function gaps(cluster: PolicySet, connections: Connection[]): string[] {
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
 * Every allow rule that no connection needs: `namespace/policy direction[i] peers ports`. A rule
 * is needed when some connection's pod on that side is selected by the policy and the rule alone
 * admits the connection. Policies of host-network pods only are skipped (NetworkPolicy does not
 * apply to them; they document the flow).
 */
export function unusedRules(objects: Manifest[], pods: Pod[], connections: Connection[]): string[] {
  const out: string[] = [];
  for (const pol of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    const selected = pods.filter((p) => p.namespace === pol.metadata.namespace && matches(pol.spec.podSelector, p.labels));
    if (selected.length > 0 && selected.every((p) => p.hostNetwork)) continue;
    for (const direction of ['Ingress', 'Egress'] as const) {
      ((direction === 'Ingress' ? pol.spec.ingress : pol.spec.egress) ?? []).forEach((rule: any, i: number) => {
        const alone = new PolicySet([{ ...pol, spec: { podSelector: pol.spec.podSelector, policyTypes: [direction], ingress: [rule], egress: [rule] } }]);
        const needed = connections.some((c) => {
          const [subject, other] = direction === 'Ingress' ? [c.server, c.client] : [c.client, c.server];
          return 'pod' in subject && subject.pod.namespace === pol.metadata.namespace && matches(pol.spec.podSelector, subject.pod.labels)
            && alone.allows(direction, subject.pod, other, c.port);
        });
        if (!needed) out.push(`${pol.metadata.namespace}/${pol.metadata.name} ${direction.toLowerCase()}[${i}] ${JSON.stringify(rule.from ?? rule.to ?? 'all')} ports ${JSON.stringify(rule.ports ?? 'all')}`);
      });
    }
  }
  return out;
}

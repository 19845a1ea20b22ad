import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { isIP } from 'node:net';
import { invalid, requireInt } from './errors.js';
import { K8sObject, K8sObjectProps } from './k8s-object.js';
import { validateDnsLabel } from './names.js';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Pods another construct runs, for example `MetricsStack` (Prometheus) as a scraper. */
export interface PodsRef {
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
}

/** Annotation of a NetworkPolicy that lists its intentionally open rules and why (`{ "egress[2]": "..." }`). */
export const OPEN_RULES_ANNOTATION = 'monitoring.aeon-nova.io/open-rules';

/** Throws unless `labels` is a non-empty selector: an empty one selects every pod. */
function requireSelector(prop: string, labels: unknown): Record<string, string> {
  if (!labels || typeof labels !== 'object' || Array.isArray(labels) || Object.keys(labels).length === 0
    || Object.values(labels).some((v) => typeof v !== 'string')) {
    throw invalid(prop, labels, 'a non-empty map of pod labels (an empty selector would admit every pod)');
  }
  return { ...(labels as Record<string, string>) };
}

/**
 * Throws unless `value` is an IPv4 or IPv6 CIDR (address/prefix). The address is checked by
 * Node's own `net.isIP`, not a regex; the prefix against the address family.
 */
export function requireCidr(prop: string, value: unknown): string {
  const m = typeof value === 'string' ? /^([^/\s]+)\/(\d{1,3})$/.exec(value) : null;
  // A zone index (`fe80::1%eth0`) is an interface, not a range.
  const family = m && !m[1].includes('%') ? isIP(m[1]) : 0;
  if (!m || family === 0 || Number(m[2]) > (family === 4 ? 32 : 128) || (m[2].length > 1 && m[2].startsWith('0'))) {
    throw invalid(prop, value, 'an IPv4 or IPv6 CIDR like 10.0.0.0/16 or fd00::/8');
  }
  return value as string;
}

function requireReason(prop: string, reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw invalid(prop, reason, 'the reason this peer admits every address (at least 10 characters), written into the NetworkPolicy');
  }
  return reason.trim();
}

/** A source or destination of traffic in a NetworkPolicy rule. */
export class NetworkPeer {
  /** The pods of another construct (any namespace); its `podLabels` must not be empty. */
  static of(ref: PodsRef): NetworkPeer {
    if (!ref || typeof ref !== 'object') throw invalid('peer', ref, 'a reference { namespace, podLabels } to pods');
    return NetworkPeer.pods(requireSelector('peer.podLabels', ref.podLabels), validateDnsLabel(ref.namespace, 'peer.namespace'));
  }
  /** Pods with these labels (non-empty), in `namespace` (or the policy's own namespace when omitted). */
  static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    return new NetworkPeer({
      podSelector: { matchLabels: requireSelector('peer.podLabels', labels) },
      ...(namespace !== undefined ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: validateDnsLabel(namespace, 'peer.namespace') } } } : {}),
    });
  }
  /** Every pod of one namespace. */
  static namespace(name: string): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: validateDnsLabel(name, 'peer.namespace') } } });
  }
  /** Every pod in the cluster (for example Prometheus scraping any workload); the reason is written into the policy. */
  static allPods(reason: string): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: {} }, requireReason('peer.reason', reason));
  }
  /** Every address (0.0.0.0/0 and ::/0), for destinations outside the cluster that have no fixed range; the reason is written into the policy. */
  static anywhere(reason: string): NetworkPeer {
    return new NetworkPeer({ ipBlock: { cidr: '0.0.0.0/0' } }, requireReason('peer.reason', reason));
  }
  /**
   * An IP range. Needed for the Kubernetes API server, for host-network pods (kubelet,
   * node-exporter) and for cloud endpoints (S3), which no pod selector can match. A /0 range
   * admits everything: use `anywhere(reason)`.
   */
  static cidr(cidr: string, except?: string[]): NetworkPeer {
    requireCidr('peer.cidr', cidr);
    if (cidr.endsWith('/0')) throw invalid('peer.cidr', cidr, 'a range narrower than /0 (use NetworkPeer.anywhere(reason) to admit every address on purpose)');
    (except ?? []).forEach((e, i) => requireCidr(`peer.except[${i}]`, e));
    return new NetworkPeer({ ipBlock: { cidr, ...(except ? { except } : {}) } });
  }
  private constructor(public readonly peer: INetworkPolicyPeer, public readonly openReason?: string) {}
}

/** One allowed flow: peers and the ports they may use. */
export interface NetworkFlow {
  readonly peers: NetworkPeer[];
  /** TCP ports (numbers or named container ports); UDP needs `protocol`. Empty means all ports. */
  readonly ports?: Array<number | string>;
  readonly protocol?: 'TCP' | 'UDP';
}

/** Well-known flows. */
export const FLOWS = {
  /** The Kubernetes API server is outside the pod network: reachable by IP on 443/6443. */
  kubeApiServer: (): NetworkFlow => ({ peers: [NetworkPeer.anywhere('the Kubernetes API server has no fixed address known at synthesis')], ports: [443, 6443] }),
  /** HTTPS to anything outside the cluster (object storage, SaaS receivers). */
  httpsEgress: (reason = 'object storage and SaaS endpoints have no fixed address range'): NetworkFlow => ({ peers: [NetworkPeer.anywhere(reason)], ports: [443] }),
} as const;

/**
 * Throws unless a flow admits someone in particular: `from: []` / `to: []` would read as
 * "every address" to Kubernetes, so an empty peer list fails open.
 */
export function requireFlow(prop: string, flow: NetworkFlow): NetworkFlow {
  if (!flow || typeof flow !== 'object') throw invalid(prop, flow, 'a flow { peers, ports? }');
  if (!Array.isArray(flow.peers) || flow.peers.length === 0) {
    throw invalid(`${prop}.peers`, flow.peers, 'a non-empty list of NetworkPeers (an empty list admits every source or destination)');
  }
  flow.peers.forEach((p, i) => { if (!(p instanceof NetworkPeer)) throw invalid(`${prop}.peers[${i}]`, p, 'a NetworkPeer (NetworkPeer.pods, .of, .namespace, .cidr, .anywhere)'); });
  (flow.ports ?? []).forEach((port, i) => {
    if (typeof port === 'number') requireInt(`${prop}.ports[${i}]`, port, 1, 65535);
    else if (typeof port !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(port) || !/[a-z]/.test(port)) throw invalid(`${prop}.ports[${i}]`, port, 'a port number or a named container port');
  });
  return flow;
}

function ports(flow: NetworkFlow): INetworkPolicyPort[] | undefined {
  if (!flow.ports || flow.ports.length === 0) return undefined;
  return flow.ports.map((port) => ({ port, protocol: flow.protocol ?? 'TCP' }));
}

export interface NetworkAllowProps {
  readonly name: string;
  readonly namespace: string;
  /** Pods the policy applies to. */
  readonly podLabels: Record<string, string>;
  readonly ingress?: NetworkFlow[];
  readonly egress?: NetworkFlow[];
}

/**
 * An explicit allow for one workload's flows, on top of its namespace's default deny.
 * The flow arrays are read at synthesis, so callers may push to them after construction.
 */
export class NetworkAllow extends Construct {
  constructor(scope: Construct, id: string, props: NetworkAllowProps) {
    super(scope, id);
    // Rendered lazily: constructs add flows after construction (allowIngress/allowEgress).
    const ingress = props.ingress ?? [];
    const egress = props.egress ?? [];
    const podLabels = requireSelector(`${props.name}.podSelector`, props.podLabels);
    const check = () => {
      ingress.forEach((f, i) => requireFlow(`${props.name}.ingress[${i}]`, f));
      egress.forEach((f, i) => requireFlow(`${props.name}.egress[${i}]`, f));
    };
    check();
    const open = (): Record<string, string> => {
      const out: Record<string, string> = {};
      const note = (dir: string) => (f: NetworkFlow, i: number) => {
        const reasons = f.peers.flatMap((p) => (p.openReason ? [p.openReason] : []));
        if (reasons.length) out[`${dir}[${i}]`] = [...new Set(reasons)].join('; ');
      };
      ingress.forEach(note('ingress'));
      egress.forEach(note('egress'));
      return out;
    };
    new NetworkPolicyObject(this, 'Resource', open, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: props.name, namespace: props.namespace },
      spec: Lazy.any({
        produce: () => (check(), {
          podSelector: { matchLabels: podLabels },
          // A direction without flows stays listed, so it is denied rather than left open.
          policyTypes: ['Ingress', 'Egress'],
          ingress: ingress.map((f) => ({ from: f.peers.map((p) => p.peer), ports: ports(f) })),
          egress: egress.map((f) => ({ to: f.peers.map((p) => p.peer), ports: ports(f) })),
        }),
      }),
    });
  }
}

/** The NetworkPolicy object; its open-rules annotation is computed at synthesis, like its rules. */
class NetworkPolicyObject extends K8sObject {
  constructor(scope: Construct, id: string, private readonly openRules: () => Record<string, string>, props: K8sObjectProps) {
    super(scope, id, props);
  }

  override toJson(): any {
    const open = this.openRules();
    if (Object.keys(open).length) this.metadata.addAnnotation(OPEN_RULES_ANNOTATION, JSON.stringify(open));
    return super.toJson();
  }
}

import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { K8sObject } from './k8s-object.js';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Pods another construct runs, for example `MetricsStack` (Prometheus) as a scraper. */
export interface PodsRef {
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
}

/** A source or destination of traffic in a NetworkPolicy rule. */
export class NetworkPeer {
  /** The pods of another construct (any namespace). */
  static of(ref: PodsRef): NetworkPeer {
    return NetworkPeer.pods(ref.podLabels, ref.namespace);
  }
  /** Pods with these labels, in `namespace` (or the policy's own namespace when omitted). */
  static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    return new NetworkPeer({
      podSelector: { matchLabels: labels },
      ...(namespace ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } } : {}),
    });
  }
  /** Every pod of one namespace. */
  static namespace(name: string): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } });
  }
  /** Every pod in the cluster (for example Prometheus scraping any workload). */
  static allPods(): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: {} });
  }
  /**
   * An IP range. Needed for the Kubernetes API server, for host-network pods (kubelet,
   * node-exporter) and for cloud endpoints (S3), which no pod selector can match.
   */
  static cidr(cidr: string, except?: string[]): NetworkPeer {
    return new NetworkPeer({ ipBlock: { cidr, ...(except ? { except } : {}) } });
  }
  private constructor(public readonly peer: INetworkPolicyPeer) {}
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
  kubeApiServer: (): NetworkFlow => ({ peers: [NetworkPeer.cidr('0.0.0.0/0')], ports: [443, 6443] }),
  /** HTTPS to anything outside the cluster (object storage, SaaS receivers). */
  httpsEgress: (): NetworkFlow => ({ peers: [NetworkPeer.cidr('0.0.0.0/0')], ports: [443] }),
} as const;

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
    new K8sObject(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: props.name, namespace: props.namespace },
      spec: Lazy.any({
        produce: () => ({
          podSelector: { matchLabels: props.podLabels },
          // A direction without flows stays listed, so it is denied rather than left open.
          policyTypes: ['Ingress', 'Egress'],
          ingress: ingress.map((f) => ({ from: f.peers.map((p) => p.peer), ports: ports(f) })),
          egress: egress.map((f) => ({ to: f.peers.map((p) => p.peer), ports: ports(f) })),
        }),
      }),
    });
  }
}

import { Construct } from 'constructs';
import { validateDnsLabel } from './names.js';
import { invalid } from './errors.js';
import { K8sObject } from './k8s-object.js';

/** Pod Security Standards level enforced on a namespace. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface PlatformNamespaceProps {
  readonly name: string;
  /**
   * Pod Security admission level, enforced, audited and warned.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /** Why a namespace is less than restricted; required for anything but `restricted`. */
  readonly podSecurityReason?: string;
}

// Namespaces declared for node agents (privileged), per construct tree: Workload refuses host
// access and root anywhere else.
const NODE_AGENT_NAMESPACES = new WeakMap<object, Set<string>>();

/** Whether `name` is declared, in this construct tree, as a namespace for node agents (Pod Security `privileged`, with a reason). */
export function isNodeAgentNamespace(scope: Construct, name: string): boolean {
  return NODE_AGENT_NAMESPACES.get(scope.node.root)?.has(name) ?? false;
}

/**
 * A namespace the platform owns: Pod Security admission labels, a default-deny
 * NetworkPolicy for both directions, and the one flow every pod needs (DNS).
 * Each workload then adds a {@link NetworkAllow} for its own flows.
 */
export class PlatformNamespace extends Construct {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name, 'namespace');
    this.podSecurity = props.podSecurity ?? 'restricted';
    if (this.podSecurity !== 'restricted' && !props.podSecurityReason) {
      throw invalid('podSecurityReason', props.podSecurityReason, `a reason why namespace '${this.name}' is '${this.podSecurity}' instead of 'restricted'`);
    }
    if (this.podSecurity === 'privileged') {
      const set = NODE_AGENT_NAMESPACES.get(this.node.root) ?? new Set<string>();
      set.add(this.name);
      NODE_AGENT_NAMESPACES.set(this.node.root, set);
    }
    const psa = Object.fromEntries(
      ['enforce', 'audit', 'warn'].flatMap((mode) => [
        [`pod-security.kubernetes.io/${mode}`, this.podSecurity],
        [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
      ]),
    );
    new K8sObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.name,
        labels: psa,
        ...(props.podSecurityReason ? { annotations: { 'monitoring.aeon-nova.io/pod-security-reason': props.podSecurityReason } } : {}),
      },
    });
    new K8sObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: this.name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new K8sObject(this, 'AllowDns', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-dns', namespace: this.name },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
        }],
      },
    });
  }
}

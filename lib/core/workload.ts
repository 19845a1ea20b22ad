import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, requireArray, requireInt, requireUnique } from './errors.js';
import { requirePinnedImage } from './images.js';
import { K8sObject } from './k8s-object.js';
import { selectorLabels } from './labels.js';
import { statefulSetName, validateDnsLabel } from './names.js';
import { isNodeAgentNamespace } from './namespace.js';
import { FLOWS, NetworkAllow, NetworkFlow, requireFlow } from './network.js';
import { Size } from './units.js';

/** Requests and limits of one container. A memory limit is always set; CPU is not limited (throttling hurts latency more than it protects). */
export interface ResourceSpec {
  readonly cpu: string;
  readonly memory: string;
  /** @default - equal to the memory request */
  readonly memoryLimit?: string;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly command?: string[];
  readonly env?: IEnvVar[];
  readonly ports?: Array<{ readonly name: string; readonly containerPort: number; readonly protocol?: 'TCP' | 'UDP' }>;
  readonly volumeMounts?: IVolumeMount[];
  readonly resources: ResourceSpec;
  readonly readinessProbe?: IProbe;
  readonly livenessProbe?: IProbe;
  /** Overrides of the restricted container security context (node agents only). */
  readonly securityContext?: ISecurityContext;
}

/** A persistent volume claim template of a StatefulSet. */
export interface VolumeClaim {
  readonly name: string;
  readonly size: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

export interface WorkloadServiceProps {
  readonly ports: Array<{ readonly name: string; readonly port: number; readonly targetPort?: number | string }>;
  /** A headless Service (clusterIP None), for StatefulSet identity and gossip rings. */
  readonly headless?: boolean;
  /** @default - the workload name */
  readonly name?: string;
  /** Publish addresses before readiness, for peer discovery (memberlist, Alertmanager cluster). */
  readonly publishNotReadyAddresses?: boolean;
}

export interface WorkloadProps {
  readonly name: string;
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** `app.kubernetes.io/component`, part of the selector. */
  readonly component?: string;
  /** @default 1 (ignored for DaemonSets) */
  readonly replicas?: number;
  readonly containers: ContainerSpec[];
  readonly initContainers?: ContainerSpec[];
  readonly volumes?: IVolume[];
  readonly volumeClaims?: VolumeClaim[];
  /** Mount a service account token: only for workloads that call the Kubernetes API. @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Annotations of the workload's ServiceAccount, for example an IRSA role (`eks.amazonaws.com/role-arn`). */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** @default - restricted: non-root uid/gid 65534, RuntimeDefault seccomp */
  readonly podSecurityContext?: IPodSecurityContext;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: IToleration[];
  readonly priorityClassName?: string;
  readonly podAnnotations?: Record<string, string>;
  readonly service?: WorkloadServiceProps;
  /** Who may connect to the workload's container ports. */
  readonly ingressFrom?: NetworkFlow[];
  /** Where the workload may connect (DNS is always allowed by the namespace). */
  readonly egressTo?: NetworkFlow[];
  /** Adds the Kubernetes API server to `egressTo` (implied by `automountServiceAccountToken`). */
  readonly terminationGracePeriodSeconds?: number;
}

/** Upper bound of `replicas` of any workload: past it a typo (1e9) would ask the cluster for pods it cannot run. */
export const MAX_REPLICAS = 100;
/** Upper bound of autoscaled replicas (KEDA/HPA `maxReplicas`). */
export const MAX_SCALED_REPLICAS = 1000;
/** Upper bounds of the lists that generate pod spec entries. */
export const MAX_CONTAINERS = 10;
export const MAX_VOLUMES = 50;

/**
 * The privilege-raising settings of a pod spec, each with the prop that set it. Allowed only in
 * a namespace declared for node agents (`isNodeAgentNamespace`); `privileged` and privilege
 * escalation are refused everywhere: no agent of the library needs them.
 */
function privilegeRaising(props: WorkloadProps): Array<[prop: string, what: string]> {
  const out: Array<[string, string]> = [];
  if (props.hostNetwork) out.push(['hostNetwork', 'the host network']);
  if (props.hostPID) out.push(['hostPID', 'the host PID namespace']);
  const pod = props.podSecurityContext;
  if (pod && (pod.runAsUser === 0 || pod.runAsNonRoot === false || pod.runAsGroup === 0)) out.push(['podSecurityContext', 'root (uid or gid 0, or runAsNonRoot false)']);
  (props.volumes ?? []).forEach((v, i) => { if (v.hostPath) out.push([`volumes[${i}].hostPath`, `the host path ${v.hostPath.path}`]); });
  [...(props.initContainers ?? []), ...(props.containers ?? [])].forEach((c) => {
    const sc = c?.securityContext;
    if (!sc) return;
    if (sc.runAsUser === 0 || sc.runAsNonRoot === false || sc.runAsGroup === 0) out.push([`containers.${c.name}.securityContext`, 'root (uid or gid 0, or runAsNonRoot false)']);
    if (sc.capabilities?.add?.length) out.push([`containers.${c.name}.securityContext.capabilities.add`, `the capabilities ${sc.capabilities.add.join(', ')}`]);
  });
  return out;
}

/** Host directory under which node agents keep state that must outlive the pod (read positions). */
export const NODE_AGENT_STATE_DIR = '/var/lib/ai-monitoring';

/** Refuses privilege raising outside the node-agent namespace, and what no workload may have anywhere. */
function checkPrivileges(scope: Construct, props: WorkloadProps): void {
  [...(props.initContainers ?? []), ...(props.containers ?? [])].forEach((c) => {
    const sc = c?.securityContext;
    if (sc?.privileged) throw invalid(`containers.${c.name}.securityContext.privileged`, true, 'unset: a privileged container owns the node, and no agent of the platform needs it');
    if (sc?.allowPrivilegeEscalation) throw invalid(`containers.${c.name}.securityContext.allowPrivilegeEscalation`, true, 'unset (false): setuid binaries would regain the capabilities dropped');
    if (sc?.readOnlyRootFilesystem === false) throw invalid(`containers.${c.name}.securityContext.readOnlyRootFilesystem`, false, 'unset (true): mount an emptyDir where the image writes');
  });
  if ((props as { hostIPC?: boolean }).hostIPC) throw invalid('hostIPC', true, 'unset: no agent of the platform needs the host IPC namespace');
  const raised = privilegeRaising(props);
  if (raised.length && !isNodeAgentNamespace(scope, props.namespace)) {
    const [prop, what] = raised[0];
    throw invalid(prop, '<privilege-raising override>', `unset in namespace '${props.namespace}': ${what} is allowed only in the namespace declared for node agents (PlatformNamespace with podSecurity 'privileged' and a reason, such as MetricsStack's agentNamespace)`);
  }
  (props.volumes ?? []).forEach((v, i) => {
    if (!v.hostPath) return;
    const path = v.hostPath.path;
    // Normalised absolute paths only: `..` or `//` would reach beyond what the agent declares.
    if (typeof path !== 'string' || !/^\/([\w.-]+(\/[\w.-]+)*)?$/.test(path) || /(^|\/)\.\.?(\/|$)/.test(path)) {
      throw invalid(`volumes[${i}].hostPath.path`, path, 'a normalised absolute host path like /var/log');
    }
    const mounts = [...(props.initContainers ?? []), ...props.containers].flatMap((c) => (c.volumeMounts ?? []).filter((m) => m.name === v.name));
    // Agents read the host; a writable host mount would let a compromised agent change the node.
    // The one exception is an agent's own state directory (read positions, WAL) under the
    // library's directory, which must outlive the pod and holds nothing the node relies on.
    const ownState = path.startsWith(`${NODE_AGENT_STATE_DIR}/`) && !path.slice(NODE_AGENT_STATE_DIR.length + 1).includes('/');
    if (!ownState && mounts.some((m) => !m.readOnly)) {
      throw invalid(`volumes[${i}].hostPath`, path, `mounted read-only by every container (node agents only read the host; only an agent's own state directory ${NODE_AGENT_STATE_DIR}/<agent> may be written)`);
    }
  });
}

/** The restricted Pod Security Standard's container settings. */
export function restrictedContainerSecurityContext(): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The restricted Pod Security Standard's pod settings, as the `nobody` user. */
export function restrictedPodSecurityContext(uid = 65534): IPodSecurityContext {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Spread replicas over zones and nodes; soft so that small clusters still schedule. */
export function spreadConstraints(labels: Record<string, string>): ITopologySpreadConstraint[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: labels },
  }));
}

// A Kubernetes quantity (number and optional SI, binary or exponent suffix), non-negative.
const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const QUANTITY_FACTORS: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** Parses a resource quantity at construction, so a typo fails here and not at `kubectl apply`. */
function quantity(prop: string, value: string, example: string): number {
  const m = typeof value === 'string' ? QUANTITY.exec(value) : null;
  if (!m) throw invalid(prop, value, `a Kubernetes quantity like ${example}`);
  const suffix = m[2] ?? '';
  return Number(m[1]) * (/^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : QUANTITY_FACTORS[suffix] ?? 1);
}

function checkResources(prop: string, r: ResourceSpec): void {
  quantity(`${prop}.cpu`, r?.cpu, '500m or 2');
  const memory = quantity(`${prop}.memory`, r?.memory, '256Mi or 4Gi');
  if (r.memoryLimit !== undefined && quantity(`${prop}.memoryLimit`, r.memoryLimit, '512Mi or 8Gi') < memory) {
    throw invalid(`${prop}.memoryLimit`, r.memoryLimit, `at least the memory request (${r.memory})`);
  }
}

export function renderContainer(spec: ContainerSpec, prop = 'containers'): IContainer {
  validateDnsLabel(spec.name, `${prop}.name`);
  requirePinnedImage(spec.image, `${prop}.${spec.name}.image`);
  checkResources(`${prop}.${spec.name}.resources`, spec.resources);
  // The schema types containerPort as an integer only; the API server would refuse it at apply.
  requireArray(`${prop}.${spec.name}.ports`, spec.ports ?? [], 'a list of ports').forEach((p) => requireInt(`${prop}.${spec.name}.ports.${p.name}.containerPort`, p.containerPort, 1, 65535));
  return {
    name: spec.name,
    image: spec.image,
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    ...(spec.env ? { env: spec.env } : {}),
    ...(spec.ports ? { ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })) } : {}),
    ...(spec.volumeMounts ? { volumeMounts: spec.volumeMounts } : {}),
    resources: {
      requests: { cpu: spec.resources.cpu, memory: spec.resources.memory },
      limits: { memory: spec.resources.memoryLimit ?? spec.resources.memory },
    },
    ...(spec.readinessProbe ? { readinessProbe: spec.readinessProbe } : {}),
    ...(spec.livenessProbe ? { livenessProbe: spec.livenessProbe } : {}),
    securityContext: { ...restrictedContainerSecurityContext(), ...(spec.securityContext ?? {}) },
  };
}

/**
 * One workload with everything the platform's security baseline asks of it: its own
 * ServiceAccount (token not mounted unless needed), restricted security contexts, requests and
 * a memory limit on every container, pinned images, spreading and a PodDisruptionBudget when it
 * has more than one replica, an optional Service, and a NetworkPolicy for its flows.
 * Every construct that runs pods builds on this, so the baseline lives in one place.
 */
export class Workload extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly selectorLabels: Record<string, string>;
  readonly serviceAccountName: string;
  readonly serviceName?: string;
  readonly resource: K8sObject;
  private readonly ingress: NetworkFlow[];
  private readonly egress: NetworkFlow[];
  private readonly containerPorts: Array<number | string>;
  private scaledBy?: string;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name, 'name');
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    if (props.kind === 'StatefulSet') statefulSetName('name', this.name);
    this.replicas = props.kind === 'DaemonSet' ? 1 : requireInt('replicas', props.replicas ?? 1, 1, MAX_REPLICAS);
    if (!Array.isArray(props.containers) || props.containers.length === 0) throw invalid('containers', props.containers, 'at least one container');
    if (props.containers.length > MAX_CONTAINERS) throw invalid('containers', `${props.containers.length} containers`, `at most ${MAX_CONTAINERS} containers`);
    if ((props.initContainers?.length ?? 0) > MAX_CONTAINERS) throw invalid('initContainers', `${props.initContainers!.length} containers`, `at most ${MAX_CONTAINERS} init containers`);
    if ((props.volumes?.length ?? 0) > MAX_VOLUMES) throw invalid('volumes', `${props.volumes!.length} volumes`, `at most ${MAX_VOLUMES} volumes`);
    checkPrivileges(this, props);
    const names: string[] = [];
    [...(props.initContainers ?? []), ...props.containers].forEach((c) => { requireUnique('containers.name', c.name, names); names.push(c.name); });
    if (props.terminationGracePeriodSeconds !== undefined) requireInt('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 0, 3600);
    this.selectorLabels = selectorLabels(this.name, props.component);
    this.serviceAccountName = this.name;
    const meta = { name: this.name, namespace: this.namespace };
    const multi = props.kind !== 'DaemonSet' && this.replicas > 1;
    const automount = props.automountServiceAccountToken ?? false;

    new K8sObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: props.serviceAccountAnnotations ? { ...meta, annotations: props.serviceAccountAnnotations } : meta,
      automountServiceAccountToken: automount,
    });

    if (props.service) {
      this.serviceName = props.service.name ?? this.name;
      new K8sObject(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        // The selector labels on the Service too, so a ServiceMonitor can select it by them.
        metadata: { name: this.serviceName, namespace: this.namespace, labels: this.selectorLabels },
        spec: {
          selector: this.selectorLabels,
          ...(props.service.headless ? { clusterIP: 'None' } : {}),
          ...(props.service.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
          ports: props.service.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' })),
        },
      });
    }

    const podSpec = {
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: automount,
      securityContext: props.podSecurityContext ?? restrictedPodSecurityContext(),
      ...(props.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
      ...(props.hostPID ? { hostPID: true } : {}),
      ...(props.nodeSelector ? { nodeSelector: props.nodeSelector } : {}),
      ...(props.tolerations ? { tolerations: props.tolerations } : {}),
      ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
      ...(props.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: props.terminationGracePeriodSeconds } : {}),
      ...(multi ? { topologySpreadConstraints: spreadConstraints(this.selectorLabels) } : {}),
      ...(props.initContainers ? { initContainers: props.initContainers.map((c) => renderContainer(c, 'initContainers')) } : {}),
      containers: props.containers.map((c) => renderContainer(c)),
      ...(props.volumes ? { volumes: props.volumes } : {}),
    };
    const template = {
      metadata: { labels: this.selectorLabels, ...(props.podAnnotations ? { annotations: props.podAnnotations } : {}) },
      spec: podSpec,
    };
    const spec: Record<string, unknown> = { selector: { matchLabels: this.selectorLabels }, template };
    // Omitted once an autoscaler owns the scale: two owners of one field reset each other.
    if (props.kind !== 'DaemonSet') spec.replicas = Lazy.any({ produce: () => (this.scaledBy ? undefined : this.replicas) });
    if (props.kind === 'StatefulSet') {
      spec.serviceName = this.serviceName ?? this.name;
      spec.podManagementPolicy = 'Parallel';
      if (props.volumeClaims?.length) {
        spec.volumeClaimTemplates = props.volumeClaims.map((c) => ({
          metadata: { name: c.name },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}),
            resources: { requests: { storage: c.size.toKubernetesGi() } },
          },
        }));
      }
    }
    this.resource = new K8sObject(this, 'Resource', { apiVersion: 'apps/v1', kind: props.kind, metadata: meta, spec });

    if (multi) {
      new K8sObject(this, 'Pdb', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta,
        spec: { maxUnavailable: 1, selector: { matchLabels: this.selectorLabels } },
      });
    }

    this.egress = [...(props.egressTo ?? []), ...(automount ? [FLOWS.kubeApiServer()] : [])];
    this.containerPorts = props.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
    this.ingress = [];
    (props.ingressFrom ?? []).forEach((f) => this.allowIngress(f));
    new NetworkAllow(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podLabels: this.selectorLabels,
      ingress: this.ingress,
      egress: this.egress,
    });
  }

  /** Lets another client reach the workload (all container ports unless the flow names some). */
  allowIngress(flow: NetworkFlow): void {
    requireFlow(`${this.name}.ingress[${this.ingress.length}]`, flow);
    this.ingress.push({ ...flow, ports: flow.ports ?? this.containerPorts });
  }

  /** Hands `spec.replicas` to a scaler (KEDA): the workload then renders no replica count. */
  releaseReplicasTo(owner: string): void {
    this.scaledBy = owner;
  }

  /** The scaler that owns `spec.replicas`, if any. */
  get replicasOwner(): string | undefined {
    return this.scaledBy;
  }

  /** Lets the workload reach another destination. */
  allowEgress(flow: NetworkFlow): void {
    this.egress.push(requireFlow(`${this.name}.egress[${this.egress.length}]`, flow));
  }
}

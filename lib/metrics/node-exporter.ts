import { Construct } from 'constructs';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { IMAGES } from '../core/images.js';
import { validateDnsLabel } from '../core/names.js';
import { NetworkPeer } from '../core/network.js';
import { ResourceSpec, Workload } from '../core/workload.js';
import { ServiceMonitor } from './monitors.js';

export interface NodeExporterProps {
  /** Namespace for node agents (host access; see MetricsStack). */
  readonly namespace: string;
  /** Name of the DaemonSet, its ServiceAccount, Service, NetworkPolicy and ServiceMonitor (so the `job` label too). @default 'ai-monitoring-node-exporter' */
  readonly name?: string;
  /** Labels of the Prometheus pods allowed to scrape. */
  readonly scraperLabels: Record<string, string>;
  readonly scraperNamespace: string;
  /** @default IMAGES.nodeExporter */
  readonly image?: string;
  /** @default { cpu: '50m', memory: '64Mi', memoryLimit: '180Mi' } */
  readonly resources?: ResourceSpec;
  /**
   * The systemd collector (`node_systemd_unit_state`, read by NodeSystemdUnitFailed): off by
   * default upstream; it asks systemd over the host's D-Bus system socket, mounted read-only.
   * @default true
   */
  readonly systemd?: boolean;
}

/** Where node-exporter's D-Bus client looks for the system bus (its library's default address). */
const DBUS_SOCKET = '/var/run/dbus/system_bus_socket';

export const NODE_EXPORTER_PORT = 9100;

/**
 * prometheus node-exporter on every node (seed 2.1: node status, disk usage and I/O, network
 * bandwidth and connection states). Runs as `nobody` with read-only host mounts; it needs the
 * host's network and PID namespaces to report the node, not the pod.
 */
export class NodeExporter extends Construct {
  /** Name of the workload and of every object it derives (see the `name` prop). */
  readonly name: string;
  readonly workload: Workload;

  constructor(scope: Construct, id: string, props: NodeExporterProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name ?? DEFAULT_NAMES.nodeExporter, 'name');
    const systemd = props.systemd ?? true;
    const hostMounts = [
      ['proc', '/proc', '/host/proc'],
      ['sys', '/sys', '/host/sys'],
      ['root', '/', '/host/root'],
      ...(systemd ? [['dbus', '/run/dbus/system_bus_socket', DBUS_SOCKET]] : []),
    ];
    this.workload = new Workload(this, 'Resource', {
      name: this.name,
      namespace: props.namespace,
      kind: 'DaemonSet',
      hostNetwork: true,
      hostPID: true,
      tolerations: [{ operator: 'Exists' }],
      priorityClassName: 'system-node-critical',
      containers: [{
        name: 'node-exporter',
        image: props.image ?? IMAGES.nodeExporter,
        args: [
          '--path.procfs=/host/proc',
          '--path.sysfs=/host/sys',
          '--path.rootfs=/host/root',
          `--web.listen-address=:${NODE_EXPORTER_PORT}`,
          // Connection states (seed 2.1 "Connection states"): off by default upstream.
          '--collector.tcpstat',
          '--collector.processes',
          ...(systemd ? ['--collector.systemd'] : []),
          '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/.+)($|/)',
          '--collector.netclass.ignored-devices=^(veth.*|[a-f0-9]{15})$',
          '--collector.netdev.device-exclude=^(veth.*|[a-f0-9]{15})$',
        ],
        ports: [{ name: 'metrics', containerPort: NODE_EXPORTER_PORT }],
        volumeMounts: hostMounts.map(([name, , mountPath]) => ({
          name, mountPath, readOnly: true, ...(name === 'root' ? { mountPropagation: 'HostToContainer' } : {}),
        })),
        resources: props.resources ?? { cpu: '50m', memory: '64Mi', memoryLimit: '180Mi' },
        readinessProbe: { httpGet: { path: '/', port: 'metrics' } },
      }],
      volumes: hostMounts.map(([name, path]) => ({ name, hostPath: { path } })),
      service: { ports: [{ name: 'metrics', port: NODE_EXPORTER_PORT }] },
      ingressFrom: [{ peers: [NetworkPeer.pods(props.scraperLabels, props.scraperNamespace)] }],
    });
    new ServiceMonitor(this, 'Monitor', {
      name: this.name,
      namespace: props.namespace,
      selector: this.workload.selectorLabels,
      endpoints: [{
        port: 'metrics',
        // Name series after the node, not the host-network pod IP.
        relabelings: [{ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'instance' }],
      }],
    });
  }
}

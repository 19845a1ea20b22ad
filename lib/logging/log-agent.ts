import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { invalid, requireInt } from '../core/errors.js';
import { IMAGES, requirePinnedImage } from '../core/images.js';
import { K8sObject } from '../core/k8s-object.js';
import { NetworkPeer, PodsRef } from '../core/network.js';
import { RbacGrant } from '../core/rbac.js';
import { NODE_AGENT_STATE_DIR, ResourceSpec, Workload } from '../core/workload.js';
import { PodMonitor } from '../metrics/monitors.js';
import { AgentPipeline } from './agent-pipeline.js';
import { ALLOY_HTTP_PORT, renderAlloyConfig } from './alloy-config.js';
import { LOKI_HTTP_PORT } from './loki-config.js';
import { DEFAULT_POD_LOG_LABELS, GEOIP_MOUNT, GeoIpDatabase, LogParser, requireGeoIpDatabase, validatePodLogLabels } from './pipeline.js';
import { PROMTAIL_HTTP_PORT, renderPromtailConfig } from './promtail-config.js';

export interface LogAgentOptions {
  /** @default IMAGES.alloy or IMAGES.promtail */
  readonly image?: string;
  /** @default { cpu: '100m', memory: '256Mi', memoryLimit: '512Mi' } */
  readonly resources?: ResourceSpec;
}

/** Which program collects the logs. Alloy is the default: Promtail reached end of life on 2026-03-02. */
export class LogAgent {
  /** Grafana Alloy, configured in the Alloy syntax. */
  static alloy(options: LogAgentOptions = {}): LogAgent {
    return new LogAgent('alloy', options.image ?? IMAGES.alloy, options.resources);
  }

  /** Promtail, for teams still on it (end of life since 2026-03-02: plan the move to Alloy). */
  static promtail(options: LogAgentOptions = {}): LogAgent {
    return new LogAgent('promtail', options.image ?? IMAGES.promtail, options.resources);
  }

  readonly resources: ResourceSpec;

  private constructor(readonly kind: 'alloy' | 'promtail', readonly image: string, resources?: ResourceSpec) {
    requirePinnedImage(image, 'agent.image');
    this.resources = resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '512Mi' };
  }

  get httpPort(): number {
    return this.kind === 'alloy' ? ALLOY_HTTP_PORT : PROMTAIL_HTTP_PORT;
  }
}

/** Host directory under which each agent keeps its read positions across restarts. */
export const AGENT_STATE_DIR = NODE_AGENT_STATE_DIR;

/** A syslog (RFC 5424 over TCP) receiver on every node, for appliances that send syslog. */
export interface SyslogReceiver {
  readonly port: number;
  /** Who may send (for example a network range of switches). */
  readonly allowFrom: NetworkPeer[];
}

export interface LogAgentDaemonSetProps {
  /** Namespace for node agents (MetricsStack `agentNamespace`, Pod Security `privileged`). */
  readonly namespace: string;
  /** @default LogAgent.alloy() */
  readonly agent?: LogAgent;
  /** Loki push endpoint. */
  readonly pushUrl: string;
  /** Pods that receive pushes (the Loki distributors), for the egress policy. */
  readonly lokiPeer: NetworkPeer;
  /** Labels on every stream, e.g. `{ cluster, region }`. */
  readonly externalLabels?: Record<string, string>;
  /** Stream labels of pod logs (seed 3.1). @default DEFAULT_POD_LOG_LABELS */
  readonly labels?: string[];
  /** @default [LogParser.json(), LogParser.syslog()] */
  readonly parsers?: LogParser[];
  /** Required when a parser enriches with GeoIP. */
  readonly geoipDatabase?: GeoIpDatabase;
  /** Read the systemd journal (system logs and Kubernetes services: kubelet, container runtime). @default true */
  readonly journal?: boolean;
  /** Host syslog files. @default ['/var/log/syslog', '/var/log/messages'] */
  readonly syslogFiles?: string[];
  /** @default - none */
  readonly syslogReceiver?: SyslogReceiver;
  /** Pods allowed to scrape the agent's metrics (MetricsStack). */
  readonly scraper?: PodsRef;
}

/**
 * The log agent on every node (seed 3.1 `promtail`): pod logs, Kubernetes service logs from
 * the journal, system logs (journal and syslog), parsed and enriched, pushed to Loki. It reads
 * host files, so it runs as root in the privileged agent namespace, but with a read-only root
 * filesystem, read-only host mounts, no capabilities and no privilege escalation; its RBAC is
 * read-only on pods and namespaces.
 */
export class LogAgentDaemonSet extends Construct {
  readonly agent: LogAgent;
  readonly labels: string[];
  readonly parsers: LogParser[];
  /** The rendered agent configuration (Alloy syntax or Promtail YAML). */
  readonly config: string;
  readonly workload: Workload;

  constructor(scope: Construct, id: string, props: LogAgentDaemonSetProps) {
    super(scope, id);
    this.agent = props.agent ?? LogAgent.alloy();
    this.labels = validatePodLogLabels(props.labels ?? [...DEFAULT_POD_LOG_LABELS], 'labels');
    this.parsers = props.parsers ?? [LogParser.json(), LogParser.syslog()];
    const names = this.parsers.map((p) => p.name);
    names.forEach((n, i) => { if (names.indexOf(n) !== i) throw invalid(`parsers[${i}].name`, n, 'unique among the parsers'); });
    requireGeoIpDatabase(this.parsers, props.geoipDatabase);
    if (this.agent.kind === 'promtail' && props.geoipDatabase?.type === 'country') {
      throw invalid('geoipDatabase.type', 'country', "'city' or 'asn' (Promtail's geoip stage has no country type)");
    }
    const syslogFiles = props.syslogFiles ?? ['/var/log/syslog', '/var/log/messages'];
    syslogFiles.forEach((f, i) => { if (!/^\/var\/log\/[\w./-]+$/.test(f)) throw invalid(`syslogFiles[${i}]`, f, 'a file under /var/log (the only host path mounted)'); });
    if (props.syslogReceiver) requireInt('syslogReceiver.port', props.syslogReceiver.port, 1024, 65535);
    const pipeline: AgentPipeline = {
      pushUrl: props.pushUrl,
      externalLabels: props.externalLabels ?? {},
      podLabels: this.labels as AgentPipeline['podLabels'],
      parsers: this.parsers,
      geoip: props.geoipDatabase,
      journal: props.journal ?? true,
      syslogFiles,
      syslogReceiverPort: props.syslogReceiver?.port,
    };
    const alloy = this.agent.kind === 'alloy';
    this.config = alloy ? renderAlloyConfig(pipeline) : renderPromtailConfig(pipeline);
    const name = alloy ? 'alloy-logs' : 'promtail';
    const configFile = alloy ? 'config.alloy' : 'promtail.yaml';
    const configDir = alloy ? '/etc/alloy' : '/etc/promtail';

    new K8sObject(this, 'Config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: props.namespace },
      data: { [configFile]: this.config },
    });
    const port = this.agent.httpPort;
    const root = { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false };
    this.workload = new Workload(this, 'Resource', {
      name,
      namespace: props.namespace,
      kind: 'DaemonSet',
      component: 'log-agent',
      // Discovers this node's pods through the API server.
      automountServiceAccountToken: true,
      // Root only to read the root-owned files under /var/log; nothing else is granted.
      podSecurityContext: { ...root, seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ operator: 'Exists' }],
      priorityClassName: 'system-node-critical',
      podAnnotations: { 'checksum/config': createHash('sha256').update(this.config).digest('hex').slice(0, 16) },
      containers: [{
        name: this.agent.kind,
        image: this.agent.image,
        args: alloy
          ? ['run', `${configDir}/${configFile}`, '--storage.path=/var/lib/alloy/data', `--server.http.listen-addr=0.0.0.0:${port}`]
          : [`-config.file=${configDir}/${configFile}`],
        // Alloy selects this node's pods by NODE_NAME; Promtail keeps targets whose __host__ equals HOSTNAME.
        env: [{ name: alloy ? 'NODE_NAME' : 'HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        ports: [
          { name: 'http-metrics', containerPort: port },
          ...(props.syslogReceiver ? [{ name: 'syslog', containerPort: props.syslogReceiver.port }] : []),
        ],
        volumeMounts: [
          { name: 'config', mountPath: configDir, readOnly: true },
          { name: 'varlog', mountPath: '/var/log', readOnly: true },
          { name: 'machine-id', mountPath: '/etc/machine-id', readOnly: true },
          { name: 'data', mountPath: alloy ? '/var/lib/alloy' : '/run/promtail' },
          { name: 'tmp', mountPath: '/tmp' },
          ...(props.geoipDatabase ? [{ name: 'geoip', mountPath: GEOIP_MOUNT, readOnly: true }] : []),
        ],
        resources: this.agent.resources,
        readinessProbe: { httpGet: { path: alloy ? '/-/ready' : '/ready', port: 'http-metrics' }, periodSeconds: 10 },
        securityContext: root,
      }],
      volumes: [
        { name: 'config', configMap: { name } },
        { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
        // The journal is stored under /var/log/journal/<machine-id>.
        { name: 'machine-id', hostPath: { path: '/etc/machine-id', type: 'File' } },
        // Read positions (and Alloy's WAL) on the node: they outlive the pod, so a restarted or
        // upgraded agent resumes where it stopped instead of re-reading and duplicating the logs.
        { name: 'data', hostPath: { path: `${AGENT_STATE_DIR}/${name}`, type: 'DirectoryOrCreate' } },
        { name: 'tmp', emptyDir: {} },
        ...(props.geoipDatabase ? [props.geoipDatabase.volume] : []),
      ],
      egressTo: [{ peers: [props.lokiPeer], ports: [LOKI_HTTP_PORT] }],
      ingressFrom: [
        ...(props.scraper ? [{ peers: [NetworkPeer.of(props.scraper)], ports: [port] }] : []),
        ...(props.syslogReceiver ? [{ peers: props.syslogReceiver.allowFrom, ports: [props.syslogReceiver.port] }] : []),
      ],
    });
    new RbacGrant(this, 'Rbac', {
      name: `${name}-${props.namespace}`,
      serviceAccount: this.workload.serviceAccountName,
      serviceAccountNamespace: props.namespace,
      rules: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
    });
    if (props.scraper) {
      new PodMonitor(this, 'Monitor', {
        name,
        namespace: props.namespace,
        selector: this.workload.selectorLabels,
        endpoints: [{ port: 'http-metrics' }],
      });
    }
  }
}

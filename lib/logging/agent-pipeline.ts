import { GeoIpDatabase, LogParser, PodLogLabel, POD_LOG_LABELS } from './pipeline.js';

/** Everything both agent configurations are generated from. */
export interface AgentPipeline {
  /** Loki push endpoint, e.g. `http://loki-distributor.logging.svc:3100/loki/api/v1/push`. */
  readonly pushUrl: string;
  /** Labels added to every stream (`cluster`, `region`). */
  readonly externalLabels: Record<string, string>;
  readonly podLabels: readonly PodLogLabel[];
  readonly parsers: readonly LogParser[];
  readonly geoip?: GeoIpDatabase;
  /** Read the systemd journal (system and Kubernetes service logs). */
  readonly journal: boolean;
  /** Host syslog files to tail. */
  readonly syslogFiles: readonly string[];
  /** TCP port of a syslog (RFC 5424) receiver. @default - no receiver */
  readonly syslogReceiverPort?: number;
}

/** Job label of Kubernetes pod logs. */
export const POD_JOB = 'kubernetes-pods';
export const JOURNAL_JOB = 'system/journal';
export const SYSLOG_RECEIVER_JOB = 'system/syslog-receiver';
/** Where the journal lives on the host (persistent journald storage). */
export const JOURNAL_PATH = '/var/log/journal';
/** Units of the journal that run Kubernetes itself: seed 3.1 "kubernetes_services". */
export const SERVICE_UNIT_REGEX = '(.+)\\.service';

/** A relabel rule in the shape both agents share (Prometheus relabel_config). */
export interface RelabelRule {
  readonly sourceLabels?: string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly replacement?: string;
  readonly targetLabel?: string;
  readonly action?: 'replace' | 'keep' | 'drop';
}

/** First non-empty of several source labels. */
const FIRST_NON_EMPTY = '^;*([^;]+)(;.*)?$';

/** A relabel rule in the snake_case keys both agents use (Alloy `rule` blocks, Promtail `relabel_configs`), unset keys left out. */
export function relabelKeys(r: RelabelRule): Record<string, string | string[]> {
  const keys = {
    source_labels: r.sourceLabels,
    separator: r.separator,
    regex: r.regex,
    replacement: r.replacement,
    target_label: r.targetLabel,
    action: r.action,
  };
  return Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>;
}

/** Relabel rules that turn pod discovery targets into tailed files with the chosen labels. */
export function podRelabelRules(labels: readonly PodLogLabel[]): RelabelRule[] {
  return [
    // Completed and pending pods have no live log file worth tailing.
    { sourceLabels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed', action: 'drop' },
    ...labels.map((label): RelabelRule => {
      const sources = [...POD_LOG_LABELS[label]];
      return sources.length === 1
        ? { sourceLabels: sources, targetLabel: label }
        : { sourceLabels: sources, separator: ';', regex: FIRST_NON_EMPTY, replacement: '$1', targetLabel: label };
    }),
    { replacement: POD_JOB, targetLabel: 'job' },
    // The kubelet writes /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log.
    {
      sourceLabels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'],
      separator: '/',
      replacement: '/var/log/pods/*$1/*.log',
      targetLabel: '__path__',
    },
  ];
}

/**
 * Syslog receiver fields kept: the sender's host and program as labels (as a file's syslog
 * parser does), the severity as `level`. Both agents expose them as `__syslog_message_*`
 * internal labels, dropped unless relabelled.
 */
export const SYSLOG_RECEIVER_RULES: RelabelRule[] = [
  { sourceLabels: ['__syslog_message_hostname'], targetLabel: 'host' },
  { sourceLabels: ['__syslog_message_app_name'], targetLabel: 'program' },
  { sourceLabels: ['__syslog_message_severity'], targetLabel: 'level' },
];

/** Journal fields kept as labels: the unit (and the service it runs), the priority, the node. */
export function journalRelabelRules(labels: readonly PodLogLabel[]): RelabelRule[] {
  return [
    { sourceLabels: ['__journal__systemd_unit'], targetLabel: 'unit' },
    { sourceLabels: ['__journal__systemd_unit'], regex: SERVICE_UNIT_REGEX, replacement: '$1', targetLabel: 'service_name' },
    { sourceLabels: ['__journal_priority_keyword'], targetLabel: 'level' },
    ...(labels.includes('node_name') ? [{ sourceLabels: ['__journal__hostname'], targetLabel: 'node_name' }] : []),
  ];
}

/** One parsing step, agent-neutral; each agent renders it in its own syntax. */
export type Stage =
  | { readonly type: 'json'; readonly expressions: Record<string, string> }
  | { readonly type: 'regex'; readonly expression: string }
  | { readonly type: 'geoip'; readonly source: string; readonly db: string; readonly dbType: string }
  | { readonly type: 'labels'; readonly names: string[] }
  | { readonly type: 'structured_metadata'; readonly names: string[] }
  | { readonly type: 'timestamp'; readonly source: string; readonly format: string };

/** A parser's stages and the streams it applies to. */
export interface ParserStages {
  readonly name: string;
  readonly selector: string;
  readonly stages: Stage[];
}

/** The stages of each parser, in order; parsers without a selector apply to pod logs. */
export function parserStages(pipeline: AgentPipeline): ParserStages[] {
  return pipeline.parsers.map((p) => {
    const stages: Stage[] = [
      p.kind === 'json' ? { type: 'json', expressions: p.expressions } : { type: 'regex', expression: p.expression! },
    ];
    if (p.labels.length) stages.push({ type: 'labels', names: [...p.labels] });
    if (p.structuredMetadata.length) stages.push({ type: 'structured_metadata', names: [...p.structuredMetadata] });
    if (p.timestamp) stages.push({ type: 'timestamp', source: p.timestamp.field, format: p.timestamp.format });
    // Each agent renders the GeoIP stage with its own label handling (see alloy-config and promtail-config).
    if (p.geoip && pipeline.geoip) {
      stages.push({ type: 'geoip', source: p.geoip.sourceField, db: pipeline.geoip.path, dbType: pipeline.geoip.type });
    }
    return { name: p.name, selector: p.selector ?? `{job="${POD_JOB}"}`, stages };
  });
}

import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { validateDnsLabel } from '../core/names.js';
import { PlatformNamespace } from '../core/namespace.js';
import { NetworkPeer } from '../core/network.js';
import { RuleSet } from '../core/rules.js';
import { Size } from '../core/units.js';
import type { MetricsStack } from '../metrics/metrics-stack.js';
import { ServiceMonitor } from '../metrics/monitors.js';
import { ErrorLogAlertProps, LogAlertRules } from './log-alerts.js';
import { LogAgent, LogAgentDaemonSet, SyslogReceiver } from './log-agent.js';
import { Loki, LokiProps } from './loki.js';
import { GeoIpDatabase, LogParser } from './pipeline.js';

/** Loki settings the stack passes through unchanged (documented on {@link LokiProps}). */
type LokiSettings = Pick<LokiProps, 'mode' | 'storage' | 'retention' | 'ingestionRate' | 'ingestionBurst' | 'chunkTargetSize' | 'alertmanagerUrl' | 'alertmanagerPods' | 'maxStreams' | 'externalUrl'>;

export interface LoggingStackProps extends LokiSettings {
  /** The region's MetricsStack: agent namespace, Prometheus (scrapes Loki and the agents), region and cluster labels. */
  readonly metrics: MetricsStack;
  /** Namespace of Loki (Pod Security `restricted`). @default 'logging' */
  readonly namespace?: string;
  /**
   * Storage the logs may take (seed 3.1 `size: 500GB`). Loki has no size-based retention: this
   * becomes an alert on the projected footprint and the object-store lifecycle bound
   * (see `objectExpirationDays` and docs/logging.md). @default - no budget alert
   */
  readonly storageBudget?: Size | string;
  /** @default LogAgent.alloy() */
  readonly agent?: LogAgent;
  /** Stream labels of pod logs. @default ['app', 'namespace', 'container_name', 'pod_name', 'service_name'] */
  readonly labels?: string[];
  /** @default [LogParser.json(), LogParser.syslog()] */
  readonly parsers?: LogParser[];
  readonly geoipDatabase?: GeoIpDatabase;
  readonly syslogReceiver?: SyslogReceiver;
  /** Error-log alerts through the Loki ruler; `false` to omit. @default {} (the defaults of ErrorLogAlertProps) */
  readonly errorLogAlerts?: ErrorLogAlertProps | false;
  /** @default - DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
}

/**
 * Centralized logging of one region (seed 3.1): Loki, the log agent on every node, log alerts
 * through the Loki ruler, and Prometheus monitoring of the pipeline itself (Loki and agent
 * metrics, rate-limit and storage-budget alerts).
 */
export class LoggingStack extends Construct {
  readonly namespace: string;
  readonly loki: Loki;
  readonly agent: LogAgentDaemonSet;
  readonly logAlerts: LogAlertRules;
  readonly rules: RuleSet;
  readonly storageBudget?: Size;
  /**
   * Days after which the bucket's lifecycle rule should expire objects: retention plus one
   * day of slack for the compactor's delete delay. A backstop if the compactor stops; the
   * Pulumi storage component applies it.
   */
  readonly objectExpirationDays: number;

  constructor(scope: Construct, id: string, props: LoggingStackProps) {
    super(scope, id);
    const metrics = props.metrics;
    this.namespace = validateDnsLabel(props.namespace ?? 'logging', 'namespace');
    if (this.namespace === metrics.agentNamespace) throw invalid('namespace', this.namespace, `a namespace other than the privileged agent namespace (${metrics.agentNamespace})`);
    new PlatformNamespace(this, 'Namespace', { name: this.namespace });
    const commonLabels = { cluster: metrics.cluster, region: metrics.region };

    this.logAlerts = new LogAlertRules(this, 'LogAlerts', {
      name: 'loki-rules',
      namespace: this.namespace,
      runbookBaseUrl: props.runbookBaseUrl,
      commonLabels,
    });
    if (props.errorLogAlerts !== false) this.logAlerts.addErrorLogAlerts(props.errorLogAlerts ?? {});

    this.loki = new Loki(this, 'Loki', {
      namespace: this.namespace,
      mode: props.mode,
      storage: props.storage,
      retention: props.retention,
      ingestionRate: props.ingestionRate,
      ingestionBurst: props.ingestionBurst,
      chunkTargetSize: props.chunkTargetSize,
      maxStreams: props.maxStreams,
      externalUrl: props.externalUrl,
      alertmanagerUrl: props.alertmanagerUrl,
      alertmanagerPods: props.alertmanagerPods,
      rulesConfigMap: this.logAlerts.name,
      scraper: metrics,
    });
    this.objectExpirationDays = Math.ceil(this.loki.retention.milliseconds / 86_400_000) + 1;

    this.agent = new LogAgentDaemonSet(this, 'Agent', {
      namespace: metrics.agentNamespace,
      agent: props.agent,
      pushUrl: this.loki.pushUrl,
      lokiPeer: NetworkPeer.pods(this.loki.writeWorkload.selectorLabels, this.namespace),
      externalLabels: commonLabels,
      labels: props.labels,
      parsers: props.parsers,
      geoipDatabase: props.geoipDatabase,
      syslogReceiver: props.syslogReceiver,
      scraper: metrics,
    });
    this.loki.allowPushFrom(NetworkPeer.pods(this.agent.workload.selectorLabels, metrics.agentNamespace));

    new ServiceMonitor(this, 'LokiMonitor', {
      name: 'loki',
      namespace: this.namespace,
      selector: {},
      endpoints: [{ port: 'http' }],
    });

    this.rules = new RuleSet(this, 'Rules', { name: 'logging', namespace: this.namespace, runbookBaseUrl: props.runbookBaseUrl, commonLabels });
    this.rules.addAlert('logging', {
      alert: 'LokiIngestionRateLimited',
      expr: 'sum(rate(loki_discarded_samples_total{reason="rate_limited"}[5m])) > 0',
      for: '15m',
      severity: 'warning',
      incidentClass: 'medium',
      summary: 'Loki drops logs above the ingestion limit',
      description: `Loki discards {{ $value | humanize }} log lines per second above the ${this.loki.ingestionRate}/s ingestion limit (burst ${this.loki.ingestionBurst}).`,
    });
    if (props.storageBudget !== undefined) {
      const budget = Size.of(props.storageBudget, 'storageBudget');
      this.storageBudget = budget;
      const retentionSeconds = this.loki.retention.seconds;
      this.rules.addAlert('logging', {
        alert: 'LokiStorageBudgetExceeded',
        // Compressed bytes flushed per second over the last day, held for the retention period.
        expr: `sum(rate(loki_ingester_chunk_stored_bytes_total[1d])) * ${retentionSeconds} > ${budget.bytes}`,
        for: '1h',
        severity: 'warning',
        incidentClass: 'medium',
        summary: 'Projected log storage exceeds the budget',
        description: `At the current write rate, ${this.loki.retention} of logs would take {{ $value | humanize1024 }}B, above the ${budget} budget. Lower the retention, the ingestion limit or the log volume.`,
      });
    }
  }
}

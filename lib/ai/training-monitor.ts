import { Construct } from 'constructs';
import { invalid, requireArray, ValidationError } from '../core/errors.js';
import { IMAGES } from '../core/images.js';
import { validateDnsLabel, validateK8sLabels, validateMetricName, validatePromLabelName } from '../core/names.js';
import { NetworkPeer } from '../core/network.js';
import { RuleSet } from '../core/rules.js';
import { Duration, Size } from '../core/units.js';
import { ResourceSpec, Workload } from '../core/workload.js';
import { PodMonitor, ServiceMonitor, THIRD_PARTY_SCRAPE_PROTOCOL } from '../metrics/monitors.js';
import { checkOptions, endpointPort, resolveThresholds, ScrapeIngress, ScraperRef, validatePort } from './common.js';

export const PUSHGATEWAY_PORT = 9091;

/** Names of the metrics training jobs report (pushed or scraped). */
export interface TrainingMetricNames {
  /** Training loss, a gauge. @default 'training_loss' */
  readonly loss: string;
  /** Learning rate, a gauge. @default 'training_learning_rate' */
  readonly learningRate: string;
  /** Global gradient norm, a gauge. @default 'training_gradient_norm' */
  readonly gradientNorm: string;
  /** Optimizer steps done, a counter (or monotonic gauge). @default 'training_steps_total' */
  readonly steps: string;
}

export const DEFAULT_TRAINING_METRICS: TrainingMetricNames = {
  loss: 'training_loss',
  learningRate: 'training_learning_rate',
  gradientNorm: 'training_gradient_norm',
  steps: 'training_steps_total',
};

/** Alert thresholds of {@link TrainingMonitor}. */
export interface TrainingThresholds {
  /** Diverging: loss above this many times its minimum of the last hour, for 10m. @default 2 */
  readonly divergenceFactor: number;
  /** Exploding gradients: gradient norm above this, for 5m. @default 100 */
  readonly gradientNorm: number;
}

export const DEFAULT_TRAINING_THRESHOLDS: TrainingThresholds = { divergenceFactor: 2, gradientNorm: 100 };

export interface TrainingMonitorProps {
  /** The Prometheus that scrapes (a `MetricsStack` or its pods). */
  readonly scraper: ScraperRef;
  /** Namespace of the Pushgateway and the rules. @default - the scraper's namespace */
  readonly namespace?: string;
  /** Namespaces whose pods may push to the Pushgateway. @default ['ai-training'] */
  readonly jobNamespaces?: string[];
  /** Deploy a Pushgateway for jobs that push. @default true */
  readonly pushgateway?: boolean;
  /** Pushgateway persistence volume (metrics survive restarts); `undefined` with `persistence: false` keeps them in memory. @default '1GiB' */
  readonly persistenceSize?: Size | string;
  /** @default true */
  readonly persistence?: boolean;
  /** @default IMAGES.pushgateway */
  readonly image?: string;
  /** @default { cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' } */
  readonly resources?: ResourceSpec;
  /** Metric names the jobs report. @default DEFAULT_TRAINING_METRICS */
  readonly metrics?: Partial<TrainingMetricNames>;
  /** Label that identifies a training run in the series. @default 'job' (the Pushgateway grouping key) */
  readonly runLabel?: string;
  /** No optimizer step for this long means the job is stalled. @default '15m' */
  readonly stallAfter?: Duration | string;
  readonly thresholds?: Partial<TrainingThresholds>;
  readonly runbookBaseUrl?: string;
}

/** A training job that is scraped instead of pushing. */
export interface ScrapedTrainingJob {
  readonly namespace: string;
  /** Labels of the job's pods. */
  readonly selector: Record<string, string>;
  /** Container port (name or number) serving metrics. */
  readonly port: string | number;
  /** @default '/metrics' */
  readonly path?: string;
}

/**
 * Training jobs (seed 2.1 "training_metrics", 7.1 training): loss, learning rate and gradient
 * statistics, pushed by jobs to a Prometheus Pushgateway that this construct deploys (one
 * replica with a persistence volume, reachable only from the job namespaces and scraped by
 * Prometheus with `honorLabels`), or scraped from long-running jobs (`addScrapedJob`). Alerts
 * on a NaN loss or gradient, a diverging loss, a stalled job and exploding gradients.
 *
 * Jobs should delete their Pushgateway group when they finish
 * (`DELETE /metrics/job/<run>`): a group left behind by a crashed job then shows as stalled.
 */
export class TrainingMonitor extends Construct {
  readonly namespace: string;
  readonly metrics: TrainingMetricNames;
  readonly runLabel: string;
  readonly stallAfter: Duration;
  readonly thresholds: TrainingThresholds;
  readonly rules: RuleSet;
  readonly pushgateway?: Workload;
  /** In-cluster URL jobs push to (when the Pushgateway is deployed). */
  readonly pushUrl?: string;
  private readonly scraper: ScraperRef;
  private readonly scraped = new Set<string>();

  constructor(scope: Construct, id: string, props: TrainingMonitorProps) {
    super(scope, id);
    this.scraper = props.scraper;
    this.namespace = validateDnsLabel(props.namespace ?? props.scraper.namespace, 'namespace');
    checkOptions('metrics', props.metrics, Object.keys(DEFAULT_TRAINING_METRICS));
    this.metrics = { ...DEFAULT_TRAINING_METRICS, ...(props.metrics ?? {}) };
    for (const [key, name] of Object.entries(this.metrics)) validateMetricName(name, `metrics.${key}`);
    this.runLabel = validatePromLabelName(props.runLabel ?? 'job', 'runLabel');
    this.stallAfter = Duration.of(props.stallAfter ?? '15m', 'stallAfter');
    if (this.stallAfter.milliseconds < 60_000) throw invalid('stallAfter', props.stallAfter, 'a duration of at least 1m');
    this.thresholds = resolveThresholds('thresholds', DEFAULT_TRAINING_THRESHOLDS, props.thresholds);
    if (this.thresholds.divergenceFactor <= 1) throw invalid('thresholds.divergenceFactor', this.thresholds.divergenceFactor, 'a number above 1');

    if (props.pushgateway ?? true) {
      const jobNamespaces = requireArray('jobNamespaces', props.jobNamespaces ?? ['ai-training'], 'a list of namespaces').map((n, i) => validateDnsLabel(n, `jobNamespaces[${i}]`));
      if (jobNamespaces.length === 0) throw invalid('jobNamespaces', jobNamespaces, 'at least one namespace whose jobs push metrics');
      const persistence = props.persistence ?? true;
      const size = persistence ? Size.of(props.persistenceSize ?? '1GiB', 'persistenceSize') : undefined;
      const dataDir = '/data';
      this.pushgateway = new Workload(this, 'Pushgateway', {
        name: 'pushgateway',
        namespace: this.namespace,
        // One replica by design: a job pushes to one instance, so replicas would split the data.
        kind: persistence ? 'StatefulSet' : 'Deployment',
        containers: [{
          name: 'pushgateway',
          image: props.image ?? IMAGES.pushgateway,
          args: [
            `--web.listen-address=:${PUSHGATEWAY_PORT}`,
            ...(persistence ? [`--persistence.file=${dataDir}/metrics`, '--persistence.interval=1m'] : []),
          ],
          ports: [{ name: 'http', containerPort: PUSHGATEWAY_PORT }],
          volumeMounts: persistence ? [{ name: 'data', mountPath: dataDir }] : undefined,
          resources: props.resources ?? { cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' },
          readinessProbe: { httpGet: { path: '/-/ready', port: 'http' } },
          livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' } },
        }],
        volumeClaims: size ? [{ name: 'data', size }] : undefined,
        service: { ports: [{ name: 'http', port: PUSHGATEWAY_PORT }] },
        ingressFrom: [
          { peers: [NetworkPeer.of(props.scraper)] },
          { peers: jobNamespaces.map((n) => NetworkPeer.namespace(n)) },
        ],
      });
      this.pushUrl = `http://pushgateway.${this.namespace}.svc:${PUSHGATEWAY_PORT}`;
      new ServiceMonitor(this, 'Monitor', {
        name: 'pushgateway',
        namespace: this.namespace,
        selector: this.pushgateway.selectorLabels,
        // Pushed `job` and `instance` labels describe the training run, not the Pushgateway.
        endpoints: [{ port: 'http', honorLabels: true }],
      });
    }
    this.rules = this.buildRules(props.runbookBaseUrl);
  }

  /** Scrapes a long-running training job directly (no Pushgateway). */
  addScrapedJob(name: string, job: ScrapedTrainingJob): PodMonitor {
    validateDnsLabel(name, 'name');
    if (this.scraped.has(name)) throw new ValidationError(`'name' must be unique among scraped training jobs, got duplicate '${name}'`);
    this.scraped.add(name);
    const port = validatePort(`${name}.port`, job.port);
    const selector = validateK8sLabels(job.selector, `${name}.selector`);
    const ep = endpointPort(port);
    const monitor = new PodMonitor(this, `Job-${name}`, {
      name,
      namespace: validateDnsLabel(job.namespace, `${name}.namespace`),
      selector,
      fallbackScrapeProtocol: THIRD_PARTY_SCRAPE_PROTOCOL,
      endpoints: [{ port: ep.port, extra: ep.extra, path: job.path, relabelings: [{ action: 'replace', targetLabel: 'job', replacement: name }] }],
    });
    new ScrapeIngress(monitor, 'AllowScrape', { name, namespace: job.namespace, podLabels: selector, port, scraper: this.scraper });
    return monitor;
  }

  private buildRules(runbookBaseUrl?: string): RuleSet {
    const m = this.metrics;
    const t = this.thresholds;
    const run = this.runLabel;
    const rules = new RuleSet(this, 'Rules', { name: 'ai-training', namespace: this.namespace, runbookBaseUrl });
    const rec = 'ai.training.records';
    const alerts = 'ai.training.alerts';
    rules.addRecord(rec, { record: 'training_run:loss:avg5m', expr: `avg by (namespace, ${run}) (avg_over_time(${m.loss}[5m]))` });
    rules.addRecord(rec, { record: 'training_run:learning_rate:last', expr: `max by (namespace, ${run}) (${m.learningRate})` });
    rules.addRecord(rec, { record: 'training_run:gradient_norm:max5m', expr: `max by (namespace, ${run}) (max_over_time(${m.gradientNorm}[5m]))` });
    rules.addRecord(rec, { record: 'training_run:steps:rate5m', expr: `sum by (namespace, ${run}) (rate(${m.steps}[5m]))` });
    const who = `{{ $labels.${run} }}`;
    rules.addAlert(alerts, {
      alert: 'TrainingLossNaN', expr: `${m.loss} != ${m.loss} or ${m.gradientNorm} != ${m.gradientNorm}`,
      severity: 'critical', incidentClass: 'high',
      summary: `Training run ${who} produces NaN`,
      description: `The loss or gradient norm of training run ${who} is NaN: the run no longer learns; stop it and resume from the last good checkpoint.`,
    });
    rules.addAlert(alerts, {
      alert: 'TrainingLossDiverging', expr: `${m.loss} > ${t.divergenceFactor} * min_over_time(${m.loss}[1h]) and ${m.loss} > 0`, for: '10m',
      severity: 'warning', incidentClass: 'medium',
      summary: `Training run ${who} is diverging`,
      description: `The loss of training run ${who} is {{ $value | humanize }}, over ${t.divergenceFactor} times its lowest value of the last hour.`,
    });
    rules.addAlert(alerts, {
      alert: 'TrainingJobStalled', expr: `changes(${m.steps}[${this.stallAfter}]) == 0 and ${m.steps} offset ${this.stallAfter}`,
      severity: 'warning', incidentClass: 'medium',
      summary: `Training run ${who} is stalled`,
      description: `Training run ${who} has made no optimizer step for ${this.stallAfter} (or stopped reporting without deleting its Pushgateway group).`,
    });
    rules.addAlert(alerts, {
      alert: 'TrainingGradientExploding', expr: `${m.gradientNorm} > ${t.gradientNorm}`, for: '5m',
      severity: 'warning', incidentClass: 'medium',
      summary: `Gradients of training run ${who} are exploding`,
      description: `The gradient norm of training run ${who} is {{ $value | humanize }}, above ${t.gradientNorm}: lower the learning rate or clip gradients.`,
    });
    if (this.pushgateway) {
      rules.addAlert(alerts, {
        alert: 'PushgatewayDown', expr: `up{job="pushgateway", namespace="${this.namespace}"} == 0`, for: '5m',
        severity: 'critical', incidentClass: 'critical',
        summary: 'The training metrics Pushgateway is down',
        description: 'Prometheus cannot scrape the Pushgateway: training jobs cannot report and every training alert is blind.',
      });
    }
    return rules;
  }
}

import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { validateDnsLabel, validateK8sLabels } from '../core/names.js';
import { RuleSet } from '../core/rules.js';
import { Duration } from '../core/units.js';
import { PodMonitor, THIRD_PARTY_SCRAPE_PROTOCOL } from '../metrics/monitors.js';
import { endpointPort, ScrapeIngress, ScraperRef, sharedRuleSet } from './common.js';
import { ModelServer } from './model-server.js';
import { MODEL_SERVER_LABEL, modelServingRules } from './model-serving-rules.js';

export interface ModelServingMonitorProps {
  /** Name of the monitored service: the `job` label of its series and the name of its objects. */
  readonly name: string;
  /** Namespace the model server pods run in. */
  readonly namespace: string;
  /** The Prometheus that scrapes (a `MetricsStack` or its pods). */
  readonly scraper: ScraperRef;
  /** What serves the model. @default ModelServer.seed() */
  readonly server?: ModelServer;
  /** Labels of the model server pods. @default { 'app.kubernetes.io/name': name } */
  readonly selector?: Record<string, string>;
  /** @default - the Prometheus scrape interval */
  readonly interval?: Duration | string;
  /**
   * Create an ingress-only NetworkPolicy that lets the scraper reach the metrics port.
   * @default true
   */
  readonly allowScrape?: boolean;
  /** Namespace of the profile's shared PrometheusRule. @default - the scraper's namespace */
  readonly rulesNamespace?: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
}

/**
 * Model serving (seed 2.2 "model_serving", 7.1 inference): scrapes one model server with a
 * PodMonitor that stamps `job` (the monitor's name) and `model_server` (the profile) on every
 * series, and attaches it to the profile's shared rule set: request rate, error rate, p50/p95/
 * p99 latency, batch time, throughput, memory, and the service degradation, error spike and
 * resource exhaustion alerts. Per instance it creates only a PodMonitor and a NetworkPolicy,
 * so a chart with 1,000 monitors still has one PrometheusRule per profile.
 */
export class ModelServingMonitor extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly server: ModelServer;
  readonly selector: Record<string, string>;
  /** The profile's shared rule set (the same object for every monitor of the profile). */
  readonly rules: RuleSet;
  readonly monitor: PodMonitor;

  constructor(scope: Construct, id: string, props: ModelServingMonitorProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name, 'name');
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    if (props.server !== undefined && !(props.server instanceof ModelServer)) throw invalid('server', props.server, 'a ModelServer (ModelServer.seed(), .vllm(), .triton()...)');
    this.server = props.server ?? ModelServer.seed();
    this.selector = validateK8sLabels(props.selector ?? { 'app.kubernetes.io/name': this.name }, 'selector');
    const server = this.server;
    const rulesNamespace = validateDnsLabel(props.rulesNamespace ?? props.scraper.namespace, 'rulesNamespace');
    this.rules = sharedRuleSet(this, `AiModelServing-${server.profile}`, server.profile, server.fingerprint,
      (chart) => modelServingRules(chart, `AiModelServingRules-${server.profile}`, server, rulesNamespace, props.runbookBaseUrl));

    const { port, extra } = endpointPort(server.port);
    this.monitor = new PodMonitor(this, 'Resource', {
      name: this.name,
      namespace: this.namespace,
      selector: this.selector,
      fallbackScrapeProtocol: THIRD_PARTY_SCRAPE_PROTOCOL,
      endpoints: [{
        port,
        path: server.path,
        // Parsed here so that a bad value names this construct's prop, not the PodMonitor's.
        interval: props.interval === undefined ? undefined : Duration.of(props.interval, 'interval'),
        extra,
        relabelings: [
          // The label contract of docs/ai.md: `job` names the service, `model_server` the profile.
          { action: 'replace', targetLabel: 'job', replacement: this.name },
          { action: 'replace', targetLabel: MODEL_SERVER_LABEL, replacement: server.profile },
        ],
      }],
    });
    if (props.allowScrape ?? true) {
      new ScrapeIngress(this, 'AllowScrape', { name: this.name, namespace: this.namespace, podLabels: this.selector, port: server.port, scraper: props.scraper });
    }
  }
}

import { Construct } from 'constructs';
import {
  CrossSystemRules, GpuMonitor, GpuMonitorProps, ModelServer, ModelServingMonitor, ModelServingMonitorProps,
  TrainingMonitor, TrainingMonitorProps, VectorStore, VectorStoreMonitor,
} from './ai/index.js';
import { AnalyticsProps, AnalyticsSuite } from './alerting/analytics-suite.js';
import { AlertRules, IncidentRouting, Receiver, IncidentRoutingProps, SelfMonitoringRules, ThresholdAlert, seedThresholdAlerts } from './alerting/index.js';
import { KubernetesRules, KubernetesRulesProps } from './alerting/kubernetes-rules.js';
import { PlatformComponentRules, PlatformComponentRulesProps } from './alerting/platform-rules.js';
import { KSM_POD_LABELS } from './metrics/kube-state-metrics.js';
import { invalid, requireArray, requireObject, requireString, within } from './core/errors.js';
import { requireUrlWithoutCredential } from './core/secrets.js';
import { NetworkPeer } from './core/network.js';
import { DashboardSet, DashboardSetProps, DatasourceEndpoint, Grafana, GrafanaProps } from './dashboards/index.js';
import { deployedComponents } from './dashboards/dashboard-families.js';
import { LoggingStack, LoggingStackProps } from './logging/index.js';
import { MetricsStack, MetricsStackProps } from './metrics/metrics-stack.js';
import { IncidentResponse, IncidentResponseProps } from './response/index.js';
import { WEBHOOK_PORT } from './response/incident-response.js';
import { ARGO_WORKFLOWS_CONTROLLER, ARGO_WORKFLOWS_JOB } from './response/argo-monitoring.js';
import { RegionalReplica, RegionalReplicaProps } from './topology/regional-replica.js';

/** AI workload monitors (seed 1.1 custom exporters, 2.1 custom metrics, 2.2, 7.1, 7.2). */
export interface AiMonitoringProps {
  /** Namespace of the model servers. @default 'models' */
  readonly modelNamespace?: string;
  /** Model services to monitor (each also addable later with `addModelService`). @default - none */
  readonly models?: Array<{ readonly name: string } & Partial<Omit<ModelServingMonitorProps, 'name' | 'scraper'>>>;
  /** dcgm-exporter on GPU nodes; `false` for none. @default - on, with its defaults */
  readonly gpu?: Omit<GpuMonitorProps, 'scraper'> | false;
  /** Pushgateway and training alerts; `false` for none. @default - on, with its defaults */
  readonly training?: Omit<TrainingMonitorProps, 'scraper'> | false;
  /** Vector stores to monitor. @default - none */
  readonly vectorStores?: Array<{ readonly name: string; readonly store: VectorStore }>;
}

/** One region of the monitoring platform, described by one props object. */
export interface MonitoringPlatformProps {
  /** Prometheus, exporters and their storage (seed 1.1, 2.1). */
  readonly metrics: MetricsStackProps;
  /** AI workload monitors. @default - GPU and training monitors, cross-system rules, no model services */
  readonly ai?: AiMonitoringProps;
  /**
   * Threshold alerts (seed 1.2).
   * @default - the seed's four, the model ones read from the seed model-serving records: seedThresholdAlerts({ modelRecords: true })
   */
  readonly thresholds?: ThresholdAlert[];
  /** Kubernetes alerts (workloads, storage, nodes, resources, node-exporter, control plane); `false` for none. @default - every group, its defaults */
  readonly kubernetes?: Omit<KubernetesRulesProps, 'namespace' | 'runbookBaseUrl'> | false;
  /** Alerts on the platform's own components (Prometheus, Alertmanager cluster, operators, Thanos, Loki, database, log agent, model services). @default - every group of the deployed parts */
  readonly components?: Omit<PlatformComponentRulesProps, 'namespace' | 'runbookBaseUrl' | 'alertmanagerJob'>;
  /** Base URL of the runbooks linked from every alert. @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** SLOs, anomaly detection, forecasts, business and cost metrics (seed 4.1, 4.2, 6.1). @default - none */
  readonly analytics?: AnalyticsProps;
  /** Thanos long-term storage and the region's role in the multi-region topology (seed 1.1, 8.1, 8.2). @default - none */
  readonly topology?: Omit<RegionalReplicaProps, 'metrics' | 'region'>;
  /** Alertmanager and incident routing (seed 1.2, 5.1). @default - no Alertmanager */
  readonly alerting?: Omit<IncidentRoutingProps, 'prometheus'>;
  /** Centralized logging: Loki and the log agent (seed 3.1). @default - no logging */
  readonly logging?: Omit<LoggingStackProps, 'metrics' | 'alertmanagerUrl' | 'alertmanagerPods' | 'runbookBaseUrl'>;
  /** Automated incident response: KEDA autoscaling and Argo remediation workflows (seed 5.1, 5.2, 6.2). @default - none */
  readonly response?: Omit<IncidentResponseProps, 'metrics' | 'alertmanager'>;
  /** Grafana (seed 1.1); datasources default to this region's Prometheus, Alertmanager and Loki. @default - no Grafana */
  readonly grafana?: Partial<GrafanaProps>;
  /** Dashboards (seed 3.2); only with `grafana`. @default - the built-in dashboards */
  readonly dashboards?: Omit<DashboardSetProps, 'grafana'>;
}

/**
 * Composes a whole region of the platform from one props object. Each part is also usable on
 * its own; this construct only wires them together (Prometheus to Alertmanager, Grafana to its
 * datasources, and the NetworkPolicy flows between them).
 */
export class MonitoringPlatform extends Construct {
  readonly metrics: MetricsStack;
  readonly alertRules: AlertRules;
  readonly modelNamespace: string;
  readonly gpu?: GpuMonitor;
  readonly training?: TrainingMonitor;
  readonly vectorStores: VectorStoreMonitor[];
  readonly crossSystem: CrossSystemRules;
  readonly selfMonitoring: SelfMonitoringRules;
  readonly kubernetes?: KubernetesRules;
  readonly components: PlatformComponentRules;
  readonly routing?: IncidentRouting;
  readonly analytics?: AnalyticsSuite;
  readonly topology?: RegionalReplica;
  readonly logging?: LoggingStack;
  readonly response?: IncidentResponse;
  readonly grafana?: Grafana;
  readonly dashboards?: DashboardSet;

  constructor(scope: Construct, id: string, props: MonitoringPlatformProps) {
    super(scope, id);
    requireObject('props', props, 'a MonitoringPlatformProps object');
    const metrics = requireObject<MetricsStackProps>('metrics', props.metrics, 'MetricsStack props');
    this.metrics = within('metrics', () => new MetricsStack(this, 'Metrics', metrics));
    const namespace = this.metrics.namespace;
    const runbookBaseUrl = props.runbookBaseUrl;
    if (runbookBaseUrl !== undefined) requireUrlWithoutCredential('runbookBaseUrl', requireString('runbookBaseUrl', runbookBaseUrl));
    const thresholds = requireArray<ThresholdAlert>('thresholds', props.thresholds ?? seedThresholdAlerts({ modelRecords: true }), 'a list of ThresholdAlert');
    this.alertRules = new AlertRules(this, 'Thresholds', { namespace, thresholds: [...thresholds], runbookBaseUrl });
    this.selfMonitoring = new SelfMonitoringRules(this, 'SelfMonitoring', { namespace, runbookBaseUrl });
    if (props.kubernetes !== false) this.kubernetes = within('kubernetes', () => new KubernetesRules(this, 'Kubernetes', { ...props.kubernetes, namespace, runbookBaseUrl }));
    this.components = within('components', () => new PlatformComponentRules(this, 'Components', {
      ...(props.topology ? {} : { thanos: false }), ...(props.logging ? {} : { loki: false }), ...(props.response ? {} : { keda: false }),
      ...props.components, namespace, runbookBaseUrl,
    }));
    const ai = requireObject<AiMonitoringProps>('ai', props.ai ?? {}, 'AI monitoring props');
    this.modelNamespace = ai.modelNamespace ?? 'models';
    requireArray('ai.models', ai.models ?? []).forEach((m, i) => within(`ai.models[${i}]`, () => this.addModelService(requireObject<{ name: string }>('', m, 'model service props').name, m)));
    const part = <T extends object>(prop: string, v: T | false | undefined): T | undefined =>
      (v === false ? undefined : requireObject<T>(prop, v ?? {}, 'props or false'));
    const gpu = part('ai.gpu', ai.gpu);
    const training = part('ai.training', ai.training);
    if (gpu) this.gpu = within('ai.gpu', () => new GpuMonitor(this, 'Gpu', { scraper: this.metrics, ...gpu }));
    if (training) this.training = within('ai.training', () => new TrainingMonitor(this, 'Training', { scraper: this.metrics, ...training }));
    this.vectorStores = requireArray('ai.vectorStores', ai.vectorStores ?? []).map((v, i) => within(`ai.vectorStores[${i}]`, () =>
      new VectorStoreMonitor(this, `Vector-${requireObject<{ name: string }>('', v, 'vector store props').name}`, { ...v, scraper: this.metrics })));
    this.crossSystem = new CrossSystemRules(this, 'CrossSystem', { namespace, runbookBaseUrl });

    const analytics = props.analytics && requireObject<AnalyticsProps>('analytics', props.analytics);
    if (analytics) this.analytics = within('analytics', () => new AnalyticsSuite(this, 'Analytics', { ...analytics, metrics: this.metrics, runbookBaseUrl }));
    const topology = props.topology && requireObject<NonNullable<MonitoringPlatformProps['topology']>>('topology', props.topology);
    if (topology) this.topology = within('topology', () => new RegionalReplica(this, 'Topology', { ...topology, region: this.metrics.region, metrics: this.metrics }));

    const alerting = props.alerting && requireObject<NonNullable<MonitoringPlatformProps['alerting']>>('alerting', props.alerting);
    if (alerting) {
      this.routing = within('alerting', () => new IncidentRouting(this, 'Alerting', { ...alerting, prometheus: this.metrics }));
      this.components.addAlertmanager(this.routing.serviceName);
    }

    const logging = props.logging && requireObject<NonNullable<MonitoringPlatformProps['logging']>>('logging', props.logging);
    if (logging) {
      this.logging = within('logging', () => new LoggingStack(this, 'Logging', {
        // Log alerts link to Explore in the region's Grafana.
        ...(props.grafana ? { externalUrl: Grafana.rootUrlOf({ namespace, ...props.grafana }) } : {}),
        ...logging,
        metrics: this.metrics,
        runbookBaseUrl,
        ...(this.routing ? { alertmanagerUrl: this.routing.url, alertmanagerPods: this.routing } : {}),
      }));
      const ruler = this.logging.loki.rulerPods;
      if (this.routing && ruler) this.routing.allowIngress({ peers: [NetworkPeer.of(ruler)], ports: [9093] });
    }

    const response = props.response && requireObject<NonNullable<MonitoringPlatformProps['response']>>('response', props.response);
    if (response) this.response = within('response', () => this.wireResponse(response));

    const grafanaProps = props.grafana && requireObject<Partial<GrafanaProps>>('grafana', props.grafana);
    const dashboardProps = props.dashboards && requireObject<NonNullable<MonitoringPlatformProps['dashboards']>>('dashboards', props.dashboards);
    if (grafanaProps) {
      // The global query view (Thanos) where there is one, else this region's Prometheus.
      const prometheus: DatasourceEndpoint = grafanaProps.prometheus ?? (this.topology
        ? { url: this.topology.queryUrl, pods: { namespace: this.topology.storage.queryFrontend.workload.namespace, podLabels: this.topology.storage.queryFrontend.workload.selectorLabels } }
        : { url: this.metrics.url, pods: this.metrics });
      this.grafana = within('grafana', () => new Grafana(this, 'Grafana', {
        namespace,
        scrapedBy: this.metrics,
        prometheus,
        ...(this.routing ? { alertmanager: { url: this.routing.url, pods: this.routing } } : {}),
        ...(this.logging ? { loki: { url: this.logging.loki.queryUrl, pods: this.logging.loki.queryPods } } : {}),
        ...(this.logging?.loki.rulesUrl && this.logging.loki.rulerPods
          ? { lokiRules: { url: this.logging.loki.rulesUrl, pods: this.logging.loki.rulerPods } } : {}),
        ...grafanaProps,
      }));
      this.components.addGrafana({ job: `${this.grafana.namespace}/${this.grafana.name}`, replicas: this.grafana.replicas });
      // The server side of each datasource; of Prometheus and Thanos only the one Grafana queries.
      const grafanaPeer = NetworkPeer.of(this.grafana);
      if (prometheus.url === this.metrics.url) this.metrics.allowIngress({ peers: [grafanaPeer], ports: [9090] });
      if (prometheus.url === this.topology?.queryUrl) this.topology.storage.allowQueryClient({ peers: [grafanaPeer] });
      this.routing?.allowIngress({ peers: [grafanaPeer], ports: [9093] });
      this.logging?.loki.allowQueryFrom(grafanaPeer);
      const grafana = this.grafana;
      // Component dashboards only for the components this platform deploys, unless set explicitly.
      const components = deployedComponents(dashboardProps?.components, {
        prometheus: true, alertmanager: !!this.routing, thanos: !!this.topology, loki: !!this.logging, grafana: true,
      });
      this.dashboards = within('dashboards', () => new DashboardSet(this, 'Dashboards', { grafana, ...dashboardProps, components }));
    } else if (dashboardProps) {
      throw invalid('grafana', props.grafana, "Grafana props when 'dashboards' is set (dashboards are provisioned into Grafana)");
    }
  }

  /**
   * Automated response: alerts of each automation rule reach the Argo Events webhook through
   * their own routes (continuing to the incident classes when the rule notifies people), and
   * failed remediations escalate back to Alertmanager.
   */
  private wireResponse(props: Omit<IncidentResponseProps, 'metrics' | 'alertmanager'>): IncidentResponse {
    const response = new IncidentResponse(this, 'Response', { ...props, metrics: this.metrics, ...(this.routing ? { alertmanager: this.routing } : {}) });
    // KEDA's operator (its release manifest: pods `app: keda-operator`, metrics on port `http`);
    // honorLabels keeps the ScaledObject's namespace on its metrics.
    this.metrics.addPodMonitor('KedaMonitor', {
      name: 'keda-operator', namespace: props.kedaNamespace ?? 'keda', selector: { app: 'keda-operator' }, endpoints: [{ port: 'http', honorLabels: true }],
    });
    // The Argo Workflows controller ClusterPrerequisites installs; honorLabels keeps the
    // workflow namespace of argo_workflows_total_count.
    this.metrics.addPodMonitor('ArgoWorkflowsMonitor', {
      name: ARGO_WORKFLOWS_CONTROLLER.monitorName, namespace: ARGO_WORKFLOWS_CONTROLLER.namespace,
      selector: { ...ARGO_WORKFLOWS_CONTROLLER.podLabels }, endpoints: [{ port: ARGO_WORKFLOWS_CONTROLLER.port, honorLabels: true }],
    });
    this.components.addArgo({ workflowsJob: ARGO_WORKFLOWS_JOB, namespace: response.namespace });
    const routing = this.routing;
    if (!routing || response.routes.length === 0) return response;
    const webhookPeer = NetworkPeer.namespace(response.namespace);
    routing.addReceiver(Receiver.webhook(response.receiver.name, {
      url: response.receiver.webhookUrl, sendResolved: false, egress: { peers: [webhookPeer], ports: [WEBHOOK_PORT] },
    }));
    for (const route of response.routes) {
      routing.addRoute({
        receiver: route.receiver,
        matchers: [`alertname=~"${route.alertNames.join('|')}"`],
        groupBy: route.groupBy,
        repeatInterval: route.repeatInterval,
        continue: route.continue,
      });
    }
    routing.allowIngress({ peers: [webhookPeer], ports: [9093] }); // escalation of failed remediations
    return response;
  }

  /**
   * Monitors one more model service (its PodMonitor; rules are shared per server profile), and
   * alerts when it has no ready pod if its selector uses only labels kube-state-metrics exports.
   */
  addModelService(name: string, options: Partial<Omit<ModelServingMonitorProps, 'name' | 'scraper'>> = {}): ModelServingMonitor {
    const monitor = new ModelServingMonitor(this, `Model-${name}`, {
      name, namespace: this.modelNamespace, server: ModelServer.seed(), ...options, scraper: this.metrics,
    });
    if (Object.keys(monitor.selector).every((k) => KSM_POD_LABELS.includes(k))) {
      this.components.addModelService({ name: monitor.name, namespace: monitor.namespace, podLabels: monitor.selector });
    }
    return monitor;
  }

  /** URLs of the provisioned dashboards (`<grafana url>/d/<uid>/<slug>`), by uid. */
  get dashboardUrls(): Record<string, string> {
    return this.dashboards?.dashboardUrls ?? {};
  }
}

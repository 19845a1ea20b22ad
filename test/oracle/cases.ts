/**
 * The oracle's cases: for each public construct, a minimal valid construction (from the
 * bad-input fixtures, themselves taken from the constructs' own tests) and, per prop, a
 * generator. One input changes ONE prop, as a new user trying the library would.
 */
import { Construct } from 'constructs';
import { RuleSet } from '../../lib/core/index.js';
import { ModelServer, VectorStore, VectorStoreMonitor } from '../../lib/ai/index.js';
import { BusinessMetrics, PerformanceAnalysis, Receiver, SloIndicator } from '../../lib/alerting/index.js';
import { MonitoringPlatform, seedPlatform } from '../../lib/index.js';
import { seedAutomationRules } from '../../lib/response/index.js';
import {
  alertRules, anomaly, cost, dashboards, forecast, gpu, grafana, logging, longTermStorage, metrics, modelServer, modelServing, remediation,
  replica, response, routing, ruleSet, slo, training, workload, alert, apiKey, tiers,
} from '../bad-input/fixtures.js';
import { newChart } from '../support/synth.js';
import {
  Arb, bool, dnsName, duration, hostile, image, int, k8sLabels, labelList, labelMap, labelName, num, promql, prop, size, text, url,
} from './arbitraries.js';
import fc from 'fast-check';

export interface OracleCase {
  readonly construct: string;
  /** The generator of each prop this case varies. */
  readonly props: Record<string, Arb>;
  /** Builds the construct with `override` merged into the valid props; returns any construct of its chart. */
  readonly build: (override: Record<string, unknown>) => Construct;
  /** Inputs per run (the whole platform is slow to synthesize: fewer). */
  readonly runs?: number;
}

/** Sets a dotted path in a deep copy of an object (for props of nested parts of the platform). */
function setPath(target: any, path: string, value: unknown): any {
  // Copies only along the path: the other values (Receiver, LokiMode...) keep their classes.
  const [k, ...rest] = path.split('.');
  const copy = Array.isArray(target) ? [...target] : { ...target };
  copy[k] = rest.length ? setPath(target?.[k] ?? {}, rest.join('.'), value) : value;
  return copy;
}

const receiverKinds = fc.constantFrom('pagerDuty', 'slack', 'webhook', 'email', 'opsgenie');

export const CASES: OracleCase[] = [
  {
    construct: 'MetricsStack',
    props: { replicas: int(1, 5), retention: duration, retentionSize: size, scrapeInterval: duration, scrapeTimeout: duration, evaluationInterval: duration, volumeSize: size, namespace: dnsName, name: dnsName, cluster: text, region: text, image, externalLabels: labelMap, forGracePeriod: duration },
    build: (o) => metrics(newChart(), o),
  },
  {
    construct: 'Workload',
    props: { replicas: int(0, 5), name: dnsName, namespace: dnsName, terminationGracePeriodSeconds: int(0, 100) },
    build: (o) => workload(o)() as unknown as Construct,
  },
  {
    construct: 'Workload.container',
    props: { image, name: dnsName, ports: prop(fc.constantFrom([{ name: 'http', containerPort: 8080 }], [{ name: 'http', containerPort: 0 }], [{ name: 'HTTP', containerPort: 80 }])), resources: prop(fc.constantFrom({ cpu: '1', memory: '4Gi' }, { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' }, { cpu: 'x', memory: '1Gi' })) },
    build: (o) => workload({}, o)() as unknown as Construct,
  },
  {
    construct: 'RuleSet.addAlert',
    props: { alert: labelName, expr: promql, for: duration, severity: prop(fc.constantFrom('warning', 'critical')), incidentClass: prop(fc.constantFrom('critical', 'high', 'medium')), summary: text, description: text, labels: labelMap, annotations: labelMap },
    build: (o) => { const r = ruleSet(); r.addAlert('g', { ...alert, ...o } as any); return r; },
  },
  {
    construct: 'RuleSet',
    props: { runbookBaseUrl: url, name: dnsName, namespace: dnsName, commonLabels: labelMap },
    build: (o) => { const s = new RuleSet(newChart(), 'R', { name: 'r', namespace: 'monitoring', ...o } as any); s.addAlert('g', alert); return s; },
  },
  {
    construct: 'AlertRules',
    props: { name: labelName, query: promql, warning: num(-10, 1000), critical: num(-10, 1000), direction: prop(fc.constantFrom('above', 'below')), for: duration, summary: text, target: text, group: text, labels: labelMap, annotations: labelMap, unit: prop(fc.constantFrom('percent', 'seconds', 'ratio', 'count')) },
    build: (o) => alertRules(o)() as unknown as Construct,
  },
  {
    construct: 'IncidentRouting',
    props: { replicas: int(1, 5), groupBy: labelList, inhibitEqual: labelList, watchdogInterval: duration, retention: duration, storageSize: size, externalUrl: url, namespace: dnsName, name: dnsName, image, alertmanagerVersion: prop(fc.constantFrom('v0.28.1', 'v0.25.0', 'v0.27.0', '0.28')) },
    build: (o) => routing(o),
  },
  {
    construct: 'IncidentRouting.addRoute',
    props: { matchers: prop(fc.constantFrom(['alertname="A"'], ['a=~"b|c"'], ['a=~"("'], { alertname: 'A' }, { 'bad-label': 'x' }, ['a="\\"}"'])), groupBy: labelList, repeatInterval: duration, groupWait: duration, groupInterval: duration, continue: bool, receiver: prop(fc.constantFrom('tier-1', 'immediate', 'nope')) },
    build: (o) => { const r = routing(); r.addRoute({ matchers: ['alertname="A"'], receiver: 'tier-1', ...o } as any); return r; },
  },
  {
    construct: 'Receiver',
    props: { kind: receiverKinds, name: prop(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/)), channel: text, to: text, from: text, smarthost: text, url, severity: text, priority: text, sendResolved: bool, title: text, text },
    build: (o) => {
      const { kind = 'webhook', name = 'extra', ...rest } = o as any;
      const k = typeof kind === 'string' && ['pagerDuty', 'slack', 'webhook', 'email', 'opsgenie'].includes(kind) ? kind : 'webhook';
      const base: Record<string, Record<string, unknown>> = {
        pagerDuty: { routingKey: { name: 'pd', key: 'k' } },
        slack: { apiUrl: { name: 'slack', key: 'url' }, channel: '#x' },
        webhook: { url: 'http://hook.example.com/x' },
        email: { to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp.example.com:587' },
        opsgenie: { apiKey: { name: 'og', key: 'k' } },
      };
      const r = routing();
      r.addReceiver((Receiver as any)[k](name, { ...base[k], ...rest }));
      r.addRoute({ matchers: ['alertname="A"'], receiver: name });
      return r;
    },
  },
  {
    construct: 'ModelServingMonitor',
    props: { name: dnsName, namespace: dnsName, interval: duration, selector: k8sLabels, rulesNamespace: dnsName, runbookBaseUrl: url, server: prop(fc.constantFrom(ModelServer.seed(), ModelServer.vllm(), ModelServer.triton())) },
    build: (o) => modelServing(o)() as unknown as Construct,
  },
  {
    construct: 'GpuMonitor',
    props: { nodeSelector: k8sLabels, namespace: dnsName, agentNamespace: dnsName, podResourcesPath: text, rulesNamespace: dnsName, image, runbookBaseUrl: url, thresholds: prop(fc.record({ idlePercent: num(-5, 120), temperatureCelsius: num(-5, 150) }, { requiredKeys: [] })) },
    build: (o) => gpu(o)() as unknown as Construct,
  },
  {
    construct: 'TrainingMonitor',
    props: { namespace: dnsName, jobNamespaces: prop(fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { maxLength: 3 })), persistenceSize: size, stallAfter: duration, runLabel: labelName, image, runbookBaseUrl: url },
    build: (o) => training(o),
  },
  {
    construct: 'VectorStoreMonitor',
    props: { name: dnsName, projectId: text, refreshInterval: duration, environment: text },
    build: (o) => {
      const chart = newChart();
      const { name = 'pinecone', ...store } = o as any;
      return new VectorStoreMonitor(chart, 'V', { name, scraper: metrics(chart), store: VectorStore.pineconeServerless({ projectId: 'proj-123', apiKey, ...store }) });
    },
  },
  {
    construct: 'Slo',
    props: { name: dnsName, objective: num(0, 100), period: duration, minimumEventRate: num(-1, 10), windows: prop(fc.constantFrom([{ longWindow: '1h', shortWindow: '5m', burnRate: 14.4, severity: 'critical' }], [], [{ longWindow: '5m', shortWindow: '1h', burnRate: 1 }])) },
    build: (o) => slo(o)() as unknown as Construct,
  },
  {
    construct: 'SloIndicator',
    props: { requests: labelName, errors: labelName, selector: prop(fc.constantFrom('model="llm"', 'model=~"a|b"', '{model="llm"}', 'a="\\"}"', 'model=~"("')), histogram: labelName, threshold: duration },
    build: (o) => {
      const { histogram, threshold, ...avail } = o as any;
      const indicator = histogram !== undefined || threshold !== undefined
        ? SloIndicator.latency({ histogram: histogram ?? 'model_inference_latency_seconds', threshold: threshold ?? '100ms' })
        : SloIndicator.availability({ requests: 'model_requests_total', errors: 'model_request_errors_total', ...avail });
      return slo({ indicator })() as unknown as Construct;
    },
  },
  {
    construct: 'AnomalyDetection',
    props: { name: dnsName, trainingWindow: duration, threshold: num(-1, 10), cooldown: duration, interval: duration, minimumStddev: num(-1, 10), alertName: labelName, severity: prop(fc.constantFrom('warning', 'critical')), signals: prop(fc.constantFrom([{ name: 'x', expr: 'sum(rate(up[5m]))' }], [], [{ name: 'bad name', expr: 'up' }], [{ name: 'x', expr: 'rate(up)' }])) },
    build: (o) => anomaly(o)() as unknown as Construct,
  },
  {
    construct: 'CapacityForecast',
    props: { name: dnsName, horizon: duration, interval: duration, lookback: duration, sampleInterval: duration, capacity: num(-1, 2), for: duration },
    build: (o) => forecast(o)() as unknown as Construct,
  },
  {
    construct: 'CostMetrics',
    props: { name: dnsName, serviceLabel: labelName, networkPricePerGib: num(-1, 10), monthlyBudget: num(-1, 1e6), budgetThresholdPercent: num(-1, 500), projectionWindow: duration, currency: text, serviceBudgets: prop(fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.double({ min: -1, max: 1e4, noNaN: true }), { maxKeys: 2 })) },
    build: (o) => cost(o)() as unknown as Construct,
  },
  {
    construct: 'BusinessMetrics',
    props: { name: dnsName, requestsMetric: labelName, requestsBy: labelList, activeUsersMetric: labelName, resourcesBy: labelList, collectionInterval: duration, aggregationInterval: duration, retention: duration },
    build: (o) => new BusinessMetrics(newChart(), 'B', { name: 'b', namespace: 'monitoring', ...o } as any),
  },
  {
    construct: 'PerformanceAnalysis',
    props: { name: dnsName, collectionInterval: duration, aggregationInterval: duration, trendWindow: duration },
    build: (o) => new PerformanceAnalysis(newChart(), 'P', { name: 'p', namespace: 'monitoring', ...o } as any),
  },
  {
    construct: 'LoggingStack',
    props: { namespace: dnsName, retention: duration, storageBudget: size, ingestionRate: size, ingestionBurst: size, labels: labelList, chunkTargetSize: size },
    build: (o) => logging(o as any)() as unknown as Construct,
    runs: 80,
  },
  {
    construct: 'Grafana',
    props: { replicas: int(1, 3), namespace: dnsName, name: dnsName, rootUrl: url, scrapeInterval: duration, image },
    build: (o) => grafana(o as any)() as unknown as Construct,
  },
  {
    construct: 'DashboardSet',
    props: { refresh: duration, timeRange: duration, folder: text },
    build: (o) => dashboards(o)() as unknown as Construct,
    runs: 60,
  },
  {
    construct: 'LongTermStorage',
    props: { tiers: prop(fc.constantFrom(tiers('7d', '30d'), tiers('1d', '30d'), tiers('40h', '10d'), tiers('7d', '5d'), [])), roleArn: text, storeReplicas: int(1, 4), queryReplicas: int(1, 4), storeVolumeSize: size, compactorVolumeSize: size, runbookBaseUrl: url },
    build: (o) => longTermStorage(o)() as unknown as Construct,
    runs: 80,
  },
  {
    construct: 'RegionalReplica',
    props: { roleArn: text, remoteWriteTls: prop(fc.constantFrom({ caSecret: { name: 'ca', key: 'ca.crt' } }, { caSecret: 'inline' })) },
    build: (o) => replica(o)() as unknown as Construct,
    runs: 40,
  },
  {
    construct: 'IncidentResponse',
    props: { namespace: dnsName, kedaNamespace: dnsName, receiverName: text, eventBus: prop(fc.record({ replicas: int(1, 5), version: prop(fc.constantFrom('2.10.10', '2.9', 'latest')) }, { requiredKeys: [] })) },
    build: (o) => {
      return response(o).response;
    },
    runs: 60,
  },
  {
    construct: 'IncidentResponse.rules',
    props: { maxReplicas: int(0, 50), requestCacheEnv: text },
    build: (o) => {
      const { target, response: r } = response();
      for (const rule of seedAutomationRules(target, o as any)) r.addRule(rule.name, rule);
      return r;
    },
    runs: 40,
  },
  {
    construct: 'RemediationWorkflow',
    props: { name: dnsName, rule: text, retries: int(0, 10), backoff: duration, settleTime: duration, cooldown: duration, timeout: duration, parallelism: int(0, 5), conditionQuery: promql },
    build: (o) => remediation(o)() as unknown as Construct,
  },
  {
    construct: 'MonitoringPlatform',
    props: {
      'metrics.replicas': int(0, 4), 'metrics.retention': duration, 'metrics.namespace': dnsName, 'metrics.image': image,
      'grafana.replicas': int(0, 3), 'logging.retention': duration, 'logging.labels': labelList, 'alerting.groupBy': labelList,
      'alerting.replicas': int(0, 4), runbookBaseUrl: url, thresholds: prop(fc.constantFrom([], undefined)), 'analytics.cost.budgetThresholdPercent': num(-1, 500),
      'ai.gpu': prop(fc.constantFrom(false, {})), 'response': prop(fc.constantFrom({}, { rules: [] })), 'topology.tiers': hostile,
    },
    build: (o) => {
      const [[path, value]] = Object.entries(o);
      const props = setPath(seedPlatform('us-east-1'), path, value);
      return new MonitoringPlatform(newChart(), 'Platform', props);
    },
    runs: 40,
  },
];

export { modelServer };

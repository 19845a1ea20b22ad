/**
 * Minimal valid constructions for the bad-input suite, copied from the constructs' own tests;
 * each row of the suite breaks one prop of one of them.
 */
import { Chart } from 'cdk8s';
import { RuleSet, Workload } from '../../lib/core/index.js';
import { MetricsStack } from '../../lib/metrics/index.js';
import { GpuMonitor, ModelServingMonitor, TrainingMonitor } from '../../lib/ai/index.js';
import {
  AlertRules, AnomalyDetection, CapacityForecast, CostMetrics, IncidentRouting, Receiver, Slo, SloIndicator,
} from '../../lib/alerting/index.js';
import { DashboardSet, Grafana, GrafanaProps } from '../../lib/dashboards/index.js';
import { LoggingStack, LoggingStackProps, LokiStorage, S3Credentials } from '../../lib/logging/index.js';
import { LongTermStorage, ObjectStorage, RegionalReplica, RegionSpec, Topology } from '../../lib/topology/index.js';
import { IncidentResponse, RemediationStep, RemediationWorkflow, WorkloadTarget } from '../../lib/response/index.js';
import { EncryptedBucket, IrsaRole, MonitoringRegion, MonitoringRegionArgs } from '../../lib/pulumi/index.js';
import { newChart } from '../support/synth.js';


export const metrics = (chart: Chart, props: Record<string, unknown> = {}) =>
  new MetricsStack(chart, 'Metrics', { region: 'us-east-1', nodeExporter: false, kubeStateMetrics: false, kubelet: false, ...props });

export const workload = (props: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => () =>
  new Workload(newChart(), 'W', {
    name: 'model-serving', namespace: 'ai-serving', kind: 'Deployment', replicas: 2,
    containers: [{ name: 'server', image: 'registry.example.com/model-server:v1.0.0', ports: [{ name: 'http', containerPort: 8080 }], resources: { cpu: '1', memory: '4Gi' }, ...container }],
    ...props,
  } as any);

export const ruleSet = () => new RuleSet(newChart(), 'Rules', { name: 'r', namespace: 'monitoring' });
export const alert = { alert: 'A', expr: 'up == 0', severity: 'warning' as const, incidentClass: 'medium' as const, summary: 's', description: 'd' };

export const threshold = { name: 'HighQueueDepth', query: 'sum(queue_depth)', warning: 10, critical: 20, for: '5m', summary: 'Queue depth' };
export const alertRules = (t: Record<string, unknown>) => () =>
  new AlertRules(newChart(), 'R', { namespace: 'monitoring', thresholds: [{ ...threshold, ...t } as any] });

export const seedReceivers = () => [
  Receiver.pagerDuty('immediate', { routingKey: { name: 'pagerduty', key: 'routing-key' } }),
  Receiver.slack('tier-2', { apiUrl: { name: 'slack-webhook', key: 'url' }, channel: '#ai-incidents' }),
  Receiver.webhook('tier-1', { url: 'http://tier-1.example.com:8080/alerts' }),
  Receiver.webhook('deadmansswitch', { urlSecret: { name: 'deadmansswitch', key: 'url' } }),
];
export const routing = (props: Record<string, unknown> = {}) => {
  const chart = newChart();
  return new IncidentRouting(chart, 'Routing', { prometheus: metrics(chart), receivers: seedReceivers(), watchdogReceiver: 'deadmansswitch', ...props });
};

export const modelServing = (props: Record<string, unknown>) => () => {
  const chart = newChart();
  return new ModelServingMonitor(chart, 'M', { name: 'chat', namespace: 'models', scraper: metrics(chart), ...props });
};
export const gpu = (props: Record<string, unknown>) => () => {
  const chart = newChart();
  return new GpuMonitor(chart, 'Gpu', { scraper: metrics(chart), ...props });
};
export const training = (props: Record<string, unknown> = {}) => {
  const chart = newChart();
  return new TrainingMonitor(chart, 'Training', { scraper: metrics(chart), jobNamespaces: ['ai-training'], ...props });
};
export const apiKey = { name: 'pinecone', key: 'api-key' };

export const availability = () => SloIndicator.availability({ requests: 'model_requests_total', errors: 'model_request_errors_total' });
export const slo = (props: Record<string, unknown>) => () =>
  new Slo(newChart(), 'S', { name: 'api', namespace: 'monitoring', objective: 99.9, indicator: availability(), ...props });
export const SLOTH = `
version: "prometheus/v1"
service: "k8s-apiserver"
slos:
  - name: "requests-availability"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(apiserver_request_total{code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(apiserver_request_total[{{.window}}]))
`;
export const OPENSLO = `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: inference-availability
spec:
  service: inference
  budgetingMethod: Occurrences
  indicator:
    metadata:
      name: inference-good-ratio
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(model_requests_total{code!~"5.."}[{{.window}}]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(model_requests_total[{{.window}}]))
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.999
`;
export const signals = [{ name: 'inference_requests', expr: 'sum by (model) (rate(model_requests_total[5m]))' }];
export const anomaly = (props: Record<string, unknown>) => () =>
  new AnomalyDetection(newChart(), 'A', { name: 'a', namespace: 'monitoring', signals, ...props });
export const forecast = (props: Record<string, unknown>) => () => new CapacityForecast(newChart(), 'F', { name: 'f', namespace: 'monitoring', ...props });
export const cost = (props: Record<string, unknown>) => () => new CostMetrics(newChart(), 'C', { name: 'c', namespace: 'monitoring', ...props });

export const lokiS3 = () => LokiStorage.s3({ bucket: 'ai-logs-us-east-1', region: 'us-east-1', credentials: S3Credentials.serviceAccountRole('arn:aws:iam::123456789012:role/loki') });
export const logging = (props: Partial<LoggingStackProps>) => () => {
  const chart = newChart();
  return new LoggingStack(chart, 'Logging', {
    metrics: metrics(chart), storage: lokiS3(), storageBudget: '500GB', alertmanagerUrl: 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093', ...props,
  });
};

export const grafanaProps: GrafanaProps = {
  prometheus: { url: 'http://thanos-query.ai-monitoring.svc:9090' },
  alertmanager: { url: 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093' },
};
export const grafana = (props: Partial<GrafanaProps>) => () => new Grafana(newChart(), 'G', { ...grafanaProps, ...props });
export const dashboards = (props: Record<string, unknown>) => () => {
  const chart = newChart();
  return new DashboardSet(chart, 'Dashboards', { grafana: new Grafana(chart, 'Grafana', grafanaProps), ...props });
};

export const US: RegionSpec = {
  region: 'us-east-1', role: 'primary', cidr: '10.10.0.0/16',
  queryEndpoint: 'thanos-query.us-east-1.monitoring.internal:10901',
  receiveUrl: 'https://thanos-receive.us-east-1.monitoring.internal/api/v1/receive',
};
export const EU: RegionSpec = {
  region: 'eu-west-1', role: 'secondary', cidr: '10.20.0.0/16',
  queryEndpoint: 'thanos-query.eu-west-1.monitoring.internal:10901',
  receiveUrl: 'https://thanos-receive.eu-west-1.monitoring.internal/api/v1/receive',
};
export const s3 = (bucket: string) => ObjectStorage.s3({ bucket, region: 'us-east-1' });
export const longTermStorage = (props: Record<string, unknown>) => () => {
  const chart = newChart();
  return new LongTermStorage(chart, 'Storage', { metrics: metrics(chart), objectStorage: s3('ai-monitoring-metrics-us-east-1'), ...props });
};
export const replica = (props: Record<string, unknown>) => () => {
  const chart = newChart();
  return new RegionalReplica(chart, 'Topology', {
    topology: new Topology({ regions: [US, EU] }), region: 'us-east-1', metrics: metrics(chart), objectStorage: s3('ai-monitoring-metrics-us-east-1'), ...props,
  });
};
export const tiers = (raw: string, fiveMin: string, oneHour = '365d') => [
  { resolution: 'raw' as const, retention: raw },
  { resolution: '5m' as const, retention: fiveMin },
  { resolution: '1h' as const, retention: oneHour },
];

export const modelServer = (chart: Chart) => new Workload(chart, 'ModelServing', {
  name: 'model-serving', namespace: 'ai-serving', kind: 'Deployment', replicas: 2,
  containers: [{ name: 'server', image: 'registry.example.com/model-server:v1.0.0', ports: [{ name: 'http', containerPort: 8080 }], resources: { cpu: '1', memory: '4Gi' } }],
});
export const response = (props: Record<string, unknown> = {}) => {
  const chart = newChart();
  const m = metrics(chart);
  const target = WorkloadTarget.fromWorkload(modelServer(chart));
  return { chart, target, response: new IncidentResponse(chart, 'Response', { metrics: m, ...props }) };
};
export const remediation = (props: Record<string, unknown>) => () => {
  const { chart, target } = response();
  return new RemediationWorkflow(chart, 'Wf', {
    name: 'remediate-test', namespace: 'incident-response', target, rule: 'test',
    prometheusUrl: 'http://prometheus:9090', alertmanagerUrl: 'http://alertmanager:9093', conditionQuery: 'up',
    steps: [RemediationStep.rolloutRestart({ name: 'restart' })], ...props,
  });
};

let pulumiName = 0;
export const bucket = (args: Record<string, unknown>) => () =>
  new EncryptedBucket(`bad-bucket-${pulumiName++}`, { bucket: 'ai-monitoring-metrics-us-east-1', lifecycle: { expirationDays: 365 }, ...args } as any);
export const irsa = (args: Record<string, unknown>) => () =>
  new IrsaRole(`bad-role-${pulumiName++}`, {
    oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC',
    serviceAccounts: ['ai-monitoring/thanos-store'], bucketArns: [], ...args,
  } as any);
export const region = (args: Partial<MonitoringRegionArgs>) => () =>
  new MonitoringRegion(`bad-region-${pulumiName++}`, {
    region: 'us-east-1', role: 'primary', kubeconfig: 'kubeconfig-of-us-east-1',
    oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC',
    manifests: () => ({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } }] }),
    ...args,
  } as any);

export const DURATION = 'a duration like 15s, 5m, 1h30m or 30d';
export const SIZE = 'a size like 512MB, 100GB or 500GiB';
export const K8S_NAME = 'a Kubernetes name of at most 63 lowercase letters, digits and "-", starting and ending with an alphanumeric';
export const PROM_LABEL = 'a Prometheus label name matching [a-zA-Z_][a-zA-Z0-9_]* (not starting with "__")';
export const PINNED = 'an image pinned to a version like registry.example.com/app:v1.2.3 (not latest)';
export const SECRET_REF = 'a Secret reference { name, key }: credentials are never written into the configuration';


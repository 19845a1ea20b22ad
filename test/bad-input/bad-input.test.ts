/**
 * The bad-input suite (issue 10, item 2): one row per invalid input, across the constructs of
 * the library. Each row breaks ONE prop of an otherwise valid construction (the minimal valid
 * props come from the constructs' own tests) and expects construction to throw the library's
 * standard error `'<prop>' must be <expected>, got <value>`: the message names the prop, shows
 * the value received (never a credential) and says what is expected.
 *
 * Rows marked `at: 'synth'` are cross-object checks that cannot run before the chart is
 * complete; the comment on each says which objects it relates.
 *
 * Property-based tests of the Duration and Size parsers live in test/core/units.test.ts.
 */
import { Testing } from 'cdk8s';
import { Duration, NetworkPeer, PlatformNamespace, RuleSet, Size } from '../../lib/core/index.js';
import { ModelServer, VectorStore, VectorStoreMonitor } from '../../lib/ai/index.js';
import { AnomalySensitivity, Receiver, Slo, SloIndicator } from '../../lib/alerting/index.js';
import { GrafanaDatabase } from '../../lib/dashboards/index.js';
import { LogAgent, LogAgentDaemonSet, LogParser, LokiMode, LokiStorage, S3Credentials } from '../../lib/logging/index.js';
import { ObjectStorage, RetentionTiers, Topology } from '../../lib/topology/index.js';
import { Condition, RemediationStep, ResponseAction, WorkloadAutoscaler, WorkloadTarget } from '../../lib/response/index.js';
import { recordResources } from '../pulumi/support.js';
import { newChart } from '../support/synth.js';
import {
  alert, alertRules, anomaly, apiKey, bucket, cost, dashboards, DURATION, EU, forecast, gpu, grafana, irsa, K8S_NAME, logging, longTermStorage,
  metrics, modelServing, OPENSLO, PINNED, PROM_LABEL, region, remediation, replica, response, routing, ruleSet, SECRET_REF, signals, SIZE, slo,
  SLOTH, tiers, training, US, workload,
} from './fixtures.js';

/** A chart whose `monitoring-agents` namespace is declared for node agents (host access is refused elsewhere). */
const agentChart = () => {
  const chart = newChart();
  new PlatformNamespace(chart, 'Agents', { name: 'monitoring-agents', podSecurity: 'privileged', podSecurityReason: 'node agents read host files' });
  return chart;
};

// Pulumi components register resources in their constructors: record them with mocks.
recordResources();

interface Row {
  /** The construct (or parser) under test. */
  readonly construct: string;
  readonly description: string;
  /** Builds the construct with one bad prop. */
  readonly build: () => unknown;
  /** The prop the message must name. */
  readonly prop: string;
  /** What the message must say is expected. */
  readonly expected: string;
  /** How the message shows the received value; omitted for credentials, which must not be echoed. */
  readonly got: string;
  /** A credential that the message must NOT contain. */
  readonly secret?: string;
  /** 'synth' for a cross-object check that can only run on the complete chart. */
  readonly at?: 'synth';
}

// ---- the table ---------------------------------------------------------------------------------

const ROWS: Row[] = [
  // Duration and Size parsers (examples only; the property-based tests are in test/core)
  { construct: 'Duration', description: 'a negative number of seconds', build: () => Duration.seconds(-1), prop: 'duration', expected: 'a whole, non-negative number of milliseconds', got: '-1000' },
  { construct: 'Duration', description: 'a number instead of a string', build: () => Duration.of(300 as any, 'for'), prop: 'for', expected: DURATION, got: '300' },
  { construct: 'Size', description: 'a fraction of a byte', build: () => Size.parse('1.5B', 'volumeSize'), prop: 'volumeSize', expected: 'a whole number of bytes', got: "'1.5B'" },
  { construct: 'Size', description: 'a lowercase unit', build: () => Size.parse('10gb', 'storage'), prop: 'storage', expected: SIZE, got: "'10gb'" },

  // MetricsStack
  { construct: 'MetricsStack', description: 'a zero retention', build: () => metrics(newChart(), { retention: '0s' }), prop: 'retention', expected: 'a duration above 0s', got: "'0s'" },
  { construct: 'MetricsStack', description: 'a zero scrape interval', build: () => metrics(newChart(), { scrapeInterval: '0s' }), prop: 'scrapeInterval', expected: 'a duration above 0s', got: "'0s'" },
  { construct: 'MetricsStack', description: 'a zero scrape timeout', build: () => metrics(newChart(), { scrapeTimeout: '0s' }), prop: 'scrapeTimeout', expected: 'a duration above 0s', got: "'0s'" },
  { construct: 'MetricsStack', description: 'a zero rule evaluation interval', build: () => metrics(newChart(), { evaluationInterval: '0s' }), prop: 'evaluationInterval', expected: 'a duration above 0s', got: "'0s'" },
  { construct: 'MetricsStack', description: 'an empty volume', build: () => metrics(newChart(), { volumeSize: '0GB', retentionSize: '0GB' }), prop: 'volumeSize', expected: 'a size above 0B', got: "'0GB'" },
  { construct: 'MetricsStack', description: 'a fractional replica count', build: () => metrics(newChart(), { replicas: 1.5 }), prop: 'replicas', expected: 'an integer between 1 and 100', got: '1.5' },
  { construct: 'MetricsStack', description: 'an agent namespace with upper case', build: () => metrics(newChart(), { agentNamespace: 'Agents' }), prop: 'agentNamespace', expected: K8S_NAME, got: "'Agents'" },

  // Workload
  { construct: 'Workload', description: 'zero replicas', build: workload({ replicas: 0 }), prop: 'replicas', expected: 'an integer between 1 and 100', got: '0' },
  { construct: 'Workload', description: 'an unpinned container image', build: workload({}, { image: 'registry.example.com/model-server' }), prop: 'containers.server.image', expected: PINNED, got: "'registry.example.com/model-server'" },
  { construct: 'Workload', description: 'a name with an underscore', build: workload({ name: 'model_serving' }), prop: 'name', expected: K8S_NAME, got: "'model_serving'" },
  { construct: 'Workload', description: 'a namespace with upper case', build: workload({ namespace: 'AI-Serving' }), prop: 'namespace', expected: K8S_NAME, got: "'AI-Serving'" },
  { construct: 'Workload', description: 'a CPU request that is not a quantity', build: workload({}, { resources: { cpu: 'two cores', memory: '4Gi' } }), prop: 'containers.server.resources.cpu', expected: 'a Kubernetes quantity like 500m or 2', got: "'two cores'" },
  { construct: 'Workload', description: 'a memory limit below the request', build: workload({}, { resources: { cpu: '1', memory: '4Gi', memoryLimit: '1Gi' } }), prop: 'containers.server.resources.memoryLimit', expected: 'at least the memory request (4Gi)', got: "'1Gi'" },
  { construct: 'Workload', description: 'no containers', build: workload({ containers: [] }), prop: 'containers', expected: 'at least one container', got: '[]' },
  { construct: 'Workload', description: 'two containers with one name', build: workload({ initContainers: [{ name: 'server', image: 'registry.example.com/init:v1.0.0', resources: { cpu: '10m', memory: '16Mi' } }] }), prop: 'containers.name', expected: 'unique', got: "duplicate 'server'" },
  { construct: 'Workload', description: 'a container port above 65535', build: workload({}, { ports: [{ name: 'http', containerPort: 70000 }] }), prop: 'containers.server.ports.http.containerPort', expected: 'an integer between 1 and 65535', got: '70000' },
  { construct: 'Workload', description: 'a negative termination grace period', build: workload({ terminationGracePeriodSeconds: -1 }), prop: 'terminationGracePeriodSeconds', expected: 'an integer between 0 and 3600', got: '-1' },

  // RuleSet
  { construct: 'RuleSet', description: 'a runbook base URL without a scheme', build: () => new RuleSet(newChart(), 'R', { name: 'r', namespace: 'monitoring', runbookBaseUrl: 'runbooks.example.com' }), prop: 'runbookBaseUrl', expected: "an http(s) URL like https://runbooks.example.com", got: "'<redacted>'" },
  { construct: 'RuleSet', description: 'a group name with a space', build: () => ruleSet().addAlert('my group', alert), prop: 'group', expected: 'a rule group name of letters, digits, "_", "-", "." or ":"', got: "'my group'" },
  { construct: 'RuleSet', description: 'an unknown severity', build: () => ruleSet().addAlert('g', { ...alert, severity: 'info' as any }), prop: 'alerts.A.severity', expected: "'warning' or 'critical'", got: "'info'" },
  { construct: 'RuleSet', description: 'an unknown incident class', build: () => ruleSet().addAlert('g', { ...alert, incidentClass: 'low' as any }), prop: 'alerts.A.incidentClass', expected: "'critical', 'high' or 'medium'", got: "'low'" },
  { construct: 'RuleSet', description: 'a namespace with upper case', build: () => new RuleSet(newChart(), 'R', { name: 'r', namespace: 'Monitoring' }), prop: 'namespace', expected: K8S_NAME, got: "'Monitoring'" },
  { construct: 'RuleSet', description: 'an empty summary', build: () => ruleSet().addAlert('g', { ...alert, summary: ' ' }), prop: 'alerts.A.summary', expected: 'a non-empty summary', got: "' '" },
  { construct: 'RuleSet', description: 'a label value that is a number', build: () => ruleSet().addAlert('g', { ...alert, labels: { team: 5 as any } }), prop: 'alerts.A.labels.team', expected: 'a string label value', got: '5' },

  // AlertRules
  { construct: 'AlertRules', description: 'a direction that is neither above nor below', build: alertRules({ direction: 'sideways' }), prop: 'thresholds.HighQueueDepth.direction', expected: "'above' or 'below'", got: "'sideways'" },
  { construct: 'AlertRules', description: 'a non-finite critical level', build: alertRules({ critical: Infinity }), prop: 'thresholds.HighQueueDepth.critical', expected: 'a finite number', got: 'an infinite number' },

  // IncidentRouting and Receiver
  { construct: 'Receiver', description: 'an inline PagerDuty routing key', build: () => Receiver.pagerDuty('p', { routingKey: 'R0ut1ngK3y-0123456789' as any }), prop: 'receivers.p.routingKey', expected: SECRET_REF, got: "'<inline string, redacted>'", secret: 'R0ut1ngK3y-0123456789' },
  { construct: 'Receiver', description: 'an inline SMTP password', build: () => Receiver.email('e', { to: 'oncall@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587', authUsername: 'am', authPassword: 'hunter2-smtp' as any }), prop: 'receivers.e.authPassword', expected: SECRET_REF, got: "'<inline string, redacted>'", secret: 'hunter2-smtp' },
  { construct: 'Receiver', description: 'a webhook URL carrying a token', build: () => Receiver.webhook('w', { url: 'https://hooks.example.com/alert?token=s3cr3t-t0ken' }), prop: 'receivers.w.url', expected: "a URL without credentials: put it in a Secret and use urlSecret, or bearerToken", got: "'https://hooks.example.com/<redacted: a credential in the query>'", secret: 's3cr3t-t0ken' },
  { construct: 'Receiver', description: 'a Slack channel with a space', build: () => Receiver.slack('s', { apiUrl: { name: 'slack', key: 'url' }, channel: '#ai incidents' }), prop: 'receivers.s.channel', expected: 'a Slack channel like #incidents, or a Go template', got: "'#ai incidents'" },
  { construct: 'Receiver', description: 'a recipient that is not an email address', build: () => Receiver.email('e', { to: 'oncall', from: 'am@example.com', smarthost: 'smtp.example.com:587' }), prop: 'receivers.e.to', expected: 'an email address, or a Go template', got: "'oncall'" },
  { construct: 'Receiver', description: 'a receiver name with a space', build: () => Receiver.none('tier 1'), prop: 'receivers.name', expected: 'a receiver name of letters, digits, "-", "_" or "."', got: "'tier 1'" },
  { construct: 'IncidentRouting', description: 'a single Alertmanager (no HA)', build: () => routing({ replicas: 1 }), prop: 'replicas', expected: 'an integer between 2 and 100', got: '1' },
  { construct: 'IncidentRouting', description: 'grouping by a reserved label', build: () => routing({ groupBy: ['__name__'] }), prop: 'groupBy[0]', expected: PROM_LABEL, got: "'__name__'" },
  { construct: 'IncidentRouting', description: 'no receivers', build: () => routing({ receivers: [] }), prop: 'receivers', expected: 'at least one Receiver', got: '[]' },
  { construct: 'IncidentRouting', description: 'an empty route matcher list', build: () => routing().addRoute({ matchers: [], receiver: 'tier-1' }), prop: 'routes[0].matchers', expected: 'at least one matcher', got: '[]' },
  { construct: 'IncidentRouting', description: 'a response time under 10s', build: () => routing({ classes: { critical: { responseTime: '5s', receiver: 'immediate' }, high: { responseTime: '15m', receiver: 'tier-2' }, medium: { responseTime: '1h', receiver: 'tier-1' } } }), prop: 'classes.critical.responseTime', expected: 'a duration of at least 10s', got: "'5s'" },

  // ModelServingMonitor, GpuMonitor, TrainingMonitor, VectorStoreMonitor
  { construct: 'ModelServingMonitor', description: 'a relative metrics path', build: () => ModelServer.vllm({ path: 'metrics' }), prop: 'vllm.path', expected: 'an absolute URL path like /metrics', got: "'metrics'" },
  { construct: 'ModelServingMonitor', description: 'a scrape interval in words', build: modelServing({ interval: '30 seconds' }), prop: 'interval', expected: DURATION, got: "'30 seconds'" },
  { construct: 'ModelServingMonitor', description: 'a selector label value with a space', build: modelServing({ selector: { app: 'chat server' } }), prop: 'selector.app', expected: 'a Kubernetes label value of at most 63 alphanumerics, "-", "_" or "."', got: "'chat server'" },
  { construct: 'GpuMonitor', description: 'an empty node selector', build: gpu({ nodeSelector: {} }), prop: 'nodeSelector', expected: 'at least one node label that selects GPU nodes, for example { "nvidia.com/gpu.present": "true" }', got: '{}' },
  { construct: 'GpuMonitor', description: 'a negative idle threshold', build: gpu({ thresholds: { idlePercent: -5 } }), prop: 'thresholds.idlePercent', expected: 'a finite number >= 0', got: '-5' },
  { construct: 'GpuMonitor', description: 'a relative pod-resources path', build: gpu({ podResourcesPath: 'var/lib/kubelet/pod-resources' }), prop: 'podResourcesPath', expected: "the kubelet's pod-resources directory, an absolute path ending in /pod-resources like /var/lib/kubelet/pod-resources", got: "'var/lib/kubelet/pod-resources'" },
  { construct: 'GpuMonitor', description: 'the host root as pod-resources path', build: gpu({ podResourcesPath: '/' }), prop: 'podResourcesPath', expected: "the kubelet's pod-resources directory, an absolute path ending in /pod-resources like /var/lib/kubelet/pod-resources", got: "'/'" },
  { construct: 'GpuMonitor', description: 'a rules namespace with upper case', build: gpu({ rulesNamespace: 'Monitoring' }), prop: 'rulesNamespace', expected: K8S_NAME, got: "'Monitoring'" },
  { construct: 'TrainingMonitor', description: 'a scraped job on port 0', build: () => training().addScrapedJob('finetune', { namespace: 'ai-training', selector: { 'job-name': 'finetune' }, port: 0 }), prop: 'finetune.port', expected: 'a port number between 1 and 65535 or a port name', got: '0' },
  { construct: 'TrainingMonitor', description: 'a persistence size in words', build: () => training({ persistenceSize: 'five gigs' }), prop: 'persistenceSize', expected: SIZE, got: "'five gigs'" },
  { construct: 'TrainingMonitor', description: 'a relative metrics path on a scraped job', build: () => training().addScrapedJob('finetune', { namespace: 'ai-training', selector: { 'job-name': 'finetune' }, port: 8000, path: 'metrics' }), prop: 'finetune.endpoints.path', expected: 'an absolute URL path like /metrics', got: "'metrics'" },
  { construct: 'VectorStoreMonitor', description: 'an inline Pinecone API key', build: () => VectorStore.pineconeServerless({ projectId: 'proj-123', apiKey: 'pcsk_live_0123456789abcdef' as any }), prop: 'pineconeServerless.apiKey', expected: "a reference { name, key } to the Secret key that holds the Pinecone API key (never the value itself)", got: "'<inline string, redacted>'", secret: 'pcsk_live_0123456789abcdef' },
  { construct: 'VectorStoreMonitor', description: 'a Pinecone environment with spaces', build: () => VectorStore.pineconePods({ environment: 'us east', apiKey }), prop: 'pineconePods.environment', expected: 'a Pinecone environment like us-east-1-aws', got: "'us east'" },
  { construct: 'VectorStoreMonitor', description: 'a zero discovery refresh interval', build: () => VectorStore.pineconeServerless({ projectId: 'proj-123', apiKey, refreshInterval: '0s' }), prop: 'pineconeServerless.refreshInterval', expected: 'a duration above 0s', got: "'0s'" },
  { construct: 'VectorStoreMonitor', description: 'a monitor name with upper case', build: () => { const chart = newChart(); return new VectorStoreMonitor(chart, 'V', { name: 'Pinecone', scraper: metrics(chart), store: VectorStore.pineconeServerless({ projectId: 'proj-123', apiKey }) }); }, prop: 'name', expected: K8S_NAME, got: "'Pinecone'" },

  // Slo, Sloth, OpenSLO
  { construct: 'Slo', description: 'a negative minimum event rate', build: slo({ minimumEventRate: -1 }), prop: 'minimumEventRate', expected: 'a number of events per second >= 0', got: '-1' },
  { construct: 'Slo', description: 'a zero latency threshold', build: () => SloIndicator.latency({ histogram: 'model_inference_latency_seconds', threshold: '0ms' }), prop: 'indicator.threshold', expected: 'a latency above 0s', got: "'0ms'" },
  { construct: 'Slo', description: 'an indicator selector with braces', build: () => SloIndicator.availability({ requests: 'model_requests_total', errors: 'model_request_errors_total', selector: '{model="llm"}' }), prop: 'indicator.selector', expected: 'label matchers without braces, like model="llm"', got: '\'{model="llm"}\'' },
  { construct: 'Slo (Sloth)', description: 'a spec without a service', build: () => Slo.fromSloth(newChart(), 'S', SLOTH.replace('service: "k8s-apiserver"', 'service: ""'), { namespace: 'monitoring' }), prop: 'sloth.service', expected: 'a service name', got: "''" },
  { construct: 'Slo (Sloth)', description: 'labels that are a list', build: () => Slo.fromSloth(newChart(), 'S', SLOTH.replace('slos:', 'labels: [a, b]\nslos:'), { namespace: 'monitoring' }), prop: 'sloth.labels', expected: 'a map of labels', got: '["a","b"]' },
  { construct: 'Slo (OpenSLO)', description: 'two time windows', build: () => Slo.fromOpenSlo(newChart(), 'O', OPENSLO.replace('      isRolling: true', '      isRolling: true\n    - duration: 7d\n      isRolling: true'), { namespace: 'monitoring' }), prop: 'openslo[0].spec.timeWindow', expected: 'a list of exactly one time window', got: '[{"duration":"28d","isRolling":true},{"duration":"7d","isRolling":true}]' },
  { construct: 'Slo (OpenSLO)', description: 'a query that is empty', build: () => Slo.fromOpenSlo(newChart(), 'O', OPENSLO.replace('query: sum(rate(model_requests_total[{{.window}}]))', "query: ''"), { namespace: 'monitoring' }), prop: 'openslo[0].spec.indicator.spec.ratioMetric.total.metricSource.spec.query', expected: 'a PromQL query', got: "''" },

  // AnomalyDetection, CapacityForecast, CostMetrics
  { construct: 'AnomalyDetection', description: 'an unknown seasonality', build: anomaly({ seasonality: 'daily' }), prop: 'seasonality', expected: "'none' or 'weekly'", got: "'daily'" },
  { construct: 'AnomalyDetection', description: 'a negative minimum stddev', build: anomaly({ minimumStddev: -0.1 }), prop: 'minimumStddev', expected: 'a finite number >= 0', got: '-0.1' },
  { construct: 'AnomalyDetection', description: 'a signal direction that is not up/down/both', build: anomaly({ signals: [{ ...signals[0], direction: 'sideways' }] }), prop: 'signals.inference_requests.direction', expected: "'up', 'down' or 'both'", got: "'sideways'" },
  { construct: 'AnomalyDetection', description: 'a sensitivity of NaN sigmas', build: () => AnomalySensitivity.sigma(NaN), prop: 'sensitivity', expected: 'a number of standard deviations above 0', got: 'not a number' },
  { construct: 'CapacityForecast', description: 'a capacity of zero', build: forecast({ capacity: 0 }), prop: 'capacity', expected: 'a finite number > 0 and <= 1', got: '0' },
  { construct: 'CostMetrics', description: 'a projection window under 1h', build: cost({ projectionWindow: '30m' }), prop: 'projectionWindow', expected: 'a duration of at least 1h', got: "'30m'" },
  { construct: 'CostMetrics', description: 'a monthly budget that is not a number', build: cost({ monthlyBudget: '1000' }), prop: 'monthlyBudget', expected: 'a finite number > 0', got: "'1000'" },
  { construct: 'CostMetrics', description: 'a service budget key with a quote', build: cost({ serviceBudgets: { 'chat"} or vector(1) #': 100 } }), prop: 'serviceBudgets', expected: 'a service name without quotes, backslashes or line breaks', got: '\'chat"} or vector(1) #\'' },

  // LoggingStack, Loki, LogAgent
  { construct: 'LoggingStack', description: 'logs kept less than a day', build: logging({ retention: '12h' }), prop: 'retention', expected: "at least 24h (Loki's index period)", got: "'12h'" },
  { construct: 'LoggingStack', description: 'the privileged agent namespace for Loki', build: logging({ namespace: 'monitoring-agents' }), prop: 'namespace', expected: 'a namespace other than the privileged agent namespace (monitoring-agents)', got: "'monitoring-agents'" },
  { construct: 'LoggingStack', description: 'a zero ingestion rate', build: logging({ ingestionRate: '0MB' }), prop: 'ingestionRate', expected: 'a rate above 0', got: "'0MB'" },
  { construct: 'LoggingStack', description: 'a storage budget in words', build: logging({ storageBudget: 'half a terabyte' }), prop: 'storageBudget', expected: SIZE, got: "'half a terabyte'" },
  { construct: 'LoggingStack', description: 'a privileged syslog port', build: logging({ syslogReceiver: { port: 514 } as any }), prop: 'syslogReceiver.port', expected: 'an integer between 1024 and 65535', got: '514' },
  { construct: 'LoggingStack', description: 'an Alertmanager URL with a password', build: logging({ alertmanagerUrl: 'http://loki:Ruler-Passw0rd@alertmanager-ai-monitoring.ai-monitoring.svc:9093' }), prop: 'alertmanagerUrl', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093/<redacted: user info>'", secret: 'Ruler-Passw0rd' },
  { construct: 'LogAgent', description: 'the same parser twice', build: logging({ parsers: [LogParser.json(), LogParser.json()] }), prop: 'parsers[1].name', expected: 'unique among the parsers', got: "'json'" },
  { construct: 'LogAgent', description: 'an agent CPU request in words', build: () => new LogAgentDaemonSet(agentChart(), 'Agent', { namespace: 'monitoring-agents', pushUrl: 'http://loki-distributor.logging.svc:3100/loki/api/v1/push', lokiPeer: NetworkPeer.pods({ app: 'loki' }, 'logging'), agent: LogAgent.promtail({ resources: { cpu: 'a tenth', memory: '128Mi' } }) }), prop: 'containers.promtail.resources.cpu', expected: 'a Kubernetes quantity like 500m or 2', got: "'a tenth'" },
  { construct: 'Loki', description: 'a replication factor above the ingester count', build: () => LokiMode.distributed({ ingesterReplicas: 2, replicationFactor: 3 }), prop: 'mode.replicationFactor', expected: 'at most the ingester replica count (2)', got: '3' },
  { construct: 'Loki', description: 'an S3 region in upper case', build: () => LokiStorage.s3({ bucket: 'ai-logs', region: 'EU-WEST-1', credentials: S3Credentials.secret({ secretName: 'loki-s3' }) }), prop: 'storage.region', expected: 'an AWS region like eu-west-1', got: "'EU-WEST-1'" },
  { construct: 'Loki', description: 'SSE-KMS without a key', build: () => LokiStorage.s3({ bucket: 'ai-logs', region: 'eu-west-1', encryption: 'SSE-KMS', credentials: S3Credentials.secret({ secretName: 'loki-s3' }) } as any), prop: 'storage.kmsKeyId', expected: 'a KMS key id when encryption is SSE-KMS', got: 'nothing' },
  { construct: 'Loki', description: 'an S3 endpoint with access keys', build: () => LokiStorage.s3({ bucket: 'ai-logs', region: 'eu-west-1', endpoint: 'https://AKIAEXAMPLE:L0ki-S3cret@minio.storage.svc:9000', credentials: S3Credentials.secret({ secretName: 'loki-s3' }) }), prop: 'storage.endpoint', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'https://minio.storage.svc:9000/<redacted: user info>'", secret: 'L0ki-S3cret' },
  { construct: 'LogAgent', description: 'a syslog file outside /var/log', build: () => new LogAgentDaemonSet(newChart(), 'Agent', { namespace: 'monitoring-agents', pushUrl: 'http://loki-distributor.logging.svc:3100/loki/api/v1/push', lokiPeer: NetworkPeer.pods({ app: 'loki' }, 'logging'), syslogFiles: ['/etc/shadow'] }), prop: 'syslogFiles[0]', expected: 'a file under /var/log (the only host path mounted)', got: "'/etc/shadow'" },

  // Grafana, DashboardSet
  { construct: 'Grafana', description: 'an Alertmanager datasource with an ftp URL', build: grafana({ alertmanager: { url: 'ftp://alertmanager:9093' } }), prop: 'alertmanager.url', expected: "an http(s) URL like http://prometheus-ai-monitoring.ai-monitoring.svc:9090", got: "'ftp://alertmanager:9093'" },
  { construct: 'Grafana', description: 'an external database password given inline', build: () => GrafanaDatabase.external({ host: 'db.example.com:5432', user: 'grafana', passwordSecret: 'Gr4fana-Passw0rd' as any }), prop: 'database.passwordSecret', expected: "a reference { name, key } to the Secret key that holds the database password (never the value itself)", got: "'<inline string, redacted>'", secret: 'Gr4fana-Passw0rd' },
  { construct: 'Grafana', description: 'a database port out of range', build: () => GrafanaDatabase.external({ host: 'db.example.com:70000', user: 'grafana', passwordSecret: { name: 'db', key: 'password' } }), prop: 'database.host', expected: 'a host:port like postgres.example.com:5432', got: "'db.example.com:70000'" },
  { construct: 'Grafana', description: 'a database password key with a space', build: () => GrafanaDatabase.external({ host: 'db.example.com:5432', user: 'grafana', passwordSecret: { name: 'db', key: 'pass word' } }), prop: 'database.passwordSecret.key', expected: 'a Secret data key of letters, digits, "-", "_" or "."', got: "'pass word'" },
  { construct: 'Grafana', description: 'an admin password key with a slash', build: grafana({ adminSecret: { name: 'grafana-admin', passwordKey: 'admin/password' } }), prop: 'adminSecret.passwordKey', expected: 'a Secret data key of letters, digits, "-", "_" or "."', got: "'admin/password'" },
  { construct: 'Grafana', description: 'a Prometheus datasource URL with a password', build: grafana({ prometheus: { url: 'https://grafana:Pr0m-Passw0rd@prometheus.example.com' } }), prop: 'prometheus.url', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'https://prometheus.example.com/<redacted: user info>'", secret: 'Pr0m-Passw0rd' },
  { construct: 'DashboardSet', description: 'an SLO objective given as a percentage', build: dashboards({ sloObjectives: { availability: 99.9 } }), prop: 'sloObjectives.availability', expected: 'a finite number >= 0 and <= 1', got: '99.9' },
  { construct: 'DashboardSet', description: 'the logs dashboard without a Loki datasource', build: dashboards({ builtins: ['logs'] }), prop: 'builtins', expected: "listed only when the Grafana has a 'loki' datasource", got: "'logs'" },
  { construct: 'DashboardSet', description: 'a zero SLO window', build: dashboards({ sloWindows: ['5m', '0s'] }), prop: 'sloWindows', expected: 'windows above 0s, like 1h', got: "'0s'" },
  { construct: 'DashboardSet', description: 'an unknown Kubernetes dashboard family', build: dashboards({ kubernetes: { etcd: true } }), prop: 'kubernetes.etcd', expected: 'one of compute, networking, storage, nodes, kubelet, apiServer', got: "'etcd'" },
  { construct: 'DashboardSet', description: 'a component dashboard toggle that is not a boolean', build: dashboards({ components: { loki: 'yes' } }), prop: 'components.loki', expected: 'true or false', got: "'yes'" },

  // RetentionTiers, Topology, LongTermStorage, RegionalReplica
  { construct: 'RetentionTiers', description: 'no tiers', build: () => new RetentionTiers({ tiers: [] }), prop: 'tiers', expected: 'a non-empty list of { resolution, retention }', got: '[]' },
  { construct: 'RetentionTiers', description: 'a zero retention', build: () => new RetentionTiers({ tiers: tiers('7d', '30d', '0s') }), prop: 'tiers[2].retention', expected: 'a duration above 0s', got: "'0s'" },
  { construct: 'Topology', description: 'a CIDR with a prefix above 32', build: () => new Topology({ regions: [US, { ...EU, cidr: '10.20.0.0/33' }] }), prop: 'regions[1].cidr', expected: "an IPv4 or IPv6 CIDR like 10.0.0.0/16 or fd00::/8", got: "'10.20.0.0/33'" },
  { construct: 'Topology', description: 'a region that is not in the topology', build: () => new Topology({ regions: [US, EU] }).get('ap-south-1'), prop: 'region', expected: 'one of us-east-1, eu-west-1', got: "'ap-south-1'" },
  { construct: 'Topology', description: 'a receive URL with a password', build: () => new Topology({ regions: [US, { ...EU, receiveUrl: 'https://thanos:R3ce1ve-Passw0rd@thanos-receive.eu-west-1.monitoring.internal/api/v1/receive' }] }), prop: 'regions[1].receiveUrl', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'https://thanos-receive.eu-west-1.monitoring.internal/<redacted: user info>'", secret: 'R3ce1ve-Passw0rd' },
  { construct: 'LongTermStorage', description: 'an IRSA role that is not an ARN', build: longTermStorage({ roleArn: 'thanos-us-east-1' }), prop: 'roleArn', expected: 'an IAM role ARN like arn:aws:iam::123456789012:role/thanos', got: "'thanos-us-east-1'" },
  { construct: 'LongTermStorage', description: 'a bucket name with upper case', build: () => ObjectStorage.s3({ bucket: 'AI-Metrics', region: 'us-east-1' }), prop: 'bucket', expected: 'an S3 bucket name of 3-63 lowercase letters, digits, "." and "-"', got: "'AI-Metrics'" },
  { construct: 'LongTermStorage', description: 'an S3 endpoint with a scheme', build: () => ObjectStorage.s3({ bucket: 'ai-metrics', region: 'us-east-1', endpoint: 'https://minio.storage.svc:9000' }), prop: 'endpoint', expected: 'an S3 host[:port] without a scheme, like s3.us-east-1.amazonaws.com', got: "'https://minio.storage.svc:9000'" },
  { construct: 'LongTermStorage', description: 'an S3 endpoint with access keys', build: () => ObjectStorage.s3({ bucket: 'ai-metrics', region: 'us-east-1', endpoint: 'AKIAEXAMPLE:wJalrXUtnFEMI@minio.storage.svc:9000' }), prop: 'endpoint', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'<redacted>'", secret: 'wJalrXUtnFEMI' },
  { construct: 'LongTermStorage', description: 'an unpinned Thanos image', build: longTermStorage({ image: 'quay.io/thanos/thanos:latest' }), prop: 'image', expected: PINNED, got: "'quay.io/thanos/thanos:latest'" },
  { construct: 'LongTermStorage', description: 'zero store replicas', build: longTermStorage({ storeReplicas: 0 }), prop: 'storeReplicas', expected: 'an integer between 1 and 100', got: '0' },
  { construct: 'LongTermStorage', description: 'a compactor volume size in words', build: longTermStorage({ compactorVolumeSize: 'big' }), prop: 'compactorVolumeSize', expected: SIZE, got: "'big'" },
  { construct: 'RegionalReplica', description: 'a backreference in a replicated series regex', build: replica({ replicatedSeries: ['(slo)_\\1'] }), prop: 'replicatedSeries[0]', expected: 'an RE2 (Go) regular expression (error parsing regexp: invalid escape sequence: `\\1`)', got: "'(slo)_\\1'" },

  // IncidentResponse, RemediationWorkflow, automation
  { construct: 'IncidentResponse', description: 'an unpinned JetStream version', build: () => response({ eventBus: { version: 'latest' } }), prop: 'eventBus.version', expected: "a JetStream version Argo Events v1.9.10's controller config lists (2.8.1, 2.8.1-alpine, 2.8.2, 2.8.2-alpine, 2.9.1, 2.9.12, 2.9.16, 2.10.10)", got: "'latest'" },
  { construct: 'IncidentResponse', description: 'an Alertmanager URL without a scheme', build: () => response({ alertmanager: { url: 'alertmanager:9093', namespace: 'monitoring', podLabels: { app: 'alertmanager' } } }), prop: 'alertmanager.url', expected: 'an http(s) URL', got: "'alertmanager:9093'" },
  { construct: 'IncidentResponse', description: 'an Alertmanager URL with a password', build: () => response({ alertmanager: { url: 'http://ir:Am-Passw0rd@alertmanager-ai-monitoring.ai-monitoring.svc:9093', namespace: 'monitoring', podLabels: { app: 'alertmanager' } } }), prop: 'alertmanager.url', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093/<redacted: user info>'", secret: 'Am-Passw0rd' },
  { construct: 'IncidentResponse', description: 'a KEDA Prometheus URL with a token', build: () => { const { chart, target } = response(); return new WorkloadAutoscaler(chart, 'A', { target, prometheusUrl: 'http://prometheus-ai-monitoring.ai-monitoring.svc:9090/?access_token=K3da-T0ken' }); }, prop: 'prometheusUrl', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'http://prometheus-ai-monitoring.ai-monitoring.svc:9090/<redacted: a credential in the query>'", secret: 'K3da-T0ken' },
  { construct: 'IncidentResponse', description: 'a latency quantile above 1', build: () => Condition.latency({ threshold: '200ms', quantile: 1.5 }), prop: 'condition.quantile', expected: 'a finite number >= 0 and <= 1', got: '1.5' },
  { construct: 'IncidentResponse', description: 'a KEDA polling interval under 1s', build: () => { const { chart, target } = response(); return new WorkloadAutoscaler(chart, 'A', { target, prometheusUrl: 'http://p:9090', pollingInterval: '500ms' }); }, prop: 'pollingInterval', expected: 'at least 1s', got: "'500ms'" },
  { construct: 'IncidentResponse', description: 'a scale-out ceiling of 1.5 replicas', build: () => ResponseAction.scaleOut({ maxReplicas: 1.5 }), prop: 'maxReplicas', expected: 'an integer between 1 and 1000', got: '1.5' },
  { construct: 'RemediationWorkflow', description: 'a fractional backoff factor', build: remediation({ backoff: { factor: 1.5 } }), prop: 'backoff.factor', expected: 'a whole number >= 1 (Argo takes an integer factor)', got: '1.5' },
  { construct: 'RemediationWorkflow', description: 'more than 10 retries', build: remediation({ retries: 11 }), prop: 'retries', expected: 'an integer between 0 and 10', got: '11' },
  { construct: 'RemediationWorkflow', description: 'a Prometheus URL with a password', build: remediation({ prometheusUrl: 'http://wf:Wf-Passw0rd@prometheus:9090' }), prop: 'prometheusUrl', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'http://prometheus:9090/<redacted: user info>'", secret: 'Wf-Passw0rd' },
  { construct: 'RemediationWorkflow', description: 'a step with an empty command', build: () => RemediationStep.container({ name: 'custom', image: 'registry.k8s.io/kubectl:v1.34.1', command: [] }), prop: 'steps.custom.command', expected: 'a non-empty command', got: '[]' },
  { construct: 'RemediationWorkflow', description: 'an env variable name with a dash', build: () => RemediationStep.setEnv({ name: 'tune', env: { 'MAX-BATCH': '8' } }), prop: 'env.MAX-BATCH', expected: 'an environment variable name', got: "'MAX-BATCH'" },
  { construct: 'RemediationWorkflow', description: 'an HTTP step URL with a password', build: () => RemediationStep.httpRequest({ name: 'purge', url: 'https://admin:C4che-Passw0rd@cache.ai-serving.svc/purge' }), prop: 'url', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'https://cache.ai-serving.svc/<redacted: user info>'", secret: 'C4che-Passw0rd' },
  { construct: 'RemediationWorkflow', description: 'an HTTP step URL with a token parameter', build: () => RemediationStep.httpRequest({ name: 'purge', url: 'https://cache.ai-serving.svc/purge?token=t0k3n-abc' }), prop: 'url', expected: "a URL without credentials (they would be written into the manifest in clear)", got: "'https://cache.ai-serving.svc/<redacted: a credential in the query>'", secret: 't0k3n-abc' },
  // Cross-object: the target names a Deployment by name; whether the chart defines it is known only on the complete chart.
  {
    construct: 'IncidentResponse', description: 'an automation target the chart does not define', at: 'synth',
    build: () => {
      const { chart, response: r } = response();
      r.addRule('Ghost', { name: 'ghost', target: WorkloadTarget.deployment('no-such-server', 'ai-serving'), condition: Condition.memoryPressure({ threshold: '85%' }), actions: [ResponseAction.scaleOut()] });
      return Testing.synth(chart);
    },
    prop: 'target', expected: 'a Deployment or StatefulSet defined in the chart (test)', got: "'Deployment/ai-serving/no-such-server'",
  },

  // Pulumi components (they validate synchronously, before registering any child resource)
  { construct: 'EncryptedBucket', description: 'an expiration of 0 days', build: bucket({ lifecycle: { expirationDays: 0 } }), prop: 'lifecycle.expirationDays', expected: 'an integer >= 1', got: '0' },
  { construct: 'EncryptedBucket', description: 'infrequent access after expiration', build: bucket({ lifecycle: { expirationDays: 60, infrequentAccessAfterDays: 90 } }), prop: 'lifecycle.infrequentAccessAfterDays', expected: 'below expirationDays (60)', got: '90' },
  { construct: 'IrsaRole', description: 'a ServiceAccount without a namespace', build: irsa({ serviceAccounts: ['thanos-store'] }), prop: 'serviceAccounts[0]', expected: 'namespace/name, for example ai-monitoring/thanos-store', got: "'thanos-store'" },
  { construct: 'MonitoringRegion', description: 'a role that is neither primary nor secondary', build: region({ role: 'tertiary' as any }), prop: 'role', expected: "'primary' or 'secondary'", got: "'tertiary'" },
  { construct: 'MonitoringRegion', description: 'zero days of logs', build: region({ logsRetentionDays: 0 }), prop: 'logsRetentionDays', expected: 'an integer >= 1', got: '0' },
];

// ---- the assertions ------------------------------------------------------------------------------

function thrown(build: () => unknown): Error {
  try {
    build();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the construction to throw, but it succeeded');
}

describe('bad-input suite', () => {
  it('has at least 40 distinct rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    const keys = ROWS.map((r) => `${r.construct} | ${r.prop} | ${r.got} | ${r.secret ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(ROWS.map((r) => `${r.construct} | ${r.description}`)).size).toBe(ROWS.length);
  });

  it.each(ROWS.map((r) => [`${r.construct}: ${r.description}`, r] as const))('rejects %s', (_name, row) => {
    const error = thrown(row.build);
    expect(error).toBeInstanceOf(Error);
    // (a) names the prop, (b) shows the value, (c) says what is expected, in the standard form.
    expect(error.message).toContain(`'${row.prop}' must be `);
    expect(error.message).toContain(`must be ${row.expected}, `);
    expect(error.message.endsWith(`, got ${row.got}`)).toBe(true);
    const standard = `'${row.prop}' must be ${row.expected}, got ${row.got}`;
    if (row.at === 'synth') {
      // cdk8s wraps an error thrown while resolving a lazy value with the path of the object.
      expect(error.message).toMatch(/^Failed serializing construct at path '[^']+' with name '[^']+': ValidationError: /);
      expect(error.message.endsWith(`ValidationError: ${standard}`)).toBe(true);
    } else {
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe(standard);
    }
    if (row.secret !== undefined) expect(error.message).not.toContain(row.secret);
  });
});

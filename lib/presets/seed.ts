import { ModelServer, VectorStore } from '../ai/index.js';
import { AnomalySensitivity, Receiver, SEED_INCIDENT_CLASSES, SloIndicator } from '../alerting/index.js';
import type { Workload } from '../core/workload.js';
import { seedAutomationRules, WorkloadTarget } from '../response/index.js';
import { ObjectStorage, RetentionTiers, Topology } from '../topology/index.js';
import { GeoIpDatabase, LogParser, LokiMode, LokiStorage, S3Credentials } from '../logging/index.js';
import type { MonitoringPlatformProps } from '../platform.js';

/** The two regions of seed section 8.2. */
export type SeedRegion = 'us-east-1' | 'eu-west-1';
export const SEED_REGIONS: readonly SeedRegion[] = ['us-east-1', 'eu-west-1'];

/**
 * Seed 8.2: us-east-1 primary, eu-west-1 secondary. The CIDRs and internal endpoints are the
 * example's network plan (the seed names none): cross-region traffic goes through internal load
 * balancers that the infrastructure team exposes (docs/topology.md).
 */
export const SEED_TOPOLOGY = new Topology({
  regions: [
    { region: 'us-east-1', role: 'primary', cidr: '10.10.0.0/16', queryEndpoint: 'thanos-query.us-east-1.monitoring.internal:10901', receiveUrl: 'https://thanos-receive.us-east-1.monitoring.internal/api/v1/receive' },
    { region: 'eu-west-1', role: 'secondary', cidr: '10.20.0.0/16', queryEndpoint: 'thanos-query.eu-west-1.monitoring.internal:10901', receiveUrl: 'https://thanos-receive.eu-west-1.monitoring.internal/api/v1/receive' },
  ],
});

/**
 * The specification's values (241116_TECH_MONITORING_INT_v1.0) as platform props for one
 * region. Every value is quoted from the seed; where the seed is changed the README's seed
 * table says why. Credentials are references to Secrets the operator of the platform creates.
 */
export interface SeedOptions {
  /**
   * The model-serving workload of the region (the seed's own exporter metrics): monitored as
   * model `inference`, and the target of the seed's automation rules (5.1).
   * @default - no automation rules; the monitor selects pods labelled app.kubernetes.io/name=model-serving in 'ai-serving'
   */
  readonly modelServing?: Workload;
  /** The regions' network plan. @default SEED_TOPOLOGY */
  readonly topology?: Topology;
  /** Metrics bucket (Thanos), from the Pulumi program. @default `ai-monitoring-metrics-<region>` */
  readonly metricsBucket?: string;
  /** Replica of the primary's metrics bucket, secondary only. @default `ai-monitoring-metrics-replica-eu-west-1` in eu-west-1 */
  readonly metricsReplicaBucket?: string;
  /** Logs bucket (Loki). @default `ai-monitoring-logs-<region>` */
  readonly logsBucket?: string;
  /** IAM role (IRSA) of the Thanos and Prometheus service accounts. @default - credentials from the environment's default chain */
  readonly thanosRoleArn?: string;
  /**
   * IAM role (IRSA) of Loki's service accounts, from the Pulumi program's outputs.
   * @default - S3 keys from the Secret `loki-s3` (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
   */
  readonly lokiRoleArn?: string;
  /**
   * The MaxMind database of the log agents' Geographic location enrichment (seed 3.1): a volume
   * the user provides on every node (hostPath, image volume, ReadOnlyMany PVC). Required to
   * synthesize the seed platform; without it the log agent refuses to build (README prerequisites).
   * @default - none: synthesis fails
   */
  readonly geoipDatabase?: GeoIpDatabase;
  /** Monthly cost budget (seed 4.1 alerts at 120% of it; the seed names no amount). @default - no budget alert */
  readonly monthlyBudget?: number;
}

export function seedPlatform(region: SeedRegion, options: SeedOptions = {}): MonitoringPlatformProps {
  const replicaBucket = options.metricsReplicaBucket ?? (region === 'eu-west-1' ? 'ai-monitoring-metrics-replica-eu-west-1' : undefined);
  return {
    metrics: {
      region,
      cluster: `ai-${region}`,
      replicas: 2, // 1.1 mode: distributed -> an HA pair per region
      retention: '30d', // 1.1 retention
      retentionSize: '100GB', // 1.1 storage.retention_size
      scrapeInterval: '15s', // 1.1 scraping.interval
      scrapeTimeout: '10s', // 1.1 scraping.timeout
    },
    ai: {
      models: [{ // 1.1 neural_metrics (the seed's own exporter)
        name: 'inference',
        server: ModelServer.seed(),
        namespace: options.modelServing?.namespace ?? 'ai-serving',
        selector: options.modelServing?.selectorLabels ?? { 'app.kubernetes.io/name': 'model-serving' },
      }],
      gpu: { nodeSelector: { 'nvidia.com/gpu.present': 'true' } }, // 2.1 / 7.1 GPU utilization, memory, temperature
      training: { jobNamespaces: ['ai-training'] }, // 2.1 training_metrics: loss, learning rate, gradients
      vectorStores: [
        // 2.2 / 7.1 Pinecone: index size, query latency, update rate (API key from a Secret)
        { name: 'pinecone', store: VectorStore.pineconeServerless({ projectId: `aeon-nova-${region}`, apiKey: { name: 'pinecone-api-key', key: 'api-key' } }) },
        // 1.1 vector_metrics: indexing rate, query latency, cache hit ratio
        { name: 'vector-store', store: VectorStore.selfHosted({ namespace: 'vectors', selector: { 'app.kubernetes.io/name': 'vector-store' } }) },
      ],
    },
    analytics: {
      slos: [
        // 4.1 slos.availability: 99.99% over 30d
        { name: 'inference-availability', objective: 99.99, period: '30d', indicator: SloIndicator.availability({ requests: 'model_requests_total', errors: 'model_request_errors_total' }) },
        // 4.1 slos.latency: p95 under 100ms over 1h, read as "95% of requests within 100ms"
        { name: 'inference-latency-p95', objective: 95, period: '1h', indicator: SloIndicator.latency({ histogram: 'model_inference_latency_seconds', threshold: '100ms' }) },
      ],
      anomalyDetection: [{
        name: 'predictive-anomalies', trainingWindow: '30d', threshold: 3.0, // 4.2 anomaly_detection: 3 sigma, 30d
        signals: [
          { name: 'model_requests', expr: 'sum by (model) (rate(model_requests_total[5m]))', description: 'model request rate' },
          { name: 'model_error_ratio', expr: 'sum by (model) (rate(model_request_errors_total[5m])) / sum by (model) (rate(model_requests_total[5m]))', direction: 'up', description: 'model error ratio' },
        ],
      }],
      forecast: { name: 'capacity-forecast', horizon: '7d', interval: '1h' }, // 4.2 resource_prediction, 8.1 capacity_planning
      business: { name: 'business-metrics', collectionInterval: '5m', aggregationInterval: '1h', retention: '90d' }, // 4.1 system_usage
      cost: { name: 'cost-metrics', budgetThresholdPercent: 120, ...(options.monthlyBudget ? { monthlyBudget: options.monthlyBudget } : {}) }, // 4.1 cost_metrics
      performance: {
        name: 'performance-analysis', collectionInterval: '1m', aggregationInterval: '5m', // 6.1 metrics_processing
        anomalyDetection: { name: 'performance-anomalies', trainingWindow: '7d', sensitivity: AnomalySensitivity.MEDIUM, cooldown: '15m' }, // 6.1 anomalies
      },
    },
    topology: {
      topology: options.topology ?? SEED_TOPOLOGY,
      tiers: RetentionTiers.seed(), // 8.1: raw 7d, 30d (5m: Thanos has no 1m resolution), 365d at 1h
      objectStorage: ObjectStorage.s3({ bucket: options.metricsBucket ?? `ai-monitoring-metrics-${region}`, region }),
      ...(replicaBucket ? { replicaObjectStorage: ObjectStorage.s3({ bucket: replicaBucket, region }) } : {}),
      ...(options.thanosRoleArn ? { roleArn: options.thanosRoleArn } : {}),
      // 8.2 real-time replication crosses regions: mutual TLS with the internal CA, checked at the
      // pods (Receive and Query), plus a bearer token for the load balancer, from Secrets.
      crossRegionTls: { secretName: 'thanos-cross-region-tls' },
      remoteWriteAuth: { bearerTokenSecret: { name: 'thanos-receive-token', key: 'token' } },
    },
    // 1.2 thresholds: the default, seedThresholdAlerts()
    // 2.1 node status, pod health, resources, network, storage acted on: every Kubernetes group;
    // long GPU training Jobs (72h) and slow model-image pulls (20m) are the defaults.
    kubernetes: { workloads: { thresholds: { jobMaxRuntimeHours: 72 }, for: { KubeContainerImagePullFailing: '20m' } } },
    alerting: {
      classes: SEED_INCIDENT_CLASSES, // 5.1: 5m immediate, 15m tier-2, 30m tier-1
      receivers: [
        Receiver.pagerDuty('immediate', { routingKey: { name: 'alerting-pagerduty', key: 'routing-key' } }),
        Receiver.slack('tier-2', { apiUrl: { name: 'alerting-slack', key: 'webhook-url' }, channel: '#ai-incidents-tier-2' }),
        Receiver.slack('tier-1', { apiUrl: { name: 'alerting-slack', key: 'webhook-url' }, channel: '#ai-incidents-tier-1' }),
        Receiver.webhook('deadmansswitch', { urlSecret: { name: 'alerting-deadmansswitch', key: 'url' } }),
      ],
      watchdogReceiver: 'deadmansswitch',
    },
    logging: {
      mode: LokiMode.distributed({ replicas: 2 }), // 3.1 mode microservices, replicas 2, persistence (ingester WAL PVCs)
      storage: LokiStorage.s3({
        bucket: options.logsBucket ?? `ai-monitoring-logs-${region}`,
        region,
        credentials: options.lokiRoleArn
          ? S3Credentials.serviceAccountRole(options.lokiRoleArn)
          : S3Credentials.secret({ secretName: 'loki-s3' }),
      }),
      retention: '30d', // 3.1 retention.duration
      storageBudget: '500GB', // 3.1 retention.size: alert + bucket lifecycle (Loki has no size-based retention)
      ingestionRate: '10MB', // 3.1 ingestion_rate 10MB/s (burst 2x)
      // 3.1 chunk_size 512MB -> Loki's 1.5MB chunk target (README seed table)
      labels: ['app', 'namespace', 'container_name', 'pod_name', 'service_name'], // 3.1 labels + service context
      // 3.1 JSON structured and syslog formats; level as a label, ids as structured metadata,
      // client_ip enriched with the country (3.1 Geographic location).
      parsers: [
        LogParser.json({
          fields: { level: 'level', trace_id: 'trace_id', request_id: 'request_id', client_ip: 'client_ip' },
          labels: ['level'],
          geoip: { sourceField: 'client_ip' },
        }),
        LogParser.syslog(),
      ],
      geoipDatabase: options.geoipDatabase,
    },
    // 5.1 automation_rules (memory pressure 85%/5m, latency 200ms/3m), 6.2 DAG defaults
    ...(options.modelServing ? { response: { rules: seedAutomationRules(WorkloadTarget.fromWorkload(options.modelServing)) } } : {}),
    grafana: { replicas: 2 }, // 1.1 grafana.deployment: ha_mode true, replicas 2 (shared PostgreSQL by CloudNativePG)
    // 1.1 dashboards system_health, model_performance, resource_utilization; 3.2 plus alerts, SLOs and logs;
    // 2.1 node, pod, resource, network and storage views and the platform's own components (issue 16).
    dashboards: { kubernetes: true, components: true },
  };
}

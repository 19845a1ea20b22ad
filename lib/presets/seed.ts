import { ModelServer, VectorStore } from '../ai/index.js';
import { Receiver, SEED_INCIDENT_CLASSES } from '../alerting/index.js';
import { LogParser, LokiMode, LokiStorage, S3Credentials } from '../logging/index.js';
import type { MonitoringPlatformProps } from '../platform.js';

/** The two regions of seed section 8.2. */
export type SeedRegion = 'us-east-1' | 'eu-west-1';
export const SEED_REGIONS: readonly SeedRegion[] = ['us-east-1', 'eu-west-1'];

/**
 * The specification's values (241116_TECH_MONITORING_INT_v1.0) as platform props for one
 * region. Every value is quoted from the seed; where the seed is changed the README's seed
 * table says why. Credentials are references to Secrets the operator of the platform creates.
 */
export interface SeedOptions {
  /**
   * IAM role (IRSA) of Loki's service accounts, from the Pulumi program's outputs.
   * @default - S3 keys from the Secret `loki-s3` (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
   */
  readonly lokiRoleArn?: string;
}

export function seedPlatform(region: SeedRegion, options: SeedOptions = {}): MonitoringPlatformProps {
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
      models: [{ name: 'inference', server: ModelServer.seed() }], // 1.1 neural_metrics (the seed's own exporter)
      gpu: { nodeSelector: { 'nvidia.com/gpu.present': 'true' } }, // 2.1 / 7.1 GPU utilization, memory, temperature
      training: { jobNamespaces: ['ai-training'] }, // 2.1 training_metrics: loss, learning rate, gradients
      vectorStores: [
        // 2.2 / 7.1 Pinecone: index size, query latency, update rate (API key from a Secret)
        { name: 'pinecone', store: VectorStore.pineconeServerless({ projectId: `aeon-nova-${region}`, apiKey: { name: 'pinecone-api-key', key: 'api-key' } }) },
        // 1.1 vector_metrics: indexing rate, query latency, cache hit ratio
        { name: 'vector-store', store: VectorStore.selfHosted({ namespace: 'vectors', selector: { 'app.kubernetes.io/name': 'vector-store' } }) },
      ],
    },
    // 1.2 thresholds: the default, seedThresholdAlerts()
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
        bucket: `ai-monitoring-logs-${region}`,
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
      parsers: [LogParser.json(), LogParser.syslog()], // 3.1 JSON structured and syslog formats
    },
    grafana: { replicas: 2 }, // 1.1 grafana.deployment: ha_mode true, replicas 2 (shared PostgreSQL by CloudNativePG)
    dashboards: {
      // 1.1 dashboards system_health, model_performance, resource_utilization; 3.2 plus alerts
      sloMetrics: { budgetRemaining: 'slo:period_error_budget_remaining:ratio', errorBudget: 'slo:error_budget:ratio' },
    },
  };
}

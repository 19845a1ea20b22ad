import { FamilyAlert, maxBy, RuleFamily } from './rule-family.js';

// Thanos v0.39 (compact, receive, store, query: component metrics plus the shared http_* and
// grpc_server_* families, told apart by job) and Loki 3.5 (distributor, ingester ring, compactor).

const warn = (alert: string, forDuration: string, expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'warning', for: forDuration, expr, summary, description });
const crit = (alert: string, forDuration: string, category: FamilyAlert['category'], expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'critical', category, for: forDuration, expr, summary, description });

/** Jobs of the Thanos PodMonitors (`<namespace>/<monitor name>`). */
const job = (component: string) => `job=~"(.*/)?thanos-${component}"`;
const GRPC_ERRORS = 'grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"';

/** Ratio of two counters' rates, by job. */
const ratio = (num: string, den: string) => `(sum by (job) (rate(${num}[5m])) / sum by (job) (rate(${den}[5m])))`;

export const THANOS_RULES: RuleFamily = {
  group: 'platform-thanos',
  thresholds: { errorRatio: 0.05, queryP99Seconds: 30 },
  alerts: [
    warn('ThanosCompactFailing', '15m', (c) => `${ratio('thanos_compact_group_compactions_failures_total', 'thanos_compact_group_compactions_total')} > ${c.t.errorRatio}`,
      'Thanos compactor {{ $labels.job }} fails compactions',
      '{{ $value | humanizePercentage }} of the compactions failed: blocks pile up and queries slow down.'),
    warn('ThanosDownsampleFailing', '15m', () => `${maxBy('job', 'increase(thanos_compact_downsample_failed_total[30m])')} > 0`,
      'Thanos compactor {{ $labels.job }} fails to downsample',
      '{{ $value | humanize }} downsampling runs failed in 30 minutes: the 5m and 1h retention tiers are not written.'),
    crit('ThanosReceiveForwardFailing', '10m', 'data-integrity', (c) => `${ratio('thanos_receive_forward_requests_total{result="error"}', 'thanos_receive_forward_requests_total')} > ${c.t.errorRatio}`,
      'Thanos Receive {{ $labels.job }} fails to forward writes',
      '{{ $value | humanizePercentage }} of the remote-write requests forwarded between receivers failed: replicated samples are lost.'),
    crit('ThanosReceiveReplicationFailing', '10m', 'data-integrity', (c) => `${ratio('thanos_receive_replications_total{result="error"}', 'thanos_receive_replications_total')} > ${c.t.errorRatio}`,
      'Thanos Receive {{ $labels.job }} fails to replicate',
      '{{ $value | humanizePercentage }} of the replications failed: the replication factor is not met.'),
    warn('ThanosReceiveHttpErrors', '10m', (c) => `${ratio(`http_requests_total{${job('receive')},handler="receive",code=~"5.."}`, `http_requests_total{${job('receive')},handler="receive"}`)} > ${c.t.errorRatio}`,
      'Thanos Receive {{ $labels.job }} answers remote writes with errors',
      '{{ $value | humanizePercentage }} of the remote-write requests to {{ $labels.job }} failed with 5xx.'),
    warn('ThanosStoreGrpcErrors', '10m', (c) => `${ratio(`grpc_server_handled_total{${job('store')},${GRPC_ERRORS}}`, `grpc_server_handled_total{${job('store')}}`)} > ${c.t.errorRatio}`,
      'Thanos Store {{ $labels.job }} fails gRPC requests',
      '{{ $value | humanizePercentage }} of the Series/LabelValues requests to the store gateway failed: old data is missing from queries.'),
    warn('ThanosStoreBucketErrors', '10m', (c) => `${ratio(`thanos_objstore_bucket_operation_failures_total{${job('store')}}`, `thanos_objstore_bucket_operations_total{${job('store')}}`)} > ${c.t.errorRatio}`,
      'Thanos Store {{ $labels.job }} fails bucket operations',
      '{{ $value | humanizePercentage }} of the object-storage operations of the store gateway failed.'),
    warn('ThanosQueryHttpErrors', '10m', (c) => `${ratio(`http_requests_total{${job('query')},handler=~"query|query_range",code=~"5.."}`, `http_requests_total{${job('query')},handler=~"query|query_range"}`)} > ${c.t.errorRatio}`,
      'Thanos Query {{ $labels.job }} fails queries',
      '{{ $value | humanizePercentage }} of the queries to {{ $labels.job }} failed with 5xx: dashboards and the global view break.'),
    warn('ThanosQueryLatencyHigh', '10m', (c) => `histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{${job('query')},handler=~"query|query_range"}[5m]))) > ${c.t.queryP99Seconds}`,
      'Thanos Query {{ $labels.job }} is slow',
      'The p99 latency of queries to {{ $labels.job }} is {{ $value | humanizeDuration }}.'),
  ],
};

export const LOKI_RULES: RuleFamily = {
  group: 'platform-loki',
  thresholds: { errorRatio: 0.05, retentionStaleHours: 24 },
  alerts: [
    crit('LokiPushErrors', '10m', 'data-integrity', (c) => `sum by (namespace) (rate(loki_request_duration_seconds_count{route=~"loki_api_v1_push|api_prom_push|otlp_v1_logs",status_code=~"5.."}[5m])) / sum by (namespace) (rate(loki_request_duration_seconds_count{route=~"loki_api_v1_push|api_prom_push|otlp_v1_logs"}[5m])) > ${c.t.errorRatio}`,
      'Loki in {{ $labels.namespace }} refuses log pushes',
      '{{ $value | humanizePercentage }} of the pushes to Loki failed with 5xx: the agents retry, then drop logs.'),
    warn('LokiDiscardingLogs', '15m', () => `sum by (namespace, reason) (rate(loki_discarded_samples_total{reason!="rate_limited"}[5m])) > 0`,
      'Loki discards log lines ({{ $labels.reason }})',
      'Loki discards {{ $value | humanize }} lines per second for {{ $labels.reason }} (too long, too old, stream limits).'),
    crit('LokiRingUnhealthy', '10m', 'outage', () => `${maxBy('namespace, name', 'loki_ring_members{state="Unhealthy"}')} > 0`,
      'The Loki {{ $labels.name }} ring has unhealthy members',
      '{{ $value }} member(s) of the {{ $labels.name }} ring stopped heartbeating: writes or queries to their tokens fail.'),
    warn('LokiCompactorRetentionStale', '1h', (c) => `time() - ${maxBy('namespace', 'loki_compactor_apply_retention_last_successful_run_timestamp_seconds')} > ${c.t.retentionStaleHours * 3600}`,
      'Loki retention has not run in {{ $labels.namespace }}',
      'The compactor last applied retention {{ $value | humanizeDuration }} ago: logs past the retention period are not deleted and storage grows.'),
  ],
};

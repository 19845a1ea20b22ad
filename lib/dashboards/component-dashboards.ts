import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BY_CLUSTER, clusterVariable, datasourceVariable, graph, histogramQuantile, jobVariable, levels, newDashboard,
  promQuery as q, rateRatio, row, single, sumRate,
} from './panels.js';

/**
 * Overviews of the platform's own components: Prometheus, Alertmanager, Thanos, Loki and
 * Grafana, each from its own /metrics (scraped by the monitors the platform creates for them).
 */

const JOB = `job=~"$job", ${BY_CLUSTER}`;

/** A component dashboard with `$datasource`, `$cluster` and (when `jobMetric` is set) `$job` from a series only it exports. */
function componentDashboard(uid: string, title: string, description: string, jobMetric?: string): dashboard.DashboardBuilder {
  const d = newDashboard(uid, title, description).withVariable(datasourceVariable()).withVariable(clusterVariable());
  return jobMetric ? d.withVariable(jobVariable(jobMetric)) : d;
}

/** Resident memory and CPU of a Go program's processes (client_golang's process collector), per `by`. */
function processPanels(d: dashboard.DashboardBuilder, matchers: string, by: string, legend: string): dashboard.DashboardBuilder {
  return d.withRow(row('Resources'))
    .withPanel(graph('Memory (RSS)', [q(`sum by (${by}) (process_resident_memory_bytes{${matchers}})`, legend)], { unit: 'bytes' }))
    .withPanel(graph('CPU', [q(sumRate('process_cpu_seconds_total', matchers, [by]), legend)], { unit: 'short', description: 'Cores used.' }));
}

/** Prometheus: ingestion, scraping, rule evaluation, remote write and notifications. */
export function prometheusOverviewDashboard(): dashboard.DashboardBuilder {
  const d = componentDashboard('platform-prometheus', 'Platform / Prometheus', 'Each Prometheus: ingestion, scraping, rule evaluation, remote write and alert notifications.', 'prometheus_build_info')
    .withPanel(single('Targets down', q(`count(up{${BY_CLUSTER}} == 0) or vector(0)`), { thresholds: levels(1, 5), description: 'Of every scrape target of every job.' }))
    .withPanel(single('Head series', q(`sum(prometheus_tsdb_head_series{${JOB}})`), { unit: 'short' }))
    .withPanel(single('Failed rule evaluations (1h)', q(`sum(increase(prometheus_rule_evaluation_failures_total{${JOB}}[1h]))`), { thresholds: levels(1, 10) }))
    .withPanel(single('Config reloaded', q(`min(prometheus_config_last_reload_successful{${JOB}})`), { description: '1 when every selected Prometheus loaded its last configuration.' }))
    .withRow(row('Ingestion and scraping'))
    .withPanel(graph('Samples appended', [q(sumRate('prometheus_tsdb_head_samples_appended_total', JOB, ['pod']), '{{pod}}')], { unit: 'short', description: 'Samples per second into the head block.' }))
    .withPanel(graph('Head series', [q('sum by (pod) (prometheus_tsdb_head_series{' + JOB + '})', '{{pod}}')], { unit: 'short' }))
    .withPanel(graph('Scrape interval p99', [q(`max by (pod, interval) (prometheus_target_interval_length_seconds{quantile="0.99", ${JOB}})`, '{{pod}} {{interval}}')], {
      unit: 's', description: 'Actual time between scrapes; well above the configured interval the Prometheus cannot keep up.',
    }))
    .withPanel(graph('Target sync duration', [q(`max by (pod, scrape_job) (prometheus_target_sync_length_seconds{quantile="0.99", ${JOB}})`, '{{pod}} {{scrape_job}}')], { unit: 's' }))
    .withPanel(graph('Discovered targets', [q(`sum by (pod, config) (prometheus_sd_discovered_targets{${JOB}})`, '{{pod}} {{config}}')], { unit: 'short' }))
    .withPanel(graph('Scrapes over the sample limit', [q(sumRate('prometheus_target_scrapes_exceeded_sample_limit_total', JOB, ['pod']), '{{pod}}')], {
      unit: 'ops', description: 'Scrapes rejected whole because a target exposed more series than its sample limit.',
    }))
    .withRow(row('Rules'))
    .withPanel(graph('Rule group duration / interval', [
      q(`max by (rule_group) (prometheus_rule_group_last_duration_seconds{${JOB}} / prometheus_rule_group_interval_seconds{${JOB}})`, '{{rule_group}}'),
    ], { unit: 'percentunit', thresholds: levels(0.8, 1), description: 'At 100% a group takes its whole interval and starts missing evaluations.' }))
    .withPanel(graph('Missed and failed evaluations', [
      q(sumRate('prometheus_rule_group_iterations_missed_total', JOB, ['rule_group']), '{{rule_group}} missed'),
      q(sumRate('prometheus_rule_evaluation_failures_total', JOB, ['rule_group']), '{{rule_group}} failed'),
    ], { unit: 'ops' }))
    .withRow(row('Remote write'))
    .withPanel(graph('Remote write lag', [q(
      `max by (pod) (prometheus_remote_storage_highest_timestamp_in_seconds{${JOB}}) - on (pod) group_right max by (pod, remote_name) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${JOB}})`,
      '{{pod}} {{remote_name}}',
    )], { unit: 's', thresholds: levels(60, 300), description: 'Newest sample in the WAL minus newest sample each remote has acknowledged.' }))
    .withPanel(graph('Remote write failures', [
      q(sumRate('prometheus_remote_storage_samples_failed_total', JOB, ['pod', 'remote_name']), '{{pod}} {{remote_name}} failed'),
      q(sumRate('prometheus_remote_storage_samples_retried_total', JOB, ['pod', 'remote_name']), '{{pod}} {{remote_name}} retried'),
    ], { unit: 'short', description: 'Samples per second that failed for good (lost to that remote) or are being retried.' }))
    .withPanel(graph('Pending samples and shards', [
      q(`sum by (pod, remote_name) (prometheus_remote_storage_samples_pending{${JOB}})`, '{{pod}} {{remote_name}} pending'),
      q(`max by (pod, remote_name) (prometheus_remote_storage_shards{${JOB}})`, '{{pod}} {{remote_name}} shards'),
    ], { unit: 'short' }))
    .withRow(row('Queries and notifications'))
    .withPanel(graph('Query duration p99', [q(`max by (pod, slice) (prometheus_engine_query_duration_seconds{quantile="0.99", ${JOB}})`, '{{pod}} {{slice}}')], { unit: 's' }))
    .withPanel(graph('Alert notifications', [
      q(sumRate('prometheus_notifications_sent_total', JOB, ['pod']), '{{pod}} sent'),
      q(sumRate('prometheus_notifications_errors_total', JOB, ['pod']), '{{pod}} errors'),
      q(sumRate('prometheus_notifications_dropped_total', JOB, ['pod']), '{{pod}} dropped'),
    ], { unit: 'ops' }));
  return processPanels(d, JOB, 'pod', '{{pod}}');
}

/** Alertmanager: alerts, notifications per integration and the health of the HA cluster. */
export function alertmanagerOverviewDashboard(): dashboard.DashboardBuilder {
  const d = componentDashboard('platform-alertmanager', 'Platform / Alertmanager', 'The Alertmanager cluster: alerts, notifications per integration, gossip health and configuration.', 'alertmanager_build_info')
    .withPanel(single('Active alerts', q(`max(sum by (pod) (alertmanager_alerts{state="active", ${JOB}}))`), { unit: 'short' }))
    .withPanel(single('Cluster members (min)', q(`min(alertmanager_cluster_members{${JOB}})`), { description: 'Members each replica sees; below the replica count the cluster is split.' }))
    .withPanel(single('Configurations in use', q(`max(count by (cluster) (count_values by (cluster) ("config_hash", alertmanager_config_hash{${JOB}})))`), {
      thresholds: levels(2, 2), description: 'Distinct configuration hashes across the replicas of a cluster (the worst cluster): 1 when they agree.',
    }))
    .withPanel(single('Config reloaded', q(`min(alertmanager_config_last_reload_successful{${JOB}})`)))
    .withRow(row('Alerts'))
    .withPanel(graph('Alerts by state', [q(`sum by (pod, state) (alertmanager_alerts{${JOB}})`, '{{pod}} {{state}}')], { unit: 'short' }))
    .withPanel(graph('Alerts received', [
      q(sumRate('alertmanager_alerts_received_total', JOB, ['status']), '{{status}}'),
      q(sumRate('alertmanager_alerts_invalid_total', JOB), 'invalid'),
    ], { unit: 'ops' }))
    .withPanel(graph('Silences by state', [q(`max by (state) (alertmanager_silences{${JOB}})`, '{{state}}')], { unit: 'short' }))
    .withRow(row('Notifications'))
    .withPanel(graph('Notifications by integration', [q(sumRate('alertmanager_notifications_total', JOB, ['integration']), '{{integration}}')], { unit: 'ops' }))
    .withPanel(graph('Failed notification ratio', [
      q(rateRatio(['alertmanager_notifications_failed_total', JOB], ['alertmanager_notifications_total', JOB], ['integration']), '{{integration}}'),
    ], { unit: 'percentunit', thresholds: levels(0.01, 0.1) }))
    .withPanel(graph('Notification latency p99', [q(histogramQuantile(0.99, 'alertmanager_notification_latency_seconds', JOB, ['integration']), '{{integration}}')], { unit: 's' }))
    .withRow(row('Cluster'))
    .withPanel(graph('Members and failed peers', [
      q(`max by (pod) (alertmanager_cluster_members{${JOB}})`, '{{pod}} members'),
      q(`max by (pod) (alertmanager_cluster_failed_peers{${JOB}})`, '{{pod}} failed peers'),
    ], { unit: 'short' }))
    .withPanel(graph('Gossip health score', [q(`max by (pod) (alertmanager_cluster_health_score{${JOB}})`, '{{pod}}')], {
      unit: 'short', description: 'memberlist awareness: 0 is healthy, higher means the node misses probes.',
    }));
  return processPanels(d, JOB, 'pod', '{{pod}}');
}

// The platform's Thanos PodMonitors are named thanos-<component> (job <namespace>/thanos-<component>).
const THANOS = `job=~".*thanos-.*", ${BY_CLUSTER}`;

/** Thanos: query fan-out, Receive replication, Store and Compactor against the bucket. */
export function thanosOverviewDashboard(): dashboard.DashboardBuilder {
  const d = componentDashboard('platform-thanos', 'Platform / Thanos', 'The Thanos components: queries, Receive replication, the bucket, Store and Compactor.')
    .withPanel(single('Compactor halted', q(`max(thanos_compact_halted{${THANOS}})`), { thresholds: levels(1, 1), description: '1 when the compactor stopped on an error (overlapping blocks): downsampling and retention stop with it.' }))
    .withPanel(single('Store API endpoints', q(`sum(thanos_store_nodes_grpc_connections{${THANOS}})`), { description: 'gRPC Store APIs the queriers reach.' }))
    .withPanel(single('Blocks loaded by Store', q(`sum(thanos_bucket_store_blocks_loaded{${THANOS}})`)))
    .withPanel(single('Replication error ratio', q(rateRatio(['thanos_receive_replications_total', `result="error", ${THANOS}`], ['thanos_receive_replications_total', THANOS])), {
      unit: 'percentunit', thresholds: levels(0.01, 0.05),
    }))
    .withRow(row('Query'))
    .withPanel(graph('HTTP requests by code', [q(sumRate('http_requests_total', THANOS, ['job', 'code']), '{{job}} {{code}}')], { unit: 'reqps' }))
    .withPanel(graph('HTTP 5xx ratio', [
      q(rateRatio(['http_requests_total', `code=~"5..", ${THANOS}`], ['http_requests_total', THANOS], ['job']), '{{job}}'),
    ], { unit: 'percentunit', thresholds: levels(0.01, 0.05) }))
    .withPanel(graph('Query frontend queries', [q(sumRate('thanos_query_frontend_queries_total', THANOS, ['op']), '{{op}}')], { unit: 'ops' }))
    .withPanel(graph('Store API endpoints by type', [q(`sum by (store_type) (thanos_store_nodes_grpc_connections{${THANOS}})`, '{{store_type}}')], { unit: 'short' }))
    .withRow(row('Receive'))
    .withPanel(graph('Replications by result', [q(sumRate('thanos_receive_replications_total', THANOS, ['result']), '{{result}}')], { unit: 'ops' }))
    .withPanel(graph('Forwarded requests by result', [q(sumRate('thanos_receive_forward_requests_total', THANOS, ['result']), '{{result}}')], { unit: 'ops' }))
    .withRow(row('Bucket, Store and Compactor'))
    .withPanel(graph('Bucket operations', [q(sumRate('thanos_objstore_bucket_operations_total', THANOS, ['job', 'operation']), '{{job}} {{operation}}')], { unit: 'ops' }))
    .withPanel(graph('Bucket operation failures', [q(sumRate('thanos_objstore_bucket_operation_failures_total', THANOS, ['job', 'operation']), '{{job}} {{operation}}')], { unit: 'ops' }))
    .withPanel(graph('Compactions', [
      q(sumRate('thanos_compact_group_compactions_total', THANOS), 'compactions'),
      q(sumRate('thanos_compact_group_compactions_failures_total', THANOS), 'failures'),
      q(sumRate('thanos_compact_downsample_total', THANOS), 'downsamples'),
    ], { unit: 'ops' }));
  return processPanels(d, THANOS, 'job', '{{job}}');
}

/** Loki: ingestion, discarded lines, ingesters and request latency per route. */
export function lokiOverviewDashboard(): dashboard.DashboardBuilder {
  const d = componentDashboard('platform-loki', 'Platform / Loki', 'Loki: ingestion per tenant, discarded lines, ingester memory and request latency per route.', 'loki_request_duration_seconds_count')
    .withPanel(single('Ingestion rate', q(sumRate('loki_distributor_bytes_received_total', JOB)), { unit: 'Bps', description: 'Uncompressed bytes per second received by the distributors.' }))
    .withPanel(single('Discarded lines (1h)', q(`sum(increase(loki_discarded_samples_total{${JOB}}[1h])) or vector(0)`), { thresholds: levels(1, 1000) }))
    .withPanel(single('Streams in memory', q(`sum(loki_ingester_memory_streams{${JOB}})`)))
    .withPanel(single('5xx ratio', q(rateRatio(['loki_request_duration_seconds_count', `status_code=~"5..", ${JOB}`], ['loki_request_duration_seconds_count', JOB])), {
      unit: 'percentunit', thresholds: levels(0.01, 0.05),
    }))
    .withRow(row('Ingestion'))
    .withPanel(graph('Bytes received by tenant', [q(sumRate('loki_distributor_bytes_received_total', JOB, ['tenant']), '{{tenant}}')], { unit: 'Bps' }))
    .withPanel(graph('Lines received by tenant', [q(sumRate('loki_distributor_lines_received_total', JOB, ['tenant']), '{{tenant}}')], { unit: 'short' }))
    .withPanel(graph('Discarded lines by reason', [q(sumRate('loki_discarded_samples_total', JOB, ['reason']), '{{reason}}')], {
      unit: 'short', description: 'rate_limited and per_stream_rate_limit: the ingestion limits are hit.',
    }))
    .withPanel(graph('Ingester append failures', [q(sumRate('loki_distributor_ingester_append_failures_total', JOB, ['pod']), '{{pod}}')], { unit: 'ops' }))
    .withRow(row('Ingesters'))
    .withPanel(graph('Streams and chunks in memory', [
      q(`sum by (pod) (loki_ingester_memory_streams{${JOB}})`, '{{pod}} streams'),
      q(`sum by (pod) (loki_ingester_memory_chunks{${JOB}})`, '{{pod}} chunks'),
    ], { unit: 'short' }))
    .withPanel(graph('Flush queue length', [q(`sum by (pod) (loki_ingester_flush_queue_length{${JOB}})`, '{{pod}}')], { unit: 'short', description: 'Series waiting to be flushed to the object store.' }))
    .withRow(row('Requests'))
    .withPanel(graph('Requests by route', [q(`topk(10, ${sumRate('loki_request_duration_seconds_count', JOB, ['route'])})`, '{{route}}')], { unit: 'reqps' }))
    .withPanel(graph('Request duration p99 by route', [q(`topk(10, ${histogramQuantile(0.99, 'loki_request_duration_seconds', JOB, ['route'])})`, '{{route}}')], { unit: 's' }));
  return processPanels(d, JOB, 'job', '{{job}}');
}

/** Grafana: requests, errors, latency and usage. */
export function grafanaOverviewDashboard(): dashboard.DashboardBuilder {
  const d = componentDashboard('platform-grafana', 'Platform / Grafana', 'Grafana itself: requests, errors, latency and usage.', 'grafana_build_info')
    .withPanel(single('Replicas up', q(`sum(up{${JOB}})`)))
    .withPanel(single('Dashboards', q(`max(grafana_stat_totals_dashboard{${JOB}})`)))
    .withPanel(single('Active users', q(`max(grafana_stat_active_users{${JOB}})`)))
    .withPanel(single('5xx ratio', q(rateRatio(['grafana_http_request_duration_seconds_count', `status_code=~"5..", ${JOB}`], ['grafana_http_request_duration_seconds_count', JOB])), {
      unit: 'percentunit', thresholds: levels(0.01, 0.05),
    }))
    .withRow(row('Requests'))
    .withPanel(graph('Requests by status', [q(sumRate('grafana_http_request_duration_seconds_count', JOB, ['status_code']), '{{status_code}}')], { unit: 'reqps' }))
    .withPanel(graph('Request duration p95 by handler', [
      q(`topk(10, ${histogramQuantile(0.95, 'grafana_http_request_duration_seconds', JOB, ['handler'])})`, '{{handler}}'),
    ], { unit: 's', description: 'The 10 slowest handlers; /api/ds/query is the datasource queries behind panels.' }));
  return processPanels(d, JOB, 'pod', '{{pod}}');
}

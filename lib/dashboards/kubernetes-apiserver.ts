import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BY_CLUSTER, clusterVariable, datasourceVariable, graph, histogramQuantile, levels, newDashboard, promQuery as q,
  rateRatio, row, single, sumRate,
} from './panels.js';

// Long-running requests (watches, exec, logs) last minutes by design and would swamp the latency.
const SHORT = `verb!~"WATCH|CONNECT", ${BY_CLUSTER}`;
const READ = `verb=~"GET|LIST", ${BY_CLUSTER}`;
const WRITE = `verb=~"POST|PUT|PATCH|DELETE", ${BY_CLUSTER}`;

/**
 * API Server: availability, request rates, errors and latency from the API server's own
 * apiserver_* series. Needs a monitor for the API server (the `kubernetes` Service in `default`);
 * on EKS only the API server's /metrics is reachable (no etcd, scheduler or controller-manager).
 */
export function apiServerDashboard(): dashboard.DashboardBuilder {
  const errors = (m: string) => rateRatio(['apiserver_request_total', `code=~"5..", ${m}`], ['apiserver_request_total', m]);
  return newDashboard('k8s-apiserver', 'Kubernetes / API Server', 'The Kubernetes API server: availability, request rates, errors and latency.')
    .withVariable(datasourceVariable())
    .withVariable(clusterVariable())
    .withPanel(single('Read error ratio', q(errors(READ)), { unit: 'percentunit', thresholds: levels(0.01, 0.05) }))
    .withPanel(single('Write error ratio', q(errors(WRITE)), { unit: 'percentunit', thresholds: levels(0.01, 0.05) }))
    .withPanel(single('Read p99 latency', q(histogramQuantile(0.99, 'apiserver_request_duration_seconds', READ)), { unit: 's', thresholds: levels(1, 5) }))
    .withPanel(single('Write p99 latency', q(histogramQuantile(0.99, 'apiserver_request_duration_seconds', WRITE)), { unit: 's', thresholds: levels(1, 5) }))
    .withRow(row('Requests'))
    .withPanel(graph('Requests by code', [q(sumRate('apiserver_request_total', BY_CLUSTER, ['code']), '{{code}}')], { unit: 'reqps' }))
    .withPanel(graph('Requests by verb', [q(sumRate('apiserver_request_total', BY_CLUSTER, ['verb']), '{{verb}}')], { unit: 'reqps' }))
    .withPanel(graph('Error ratio by resource', [
      q(`topk(10, ${rateRatio(['apiserver_request_total', `code=~"5..", ${BY_CLUSTER}`], ['apiserver_request_total', BY_CLUSTER], ['resource'])})`, '{{resource}}'),
    ], { unit: 'percentunit', description: 'Share of 5xx answers per resource, the 10 worst.' }))
    .withPanel(graph('In-flight requests', [q(`sum by (request_kind) (apiserver_current_inflight_requests{${BY_CLUSTER}})`, '{{request_kind}}')], {
      unit: 'short', description: 'Against --max-requests-inflight / --max-mutating-requests-inflight: at the limit the API server answers 429.',
    }))
    .withRow(row('Latency'))
    .withPanel(graph('Request duration p99 by verb', [q(histogramQuantile(0.99, 'apiserver_request_duration_seconds', SHORT, ['verb']), '{{verb}}')], { unit: 's' }))
    .withPanel(graph('Request duration p99 by resource', [
      q(`topk(10, ${histogramQuantile(0.99, 'apiserver_request_duration_seconds', SHORT, ['resource'])})`, '{{resource}}'),
    ], { unit: 's' }))
    .withRow(row('Storage'))
    // Kubernetes 1.34 deprecated apiserver_storage_objects for apiserver_resource_objects: read the new one, else the old.
    .withPanel(graph('Stored objects by resource', [q(
      `topk(15, max by (resource) (apiserver_resource_objects{${BY_CLUSTER}}) or max by (resource) (apiserver_storage_objects{${BY_CLUSTER}}))`, '{{resource}}',
    )], { unit: 'short', span: 24, description: 'Objects in etcd per resource type (-1: the count failed); a fast-growing count (events, leases, jobs) slows LISTs.' }));
}

import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { MODEL_RECORDS } from '../ai/model-serving-rules.js';
import { DATASOURCE_UIDS } from './grafana.js';
import { validatePanelPromQL } from './queries.js';

/**
 * Building blocks of the library's dashboards, on Grafana's typed builders. Every panel reads
 * its datasource from a dashboard variable, so one dashboard serves each region's Prometheus
 * (or the global query view) and every PromQL expression is parsed when the panel is built.
 */

/** Panels' Prometheus: the `$datasource` variable. */
export const PROMETHEUS: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
/** Panels' Loki: the `$loki` variable. */
export const LOKI: common.DataSourceRef = { type: 'loki', uid: '${loki}' };

/** Label matchers every query applies, fed by the dashboard variables. */
export const BY_REGION = 'region=~"$region"';
export const BY_NAMESPACE = `${BY_REGION}, namespace=~"$namespace"`;
export const BY_MODEL = `${BY_NAMESPACE}, model=~"$model"`;
/** The Kubernetes dashboards' cluster filter (the `cluster` external label of each region's Prometheus). */
export const BY_CLUSTER = 'cluster=~"$cluster"';

/** node-exporter devices: virtual interfaces would count each pod's traffic twice. */
export const PHYSICAL_NICS = 'device!~"lo|veth.*|cali.*|cilium.*|flannel.*|cni.*|docker.*|eni.*"';
/** node-exporter filesystems that are disks (not tmpfs, overlays or pseudo filesystems). */
export const REAL_FILESYSTEMS = 'fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs"';

/** Grafana's rate window: at least four scrape intervals, so a range always holds two samples. */
export const RATE_WINDOW = '[$__rate_interval]';

/** `rate(metric{matchers}[$__rate_interval])`. */
export function rateOf(metric: string, matchers: string): string {
  return `rate(${metric}{${matchers}}${RATE_WINDOW})`;
}

/** `sum by (labels) (rate(...))`, or a plain `sum` without labels. */
export function sumRate(metric: string, matchers: string, by: readonly string[] = []): string {
  return `sum${by.length ? ` by (${by.join(', ')})` : ''} (${rateOf(metric, matchers)})`;
}

/** The `q` quantile of a classic histogram (`<name>_bucket`), per `by`. */
export function histogramQuantile(q: number, histogram: string, matchers: string, by: readonly string[] = []): string {
  return `histogram_quantile(${q}, sum by (${['le', ...by].join(', ')}) (${rateOf(`${histogram}_bucket`, matchers)}))`;
}

/** Share of `errors` in `total` (two counters), per `by`. */
export function rateRatio(errors: [string, string], total: [string, string], by: readonly string[] = []): string {
  return `${sumRate(errors[0], errors[1], by)} / ${sumRate(total[0], total[1], by)}`;
}

/** One PromQL target, parsed now so a typo fails at construction. */
export function promQuery(expr: string, legend?: string, format?: 'table' | 'heatmap'): prometheus.DataqueryBuilder {
  validatePanelPromQL(expr, 'expr');
  const q = new prometheus.DataqueryBuilder().datasource(PROMETHEUS).expr(expr);
  if (legend) q.legendFormat(legend);
  if (format === 'table') q.format(prometheus.PromQueryFormat.Table).instant();
  if (format === 'heatmap') q.format(prometheus.PromQueryFormat.Heatmap);
  return q;
}

/** One LogQL target. */
export function lokiQuery(expr: string, legend?: string): loki.DataqueryBuilder {
  const q = new loki.DataqueryBuilder().datasource(LOKI).expr(expr);
  if (legend) q.legendFormat(legend);
  return q;
}

/** Green below `warning`, orange from it, red from `critical` (the seed's two alert levels). */
export function levels(warning: number, critical: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: warning, color: 'orange' },
    { value: critical, color: 'red' },
  ]);
}

export interface PanelOptions {
  readonly unit?: string;
  readonly description?: string;
  /** Width in grid columns (of 24). @default 12 */
  readonly span?: number;
  readonly thresholds?: dashboard.ThresholdsConfigBuilder;
  readonly min?: number;
  readonly max?: number;
}

type Targets = Array<cog.Builder<cog.Dataquery>>;

export function graph(title: string, targets: Targets, o: PanelOptions = {}): timeseries.PanelBuilder {
  const p = new timeseries.PanelBuilder().title(title).datasource(PROMETHEUS).targets(targets).span(o.span ?? 12).height(8)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true));
  if (o.unit) p.unit(o.unit);
  if (o.description) p.description(o.description);
  if (o.min !== undefined) p.min(o.min);
  if (o.max !== undefined) p.max(o.max);
  if (o.thresholds) {
    p.thresholds(o.thresholds).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line));
  }
  return p;
}

export function single(title: string, target: prometheus.DataqueryBuilder, o: PanelOptions = {}): stat.PanelBuilder {
  const p = new stat.PanelBuilder().title(title).datasource(PROMETHEUS).withTarget(target).span(o.span ?? 6).height(4)
    .graphMode(common.BigValueGraphMode.Area).colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
  if (o.unit) p.unit(o.unit);
  if (o.description) p.description(o.description);
  if (o.thresholds) p.thresholds(o.thresholds);
  return p;
}

export function tabular(title: string, target: prometheus.DataqueryBuilder, o: PanelOptions = {}): table.PanelBuilder {
  const p = new table.PanelBuilder().title(title).datasource(PROMETHEUS).withTarget(target).span(o.span ?? 24).height(8);
  if (o.description) p.description(o.description);
  return p;
}

export function timeline(title: string, target: prometheus.DataqueryBuilder, o: PanelOptions = {}): statetimeline.PanelBuilder {
  const p = new statetimeline.PanelBuilder().title(title).datasource(PROMETHEUS).withTarget(target).span(o.span ?? 24).height(8)
    .showValue(common.VisibilityMode.Never).mergeValues(true);
  if (o.description) p.description(o.description);
  return p;
}

export function distribution(title: string, target: prometheus.DataqueryBuilder, o: PanelOptions = {}): heatmap.PanelBuilder {
  const p = new heatmap.PanelBuilder().title(title).datasource(PROMETHEUS).withTarget(target).span(o.span ?? 12).height(8).calculate(false);
  if (o.unit) p.unit(o.unit);
  if (o.description) p.description(o.description);
  return p;
}

export function logLines(title: string, target: loki.DataqueryBuilder, o: PanelOptions = {}): logs.PanelBuilder {
  const p = new logs.PanelBuilder().title(title).datasource(LOKI).withTarget(target).span(o.span ?? 24).height(12)
    .showTime(true).wrapLogMessage(true).enableLogDetails(true).sortOrder(common.LogsSortOrder.Descending);
  if (o.description) p.description(o.description);
  return p;
}

export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}

/** `$datasource`: the Prometheus to read (defaults to the provisioned one). */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus')
    .current({ selected: true, text: 'Prometheus', value: DATASOURCE_UIDS.prometheus });
}

/** `$loki`: the Loki to read. */
export function lokiVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('loki').label('Loki').type('loki')
    .current({ selected: true, text: 'Loki', value: DATASOURCE_UIDS.loki });
}

/**
 * A multi-value label filter. "All" is `.*` for labels a series may lack (`region` exists only
 * through the global query view, which adds external labels) and `.+` otherwise.
 */
export function labelVariable(name: string, label: string, query: string, allValue = '.+', datasource = PROMETHEUS): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name).label(label).datasource(datasource).query(query).definition(query)
    .multi(true).includeAll(true).allValue(allValue).refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc).current({ selected: true, text: 'All', value: '$__all' });
}

export const clusterVariable = () => labelVariable('cluster', 'Cluster', 'label_values(up, cluster)', '.*');

/** A single-choice label variable (a pod, a node, a PVC): one object per dashboard view. */
export function pickVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name).label(label).datasource(PROMETHEUS).query(query).definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged).sort(dashboard.VariableSort.AlphabeticalAsc);
}

/**
 * `$workload`: a regex over workload names. A text box, because no one series lists every kind
 * of workload (Deployments are reached through their ReplicaSets, see `podWorkload`).
 */
export const workloadVariable = () => new dashboard.TextBoxVariableBuilder('workload').label('Workload (regex)').defaultValue('.+');

/** `$job`: the scrape jobs of one program, found by a series only that program exports. */
export const jobVariable = (metric: string) => labelVariable('job', 'Job', `label_values(${metric}, job)`);

export const regionVariable = () => labelVariable('region', 'Region', 'label_values(up, region)', '.*');
export const namespaceVariable = () => labelVariable('namespace', 'Namespace', 'label_values(kube_pod_info, namespace)');
/** `$model`: the models of every ModelServer preset, from the normalised request rate. */
export const modelVariable = () => labelVariable('model', 'Model', `label_values(${MODEL_RECORDS.requests}, model)`);

/** A dashboard with the library's defaults: uid, tags, 6h window, 30s refresh, shared crosshair. */
export function newDashboard(uid: string, title: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title).uid(uid).description(description).tags(['ai-monitoring'])
    .editable().time({ from: 'now-6h', to: 'now' }).refresh('30s').timezone('utc')
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
}

/**
 * Kubernetes joins, from kube-state-metrics' documented series. Every join matches on
 * `cluster` too, so the global query view (both regions, same pod names) never matches two.
 */
const POD_KEY = 'cluster, namespace, pod';

/** 1 per pod that holds resources (Pending or Running): completed pods keep their request series. */
export function activePods(matchers: string): string {
  return `max by (${POD_KEY}) (kube_pod_status_phase{phase=~"Pending|Running", ${matchers}} == 1)`;
}

/** Per-container requests or limits of `resource` (cpu in cores, memory in bytes), of active pods only. */
export function podResources(kind: 'requests' | 'limits', resource: 'cpu' | 'memory', matchers: string): string {
  return `(kube_pod_container_resource_${kind}{resource="${resource}", ${matchers}} and on (${POD_KEY}) ${activePods(matchers)})`;
}

/**
 * 1 per pod labelled with its controller as `workload` and `workload_type`: a ReplicaSet's pods
 * are credited to the Deployment owning it (kube_replicaset_owner), other pods to their owner.
 */
export function podWorkload(matchers: string, workload = '.+'): string {
  const viaReplicaSet = `label_replace(kube_pod_owner{owner_kind="ReplicaSet", ${matchers}}, "replicaset", "$1", "owner_name", "(.+)")`
    + ` * on (cluster, namespace, replicaset) group_left (owner_kind, owner_name)`
    + ` max by (cluster, namespace, replicaset, owner_kind, owner_name) (kube_replicaset_owner{owner_kind="Deployment", owner_name=~"${workload}", ${matchers}})`;
  const direct = `kube_pod_owner{owner_kind!~"ReplicaSet|<none>", owner_name=~"${workload}", ${matchers}}`;
  const labelled = `label_replace(label_replace(${viaReplicaSet} or ${direct}, "workload", "$1", "owner_name", "(.+)"), "workload_type", "$1", "owner_kind", "(.+)")`;
  return `max by (${POD_KEY}, workload, workload_type) (${labelled})`;
}

/** Restricts per-pod `expr` (which keeps the pod key labels) to pods matching `pods`, copying `copy` labels onto it. */
export function joinPods(expr: string, pods: string, copy: readonly string[]): string {
  return `(${expr}) * on (${POD_KEY}) group_left (${copy.join(', ')}) ${pods}`;
}

/** 1 per pod scheduled on a node matching `node` (kube_pod_info's `node` label). */
export function podsOnNode(matchers: string): string {
  return `max by (${POD_KEY}, node) (kube_pod_info{node=~"$node", ${matchers}})`;
}

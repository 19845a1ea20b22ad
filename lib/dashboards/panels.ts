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

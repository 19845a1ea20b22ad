import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { validateLogQL } from '../core/logql.js';
import { validatePromQL } from '../core/promql.js';

/** Query language of a panel target, from its (or its panel's) datasource type. */
export type QueryLanguage = 'promql' | 'logql';

/** One query of one panel, as listed by {@link DashboardSet.queries}. */
export interface PanelQuery {
  readonly dashboardUid: string;
  readonly dashboardTitle: string;
  readonly panel: string;
  readonly refId?: string;
  /** The expression as Grafana runs it (with `$variables`). */
  readonly expr: string;
  readonly language: QueryLanguage;
}

// Grafana's global variables that stand for numbers of seconds/milliseconds.
const NUMBER_VARIABLES = /\$\{?__(range_s|range_ms|interval_ms|rate_interval_ms)\}?/g;
// Grafana's global variables that stand for durations ($__rate_interval, $__interval, $__range, $__auto).
const DURATION_VARIABLES = /\$\{?__(rate_interval|interval|range|auto)(:[a-z]+)?\}?/g;

/**
 * The expression Prometheus receives once Grafana has interpolated its global variables, with
 * representative values, so the Prometheus grammar can check it. Dashboard variables such as
 * `$namespace` belong inside label matcher strings (`namespace=~"$namespace"`), where they are
 * plain text to the parser; anywhere else they are reported as syntax errors.
 */
export function interpolateGrafanaVariables(expr: string): string {
  return expr.replace(NUMBER_VARIABLES, '300').replace(DURATION_VARIABLES, '5m');
}

/** Validates a panel's PromQL (after Grafana's variables are interpolated); returns it unchanged. */
export function validatePanelPromQL(expr: string, prop = 'expr'): string {
  validatePromQL(interpolateGrafanaVariables(expr), prop);
  return expr;
}

/** Validates a panel's LogQL (after Grafana's variables are interpolated); returns it unchanged. */
export function validatePanelLogQL(expr: string, prop = 'expr'): string {
  validateLogQL(interpolateGrafanaVariables(expr), prop);
  return expr;
}

function languageOf(...refs: Array<{ type?: string } | undefined>): QueryLanguage | undefined {
  const type = refs.find((r) => r?.type)?.type;
  if (type === 'loki') return 'logql';
  // A target without a datasource type uses the panel's, then Grafana's default (Prometheus here).
  if (type === undefined || type === 'prometheus') return 'promql';
  return undefined;
}

/** Every panel, including those nested in (collapsed) rows. */
export function dashboardPanels(d: dashboard.Dashboard): dashboard.Panel[] {
  return (d.panels ?? []).flatMap((p) => (p.type === 'row' ? ((p as dashboard.RowPanel).panels ?? []) : [p as dashboard.Panel]));
}

/** Lists the PromQL and LogQL queries of a built dashboard. */
export function panelQueries(d: dashboard.Dashboard): PanelQuery[] {
  return dashboardPanels(d).flatMap((panel) =>
    (panel.targets ?? []).flatMap((target: any) => {
      const language = languageOf(target.datasource, panel.datasource);
      if (!language || typeof target.expr !== 'string') return [];
      return [{
        dashboardUid: d.uid ?? '',
        dashboardTitle: d.title ?? '',
        panel: panel.title ?? '',
        ...(target.refId ? { refId: target.refId } : {}),
        expr: target.expr,
        language,
      }];
    }),
  );
}

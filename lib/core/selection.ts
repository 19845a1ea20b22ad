import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Kinds a prometheus-operator Prometheus picks up through its label selectors. */
export const SELECTED_KINDS: ReadonlySet<string> = new Set(['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig', 'PrometheusRule']);

// Labels an existing Prometheus selects by, per chart. Kept outside the construct tree (which
// is frozen for children once created) and read when objects render, so an `ExistingPrometheus`
// applies to every monitor and rule of its chart whether created before or after it.
const byChart = new WeakMap<Chart, Record<string, string>>();

/** Adds labels that every monitor and rule of `scope`'s chart must carry. */
export function addSelectionLabels(scope: IConstruct, labels: Record<string, string>): void {
  const chart = Chart.of(scope);
  byChart.set(chart, { ...(byChart.get(chart) ?? {}), ...labels });
}

/** The labels an object of `kind` in `scope`'s chart must carry for the Prometheus to select it. */
export function selectionLabels(scope: IConstruct, kind: string): Record<string, string> {
  return SELECTED_KINDS.has(kind) ? (byChart.get(Chart.of(scope)) ?? {}) : {};
}

import type { Manifest } from '../support/synth.js';

/**
 * Reads a synthesized chart the way prometheus-operator does, to answer "does the Prometheus of
 * this chart scrape that program?": a ServiceMonitor or PodMonitor the Prometheus selects, which
 * selects the program's Service or pods through a port they expose, and keeps its metrics.
 */

type Labels = Record<string, string>;

/** Where a metric comes from in the chart. */
export type ScrapeTarget =
  /** A Deployment/DaemonSet/StatefulSet of the chart, found by its pinned image or its name. */
  | { readonly workload: { readonly image?: string; readonly namespace?: string; readonly name?: string } }
  /** A Service of the chart in front of pods an operator runs (Alertmanager). */
  | { readonly service: { readonly namespace: string; readonly name: string } }
  /** Pods or a Service outside the chart (the kubelet, users' own exporters). */
  | { readonly external: { readonly kind: 'ServiceMonitor' | 'PodMonitor'; readonly namespace: string; readonly labels: Labels; readonly port?: string; readonly path?: string } }
  /** A cloud endpoint scraped through a `ScrapeConfig` of the chart (Pinecone). */
  | { readonly scrapeConfig: { readonly namespace: string; readonly name: string } }
  /** Series Prometheus writes itself when it evaluates alerting rules. */
  | { readonly alertingRules: true };

const WORKLOADS = ['Deployment', 'DaemonSet', 'StatefulSet'];

const subset = (want: Labels | undefined, have: Labels | undefined) =>
  Object.entries(want ?? {}).every(([k, v]) => have?.[k] === v);

/** The one Prometheus custom resource of the chart. */
export function prometheusOf(objects: Manifest[]): Manifest {
  const all = objects.filter((o) => o.kind === 'Prometheus');
  if (all.length !== 1) throw new Error(`expected one Prometheus resource, found ${all.length}`);
  return all[0];
}

/** Whether the Prometheus picks up a monitor/rule object (selector labels; `{}` namespace selector = all). */
function selectedBy(prometheus: Manifest, object: Manifest, selector: string, namespaceSelector: string): boolean {
  const sameNamespace = object.metadata.namespace === prometheus.metadata.namespace;
  const anyNamespace = prometheus.spec[namespaceSelector] && Object.keys(prometheus.spec[namespaceSelector]).length === 0;
  return subset(prometheus.spec[selector]?.matchLabels, object.metadata.labels) && (sameNamespace || anyNamespace);
}

function monitorNamespaces(monitor: Manifest): (ns: string) => boolean {
  const sel = monitor.spec.namespaceSelector;
  if (sel?.any) return () => true;
  if (sel?.matchNames) return (ns) => sel.matchNames.includes(ns);
  return (ns) => ns === monitor.metadata.namespace;
}

/** The monitors (of `kind`) this Prometheus loads. */
export function activeMonitors(objects: Manifest[], kind: 'ServiceMonitor' | 'PodMonitor'): Manifest[] {
  const prometheus = prometheusOf(objects);
  const [selector, nsSelector] = kind === 'ServiceMonitor'
    ? ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'] : ['podMonitorSelector', 'podMonitorNamespaceSelector'];
  return objects.filter((o) => o.kind === kind && selectedBy(prometheus, o, selector, nsSelector));
}

/** The recording rules of every PrometheusRule this Prometheus loads: record name -> definitions. */
export function recordingRules(objects: Manifest[]): Map<string, Array<{ readonly source: string; readonly expr: string }>> {
  const prometheus = prometheusOf(objects);
  const rules = new Map<string, Array<{ source: string; expr: string }>>();
  for (const rule of objects.filter((o) => o.kind === 'PrometheusRule' && selectedBy(prometheus, o, 'ruleSelector', 'ruleNamespaceSelector'))) {
    for (const group of rule.spec.groups ?? []) {
      for (const r of (group.rules ?? []).filter((x: Manifest) => x.record)) {
        rules.set(r.record, [...(rules.get(r.record) ?? []), { source: `PrometheusRule ${rule.metadata.namespace}/${rule.metadata.name}`, expr: r.expr }]);
      }
    }
  }
  return rules;
}

function endpointsOf(monitor: Manifest): Manifest[] {
  return monitor.spec.endpoints ?? monitor.spec.podMetricsEndpoints ?? [];
}

/** Whether an endpoint's metric relabelings keep the series `metric` (only `__name__` rules are read). */
function keeps(endpoint: Manifest, metric: string): boolean {
  return (endpoint.metricRelabelings ?? []).every((r: Manifest) => {
    if (JSON.stringify(r.sourceLabels ?? []) !== '["__name__"]') return true;
    const matches = new RegExp(`^(?:${r.regex ?? '(.*)'})$`).test(metric);
    if (r.action === 'drop') return !matches;
    if (r.action === 'keep') return matches;
    return true;
  });
}

function containerPorts(workload: Manifest): Array<{ name?: string; containerPort: number }> {
  return (workload.spec.template.spec.containers ?? []).flatMap((c: Manifest) => c.ports ?? []);
}

/** Endpoints of active monitors that reach a workload's pods (through its Service or directly). */
function workloadEndpoints(objects: Manifest[], workload: Manifest): Array<{ monitor: Manifest; endpoint: Manifest }> {
  const ns = workload.metadata.namespace;
  const podLabels = workload.spec.template.metadata?.labels ?? {};
  const ports = containerPorts(workload);
  const hits: Array<{ monitor: Manifest; endpoint: Manifest }> = [];
  for (const pm of activeMonitors(objects, 'PodMonitor')) {
    if (!monitorNamespaces(pm)(ns) || !subset(pm.spec.selector?.matchLabels, podLabels)) continue;
    for (const e of endpointsOf(pm)) if (ports.some((p) => p.name === e.port)) hits.push({ monitor: pm, endpoint: e });
  }
  const services = objects.filter((o) => o.kind === 'Service' && o.metadata.namespace === ns
    && o.spec.selector && subset(o.spec.selector, podLabels));
  for (const sm of activeMonitors(objects, 'ServiceMonitor')) {
    if (!monitorNamespaces(sm)(ns)) continue;
    for (const svc of services.filter((s) => subset(sm.spec.selector?.matchLabels, s.metadata.labels))) {
      for (const e of endpointsOf(sm)) {
        const port = (svc.spec.ports ?? []).find((p: Manifest) => p.name === e.port);
        const target = port?.targetPort ?? port?.port;
        if (port && ports.some((p) => p.name === target || p.containerPort === target)) hits.push({ monitor: sm, endpoint: e });
      }
    }
  }
  return hits;
}

/** The workload a target names, or undefined. */
export function findWorkload(objects: Manifest[], w: { image?: string; namespace?: string; name?: string }): Manifest | undefined {
  return objects.find((o) => WORKLOADS.includes(o.kind)
    && (w.name === undefined || o.metadata.name === w.name)
    && (w.namespace === undefined || o.metadata.namespace === w.namespace)
    && (w.image === undefined || o.spec.template.spec.containers.some((c: Manifest) => c.image === w.image)));
}

/** Why a metric (or, without `metric`, every metric of a target) does not reach the Prometheus. */
export interface Problem {
  readonly metric?: string;
  readonly message: string;
}

/**
 * Problems that stop `metrics` of `target` from reaching this Prometheus: an exporter that is
 * not deployed, not selected by any monitor, or whose metrics a relabeling drops. Empty when
 * every metric is scraped (or, for `alertingRules`, written by rule evaluation).
 */
export function scrapeProblems(objects: Manifest[], target: ScrapeTarget, metrics: readonly string[]): Problem[] {
  if ('alertingRules' in target) {
    const prometheus = prometheusOf(objects);
    const alerting = objects.some((o) => o.kind === 'PrometheusRule' && selectedBy(prometheus, o, 'ruleSelector', 'ruleNamespaceSelector')
      && (o.spec.groups ?? []).some((g: Manifest) => (g.rules ?? []).some((r: Manifest) => r.alert)));
    return alerting ? [] : [{ message: 'the Prometheus loads no alerting rule, so it writes no ALERTS series' }];
  }
  let endpoints: Array<{ monitor: Manifest; endpoint: Manifest }>;
  let what: string;
  if ('scrapeConfig' in target) {
    const { namespace, name } = target.scrapeConfig;
    what = `ScrapeConfig ${namespace}/${name}`;
    const prometheus = prometheusOf(objects);
    const sc = objects.find((o) => o.kind === 'ScrapeConfig' && o.metadata.namespace === namespace && o.metadata.name === name);
    if (!sc) return [{ message: `no ${what} in the chart` }];
    if (!selectedBy(prometheus, sc, 'scrapeConfigSelector', 'scrapeConfigNamespaceSelector')) return [{ message: `the Prometheus does not load ${what}` }];
    // A ScrapeConfig is its own single endpoint: its spec carries the metricRelabelings.
    endpoints = [{ monitor: sc, endpoint: sc.spec }];
  } else if ('workload' in target) {
    const workload = findWorkload(objects, target.workload);
    what = JSON.stringify(target.workload);
    if (!workload) return [{ message: `no workload ${what} is deployed by the chart` }];
    endpoints = workloadEndpoints(objects, workload);
  } else if ('service' in target) {
    const { namespace, name } = target.service;
    what = `Service ${namespace}/${name}`;
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.namespace === namespace && o.metadata.name === name);
    if (!svc) return [{ message: `no ${what} in the chart` }];
    const portNames = (svc.spec.ports ?? []).map((p: Manifest) => p.name);
    endpoints = activeMonitors(objects, 'ServiceMonitor')
      .filter((sm) => monitorNamespaces(sm)(namespace) && subset(sm.spec.selector?.matchLabels, svc.metadata.labels))
      .flatMap((sm) => endpointsOf(sm).filter((e) => portNames.includes(e.port)).map((e) => ({ monitor: sm, endpoint: e })));
  } else {
    const { kind, namespace, labels, port, path } = target.external;
    what = `${kind} target ${namespace} ${JSON.stringify(labels)}${path ? ` ${path}` : ''}`;
    endpoints = activeMonitors(objects, kind)
      .filter((m) => monitorNamespaces(m)(namespace) && Object.keys(m.spec.selector?.matchLabels ?? {}).length > 0 && subset(m.spec.selector.matchLabels, labels))
      .flatMap((m) => endpointsOf(m).filter((e) => (port === undefined || e.port === port) && (path === undefined || (e.path ?? '/metrics') === path))
        .map((e) => ({ monitor: m, endpoint: e })));
  }
  if (endpoints.length === 0) return [{ message: `no ServiceMonitor or PodMonitor loaded by the Prometheus scrapes ${what}` }];
  return metrics.filter((m) => !endpoints.some(({ endpoint }) => keeps(endpoint, m)))
    .map((metric) => ({ metric, message: `${metric}: dropped by the metricRelabelings of every monitor scraping ${what}` }));
}

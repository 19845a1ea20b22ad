/**
 * Label contract. Every object the library writes carries `app.kubernetes.io/part-of`;
 * Prometheus selects ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and PrometheusRules
 * by the same label, so an object a user adds is picked up once it carries it too.
 */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const PART_OF_VALUE = 'ai-monitoring';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** The label set that makes an object visible to the platform's Prometheus. */
export const DISCOVERY_LABELS: Readonly<Record<string, string>> = { [PART_OF_LABEL]: PART_OF_VALUE };

export function standardLabels(): Record<string, string> {
  return { [PART_OF_LABEL]: PART_OF_VALUE, [MANAGED_BY_LABEL]: 'cdk8s' };
}

/** Selector labels of one workload: stable across upgrades, so never include versions. */
export function selectorLabels(name: string, component?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    ...(component ? { 'app.kubernetes.io/component': component } : {}),
  };
}

import { invalid, requireObject } from './errors.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PROM_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const PROM_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A Kubernetes object name that must be an RFC 1123 label (Services, Namespaces): <= 63 chars. */
export function validateDnsLabel(value: string, prop = 'name'): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    throw invalid(prop, value, 'a Kubernetes name of at most 63 lowercase letters, digits and "-", starting and ending with an alphanumeric');
  }
  return value;
}

/** A Kubernetes object name that may be a DNS subdomain (ConfigMaps, Secrets): <= 253 chars. */
export function validateDnsSubdomain(value: string, prop = 'name'): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw invalid(prop, value, 'a Kubernetes name of at most 253 lowercase letters, digits, "-" and "."');
  }
  return value;
}

/**
 * A name the library (or an operator it configures) derives from a prop: `<name>-headless`,
 * `prometheus-<name>`, a StatefulSet's `<name>-<10-character hash>` revision label. Rejected at
 * construction, naming the prop that drove it, when the result would exceed Kubernetes' limit
 * (63 for DNS labels and label values); the API server would otherwise refuse it at apply.
 */
export function requireDerivedName(prop: string, value: string, derived: { readonly name: string; readonly length?: number; readonly what: string; readonly limit?: number }): string {
  const length = derived.length ?? derived.name.length;
  const limit = derived.limit ?? 63;
  if (length > limit) {
    throw invalid(prop, value, `at most ${Math.max(0, value.length - (length - limit))} characters: ${derived.what} '${derived.name}' is derived from it and Kubernetes allows at most ${limit}`);
  }
  return value;
}

/** The `controller-revision-hash` label of a StatefulSet's pods: `<name>-<hash of up to 10 characters>`. */
export function statefulSetName(prop: string, value: string, name = value): string {
  return requireDerivedName(prop, value, { name: `${name}-<hash>`, length: name.length + 11, what: "the StatefulSet pods' controller-revision-hash label" });
}

/** A Kubernetes label key (`prefix/name`) and value. */
export function validateK8sLabels(labels: Record<string, string>, prop = 'labels'): Record<string, string> {
  for (const [key, value] of Object.entries(requireObject<Record<string, string>>(prop, labels, 'a map of Kubernetes labels'))) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
    if (!prefixOk || name.length > 63 || !LABEL_NAME_PART.test(name)) {
      throw invalid(`${prop}`, key, 'a Kubernetes label key: optional DNS prefix and "/", then at most 63 alphanumerics, "-", "_" or "."');
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      throw invalid(`${prop}.${key}`, value, 'a Kubernetes label value of at most 63 alphanumerics, "-", "_" or "."');
    }
  }
  return labels;
}

/** A Prometheus label (or annotation) name: `[a-zA-Z_][a-zA-Z0-9_]*`, not reserved `__` names. */
export function validatePromLabelName(value: string, prop = 'label'): string {
  if (typeof value !== 'string' || !PROM_LABEL.test(value) || value.startsWith('__')) {
    throw invalid(prop, value, 'a Prometheus label name matching [a-zA-Z_][a-zA-Z0-9_]* (not starting with "__")');
  }
  return value;
}

/** Every key of a Prometheus label (or annotation) map. */
export function validatePromLabels(labels: Record<string, string>, prop = 'labels'): Record<string, string> {
  for (const [key, value] of Object.entries(requireObject<Record<string, string>>(prop, labels, 'a map of labels'))) {
    validatePromLabelName(key, `${prop}.${key}`);
    if (typeof value !== 'string') throw invalid(`${prop}.${key}`, value, 'a string label value');
  }
  return labels;
}

/** A Prometheus metric or recording-rule name: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function validateMetricName(value: string, prop = 'metric'): string {
  if (typeof value !== 'string' || !PROM_METRIC.test(value)) {
    throw invalid(prop, value, 'a Prometheus metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*');
  }
  return value;
}

/** An alert name: a Prometheus metric-style identifier without colons, by convention CamelCase. */
export function validateAlertName(value: string, prop = 'alert'): string {
  if (typeof value !== 'string' || !PROM_LABEL.test(value)) {
    throw invalid(prop, value, 'an alert name matching [a-zA-Z_][a-zA-Z0-9_]*, for example HighCpuUsage');
  }
  return value;
}

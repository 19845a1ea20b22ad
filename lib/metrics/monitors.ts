import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { DISCOVERY_LABELS } from '../core/labels.js';
import { validateDnsSubdomain } from '../core/names.js';
import { validateRe2 } from '../core/regex.js';
import { Duration } from '../core/units.js';

/** One scrape endpoint of a ServiceMonitor or PodMonitor. */
export interface ScrapeEndpoint {
  /** Named port of the Service (ServiceMonitor) or container (PodMonitor). */
  readonly port: string;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default - the Prometheus scrape interval */
  readonly interval?: Duration | string;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** Keep the target's own labels on conflict (exporters that report for other pods). */
  readonly honorLabels?: boolean;
  /** Extra relabelings, in prometheus-operator's RelabelConfig form. */
  readonly relabelings?: Array<Record<string, unknown>>;
  readonly metricRelabelings?: Array<Record<string, unknown>>;
  /** Extra endpoint fields (bearer token, TLS) in prometheus-operator's Endpoint form. */
  readonly extra?: Record<string, unknown>;
}

/**
 * Exposition formats Prometheus 3 may assume when a target's Content-Type is missing or invalid
 * (prometheus-operator v0.86 `fallbackScrapeProtocol`, Prometheus `fallback_scrape_protocol`).
 */
export type ScrapeProtocol = 'PrometheusProto' | 'OpenMetricsText0.0.1' | 'OpenMetricsText1.0.0' | 'PrometheusText0.0.4' | 'PrometheusText1.0.0';

/**
 * The fallback for targets the platform does not control (third-party exporters, users' model
 * servers, training jobs, vector stores, Pinecone): Prometheus 3 fails a scrape whose
 * Content-Type is blank or unparseable unless a fallback is set; these targets expose the
 * classic text format when they do not say so.
 */
export const THIRD_PARTY_SCRAPE_PROTOCOL: ScrapeProtocol = 'PrometheusText0.0.4';

export interface MonitorProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the Services (ServiceMonitor) or Pods (PodMonitor) to scrape. */
  readonly selector: Record<string, string>;
  readonly endpoints: ScrapeEndpoint[];
  /** Namespaces to look in. @default - the monitor's own namespace */
  readonly targetNamespaces?: string[];
  /** Copies these target labels onto every series (for example `app`). */
  readonly targetLabels?: string[];
  /** Format assumed when the target sends no valid Content-Type. @default - none (the scrape fails) */
  readonly fallbackScrapeProtocol?: ScrapeProtocol;
  /** Service (or pod) label whose value becomes the `job` label. @default - the Service name */
  readonly jobLabel?: string;
}

function endpoint(e: ScrapeEndpoint, name: string): Record<string, unknown> {
  const interval = e.interval === undefined ? undefined : Duration.of(e.interval, `${name}.endpoints.interval`);
  // prometheus-operator passes the path through; Prometheus would build a broken scrape URL.
  if (e.path !== undefined && !/^\/\S*$/.test(e.path)) throw invalid(`${name}.endpoints.path`, e.path, 'an absolute URL path like /metrics');
  // prometheus-operator copies relabel regexes verbatim; Prometheus compiles them as RE2.
  for (const key of ['relabelings', 'metricRelabelings'] as const) {
    (e[key] ?? []).forEach((r, i) => {
      if (r.regex !== undefined) validateRe2(r.regex as string, `${name}.endpoints.${key}[${i}].regex`, { allowEmpty: true });
    });
  }
  return {
    port: e.port,
    path: e.path ?? '/metrics',
    scheme: e.scheme ?? 'http',
    ...(interval ? { interval: interval.toPrometheus() } : {}),
    ...(e.honorLabels ? { honorLabels: true } : {}),
    ...(e.relabelings ? { relabelings: e.relabelings } : {}),
    ...(e.metricRelabelings ? { metricRelabelings: e.metricRelabelings } : {}),
    ...(e.extra ?? {}),
  };
}

function monitor(scope: Construct, kind: 'ServiceMonitor' | 'PodMonitor', props: MonitorProps): K8sObject {
  validateDnsSubdomain(props.name, 'name');
  return new K8sObject(scope, 'Resource', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: { name: props.name, namespace: props.namespace, labels: { ...DISCOVERY_LABELS } },
    spec: {
      selector: { matchLabels: props.selector },
      ...(props.targetNamespaces ? { namespaceSelector: { matchNames: props.targetNamespaces } } : {}),
      [kind === 'ServiceMonitor' ? 'endpoints' : 'podMetricsEndpoints']: props.endpoints.map((e) => endpoint(e, props.name)),
      ...(props.jobLabel ? { jobLabel: props.jobLabel } : {}),
      ...(props.targetLabels ? { [kind === 'ServiceMonitor' ? 'targetLabels' : 'podTargetLabels']: props.targetLabels } : {}),
      ...(props.fallbackScrapeProtocol ? { fallbackScrapeProtocol: props.fallbackScrapeProtocol } : {}),
    },
  });
}

/** A prometheus-operator ServiceMonitor carrying the platform's discovery label. */
export class ServiceMonitor extends Construct {
  readonly resource: K8sObject;
  constructor(scope: Construct, id: string, props: MonitorProps) {
    super(scope, id);
    this.resource = monitor(this, 'ServiceMonitor', props);
  }
}

/** A prometheus-operator PodMonitor carrying the platform's discovery label. */
export class PodMonitor extends Construct {
  readonly resource: K8sObject;
  constructor(scope: Construct, id: string, props: MonitorProps) {
    super(scope, id);
    this.resource = monitor(this, 'PodMonitor', props);
  }
}

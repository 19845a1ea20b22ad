import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { DISCOVERY_LABELS } from '../core/labels.js';
import { validateDnsSubdomain } from '../core/names.js';
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
  /** Service (or pod) label whose value becomes the `job` label. @default - the Service name */
  readonly jobLabel?: string;
}

function endpoint(e: ScrapeEndpoint, name: string): Record<string, unknown> {
  const interval = e.interval === undefined ? undefined : Duration.of(e.interval, `${name}.endpoints.interval`);
  // prometheus-operator passes the path through; Prometheus would build a broken scrape URL.
  if (e.path !== undefined && !/^\/\S*$/.test(e.path)) throw invalid(`${name}.endpoints.path`, e.path, 'an absolute URL path like /metrics');
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

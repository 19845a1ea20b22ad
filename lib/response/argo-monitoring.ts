import { Construct } from 'constructs';
import { NetworkAllow, NetworkPeer, PodsRef } from '../core/network.js';
import { PodMonitor } from '../metrics/monitors.js';

/**
 * The Argo Workflows controller as ClusterPrerequisites installs it (chart argo-workflows 2.0.1,
 * release `argo-workflows` in namespace `argo`). Checked against argoproj/argo-helm
 * charts/argo-workflows/templates/controller/workflow-controller-deployment.yaml (container port
 * `controller.metricsConfig.portName` = `metrics` on `controller.metricsConfig.port` = 9090) and
 * templates/_helpers.tpl (pod label `app.kubernetes.io/name: <chart name>-workflow-controller`).
 * The controller serves /metrics over self-signed TLS unless its ConfigMap says `secure: false`
 * (argoproj/argo-workflows workflow/controller: `MetricsConfig.GetSecure(true)`), which the chart
 * writes only with `controller.metricsConfig.enabled` (defaultPrerequisites sets both).
 */
export const ARGO_WORKFLOWS_CONTROLLER = {
  namespace: 'argo',
  release: 'argo-workflows',
  podLabels: { 'app.kubernetes.io/name': 'argo-workflows-workflow-controller' },
  port: 'metrics',
  /** The PodMonitor's name; its targets' `job` is `<namespace>/<name>`. */
  monitorName: 'argo-workflows-controller',
} as const;

/** `job` of the Argo Workflows controller scrape. */
export const ARGO_WORKFLOWS_JOB = `${ARGO_WORKFLOWS_CONTROLLER.namespace}/${ARGO_WORKFLOWS_CONTROLLER.monitorName}`;

/**
 * Port of the metrics server of every EventSource and Sensor pod (argoproj/argo-events v1.9:
 * `EventSourceMetricsPort` = `SensorMetricsPort` = 7777, container port `metrics`).
 */
export const ARGO_EVENTS_METRICS_PORT = 7777;

/** Pod labels the Argo Events v1.9 Sensor controller puts on every Sensor pod. */
const SENSOR_PODS = { controller: 'sensor-controller' };

export interface ArgoEventsMonitoringProps {
  readonly namespace: string;
  /** Name of the webhook EventSource (its pods carry `eventsource-name`). */
  readonly eventSourceName: string;
  /** The Prometheus pods that scrape them. */
  readonly scraper: PodsRef;
}

/**
 * Scrapes the EventSource and every Sensor of the incident-response namespace (failed event sends,
 * failed trigger actions) and admits the scraper through the namespace's default deny.
 */
export class ArgoEventsMonitoring extends Construct {
  constructor(scope: Construct, id: string, props: ArgoEventsMonitoringProps) {
    super(scope, id);
    const targets: Array<[string, string, Record<string, string>]> = [
      ['EventSource', `${props.eventSourceName}-eventsource`, { 'eventsource-name': props.eventSourceName }],
      ['Sensors', 'sensors', SENSOR_PODS],
    ];
    for (const [key, name, podLabels] of targets) {
      new PodMonitor(this, `${key}Monitor`, { name, namespace: props.namespace, selector: podLabels, endpoints: [{ port: 'metrics' }] });
      new NetworkAllow(this, `${key}MetricsPolicy`, {
        name: `${name}-metrics`, namespace: props.namespace, podLabels,
        ingress: [{ peers: [NetworkPeer.of(props.scraper)], ports: [ARGO_EVENTS_METRICS_PORT] }],
      });
    }
  }
}

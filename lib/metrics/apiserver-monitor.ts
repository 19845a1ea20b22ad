import { Construct } from 'constructs';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { ServiceMonitor } from './monitors.js';

export interface ApiServerMonitorProps {
  /** Namespace of the monitor; the `kubernetes` Service lives in `default`. */
  readonly namespace: string;
}

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Scrapes the API server through the `default/kubernetes` Service (EKS serves /metrics to
 * identities allowed the `/metrics` non-resource URL, which Prometheus' ClusterRole grants).
 * Series get `job="apiserver"` (the Service's `component` label). Only the families the
 * control-plane alerts and the API server dashboard read are kept: the request histograms are
 * the biggest series set of a cluster. Object counts keep both `apiserver_storage_objects` and
 * its 1.34 successor `apiserver_resource_objects`, so the dashboard works on either side.
 */
export class ApiServerMonitor extends Construct {
  constructor(scope: Construct, id: string, props: ApiServerMonitorProps) {
    super(scope, id);
    new ServiceMonitor(this, 'Resource', {
      name: DEFAULT_NAMES.apiServerMonitor,
      namespace: props.namespace,
      selector: { component: 'apiserver', provider: 'kubernetes' },
      targetNamespaces: ['default'],
      jobLabel: 'component',
      endpoints: [{
        port: 'https',
        scheme: 'https',
        metricRelabelings: [{
          action: 'keep',
          sourceLabels: ['__name__'],
          regex: 'apiserver_request_total|apiserver_request_duration_seconds_(bucket|sum|count)|apiserver_client_certificate_expiration_seconds_(bucket|sum|count)'
            + '|apiserver_current_inflight_requests|apiserver_storage_objects|apiserver_resource_objects',
        }],
        extra: { bearerTokenFile: `${SA}/token`, tlsConfig: { caFile: `${SA}/ca.crt`, serverName: 'kubernetes' } },
      }],
    });
  }
}
